package io.paddock.tests.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.tests.support.AdminHttp;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ServerProcess;
import io.paddock.tests.support.ZkClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper's AdminServer commands on Paddock's admin port, compared with what Apache ZooKeeper
 * 3.9.5 answered in the same situation (src/test/resources/zookeeper-3.9.5-admin, README there):
 * every command's fields on a standalone node, a leader and a follower, the exact bytes of the
 * answers that hold no data, the aliases, the HTTP statuses, a node without a quorum, and the
 * values that must agree with what the clients did. The data is the captures': /a with two
 * children, /b with a sequential child, one ephemeral per session and four watches.
 */
class AdminCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";
    /** Fields of ZooKeeper's answers Paddock leaves out (README "Inspecting a node"), by where they are. */
    private static final Set<String> OMITTED = Set.of("server_stats.fsync_threshold_exceed_count",
        "server_stats.provider_null", "connections[].interest_ops");
    /** Objects whose keys are data (expiry times, session ids, paths), not field names. */
    private static final Set<String> KEYED_BY_DATA = Set.of("expiry_time_to_session_ids",
        "session_id_to_ephemeral_paths", "session_id_to_watched_paths", "path_to_session_ids");
    /** Commands whose subject Paddock does not have: they answer an error saying so. */
    private static final Set<String> UNSUPPORTED = Set.of("get_trace_mask", "set_trace_mask", "hash",
        "observer_connection_stat_reset");
    /** Paddock's own keys in monitor, after ZooKeeper's. */
    private static final Set<String> PADDOCK_MONITOR_KEYS = Set.of("last_zxid", "epoch");
    /** ZooKeeper's monitor keys for which Paddock has a value on every node. */
    private static final List<String> BASIC_MONITOR_KEYS = List.of("version", "server_state", "ephemerals_count",
        "num_alive_connections", "avg_latency", "outstanding_requests", "znode_count", "global_sessions",
        "packets_sent", "packets_received", "watch_count", "min_latency", "max_file_descriptor_count",
        "approximate_data_size", "open_file_descriptor_count", "local_sessions", "uptime", "max_latency",
        "last_client_response_size", "min_client_response_size", "max_client_response_size", "auth_failed_count",
        "non_mtls_local_conn_count", "non_mtls_remote_conn_count", "connection_request_count",
        "connection_rejected", "diff_count", "snap_count");
    /** Monitor keys of an ensemble node, not of a standalone one. */
    private static final List<String> QUORUM_KEYS = List.of("peer_state", "quorum_size", "synced_observers");
    /** Monitor keys of the leader only. */
    private static final List<String> LEADER_KEYS = List.of("learners", "synced_followers",
        "synced_non_voting_followers", "pending_syncs", "leader_uptime", "last_proposal_size", "min_proposal_size",
        "max_proposal_size");

    /** One command of ZooKeeper's registry: its primary name first among {@code names}. */
    private record Registered(String primary, List<String> names, boolean post, boolean auth) {
    }

    @TempDir
    Path dir;

    @Test
    void aStandaloneNodeAnswersEveryCommandAsZooKeepersDoes() throws Exception {
        try (InProcessServer server = InProcessServer.startWithAdmin(dir, Map.of());
             ZooKeeper zk = ZkClients.connect(server.connectString())) {
            int admin = server.adminPort();
            createTree(zk);
            long lastZxid = ephemeralAndWatches(zk, "sa");
            long sid = zk.getSessionId();

            // the /commands page, byte for byte, with no Content-Type
            for (String url : List.of("/commands", "/commands/")) {
                AdminHttp.Answer index = AdminHttp.get(admin, url);
                assertThat(index.status()).isEqualTo(200);
                assertThat(index.contentType()).isEmpty();
                assertThat(index.body()).isEqualTo(fixtureText("commands-list.html"));
            }

            // values that agree with what the client did
            JsonNode monitor = AdminHttp.json(admin, "/commands/monitor");
            assertThat(monitor.get("server_state").asText()).isEqualTo("standalone");
            assertThat(monitor.get("znode_count").asInt()).as("/, /zookeeper and its two, and ours").isEqualTo(4 + 6);
            assertThat(monitor.get("watch_count").asInt()).as("as ZooKeeper's: the persistent watch counts twice").isEqualTo(5);
            assertThat(monitor.get("ephemerals_count").asInt()).isEqualTo(1);
            assertThat(monitor.get("global_sessions").asInt()).isEqualTo(1);
            assertThat(monitor.get("num_alive_connections").asInt()).isEqualTo(1);
            assertThat(monitor.get("packets_received").asLong()).isGreaterThanOrEqualTo(10);
            assertThat(monitor.get("min_client_response_size").asLong()).as("a ping's reply, after its length").isEqualTo(16);
            assertThat(monitor.get("non_mtls_local_conn_count").asLong()).isPositive();
            assertThat(monitor.get("last_zxid").asText()).isEqualTo("0x" + Long.toHexString(lastZxid));
            assertMonitorKeys(monitor, "standalone");
            assertFourLetterMntrAgrees(server.port(), admin);

            JsonNode srvr = AdminHttp.json(admin, "/commands/srvr");
            assertThat(srvr.get("node_count").asInt()).isEqualTo(4 + 6);
            assertThat(srvr.get("server_stats").get("last_processed_zxid").asLong()).isEqualTo(lastZxid);
            assertThat(srvr.get("server_stats").get("server_state").asText()).isEqualTo("standalone");
            assertThat(srvr.get("version").asText()).isEqualTo(ServerProcess.fourLetterWord("127.0.0.1", server.port(), "srvr")
                .lines().findFirst().orElseThrow().substring("Zookeeper version: ".length()));
            assertThat(srvr.has("proposal_stats")).as("a leader's only").isFalse();
            assertWatchesAndEphemerals(admin, sid, Map.of(sid, List.of("/eph-sa")));
            assertThat(AdminHttp.json(admin, "/commands/dump").get("expiry_time_to_session_ids").toString())
                .as("the session is in one expiry bucket").contains("[" + sid + "]");
            JsonNode connection = single(AdminHttp.json(admin, "/commands/cons").get("connections"));
            assertThat(connection.get("session_id").asLong()).isEqualTo(sid);
            assertThat(connection.get("session_timeout").asInt()).isEqualTo(zk.getSessionTimeout());
            assertThat(connection.get("last_operation").asText()).as("addWatch, or a ping since").isIn("ADDW", "PING");
            assertThat(connection.get("remote_socket_address").asText()).startsWith("127.0.0.1:");
            NodeConfig cfg = server.server().context().config();
            JsonNode conf = AdminHttp.json(admin, "/commands/configuration");
            assertThat(conf.get("client_port").asInt()).isEqualTo(server.port());
            assertThat(conf.get("server_id").asInt()).isZero();
            assertThat(conf.get("tick_time").asInt()).isEqualTo(500);
            assertThat(conf.get("data_dir").asText()).isEqualTo(cfg.dataDir().toString());
            assertThat(AdminHttp.json(admin, "/commands/icfg").get("initial_configuration").asText())
                .isEqualTo(Files.readString(cfg.sourceFile()));
            JsonNode snapshot = AdminHttp.json(admin, "/commands/lsnp");
            assertThat(snapshot.get("zxid").asText()).as("no snapshot yet: ZooKeeper's answer for none").isEqualTo("ffffffffffffffff");
            assertThat(snapshot.get("timestamp").asLong()).isEqualTo(-1);

            assertHttpAsZooKeepers(admin, zk);
            assertAliases(admin);
            assertFieldsAsZooKeepers("standalone", admin);
            // answers that hold no data, byte for byte (the resets last: they clear the counters)
            for (String name : List.of("ruok", "leader", "voting_view", "zabstate", "is_read_only", "stat_reset",
                "connection_stat_reset")) {
                assertThat(AdminHttp.get(admin, "/commands/" + name).body()).as(name).isEqualTo(fixtureText("standalone/" + name + ".json"));
            }
        }
    }

    @Test
    void aRestartedNodeReportsTheSnapshotItTookAndTheCommandsFollowAdminCommandUrl() throws Exception {
        try (InProcessServer server = InProcessServer.startWithAdmin(dir, Map.of("admin.commandURL", "/zk/cmds/"))) {
            int admin = server.adminPort();
            try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                zk.create("/before-restart", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            assertThat(AdminHttp.get(admin, "/commands/ruok").status()).as("moved to admin.commandURL").isEqualTo(404);
            assertThat(AdminHttp.get(admin, "/zk/cmds").body()).startsWith("<a href=\"/zk/cmds/configuration\">configuration</a>\n");
            String lastZxid = AdminHttp.json(admin, "/zk/cmds/mntr").get("last_zxid").asText().substring(2);
            long before = System.currentTimeMillis() / 1000;
            server.restart();
            // recovery replayed the txns, and a standalone node then takes a snapshot of the tree it recovered
            Await.until(WAIT, "a snapshot at the last zxid",
                () -> AdminHttp.json(admin, "/zk/cmds/last_snapshot").get("zxid").asText().equals(lastZxid));
            long taken = AdminHttp.json(admin, "/zk/cmds/last_snapshot").get("timestamp").asLong();
            assertThat(taken).as("seconds since the epoch").isBetween(before - 1, System.currentTimeMillis() / 1000 + 1);
            // started from that snapshot, a node reports it with its file's time, as ZooKeeper does
            server.restart();
            Await.until(WAIT, "the node serves again", () -> AdminHttp.get(admin, "/zk/cmds/ruok").json().get("error").isNull());
            JsonNode recovered = AdminHttp.json(admin, "/zk/cmds/lsnp");
            assertThat(recovered.get("zxid").asText()).isEqualTo(lastZxid);
            assertThat(recovered.get("timestamp").asLong()).isBetween(taken - 2, taken + 2);
        }
    }

    @Test
    void aLeaderAndAFollowerAnswerAsZooKeepersAndANodeWithoutAQuorumServesNoCommand() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.startWithAdmin(dir, 3, Map.of())) {
            int leader = ensemble.awaitServing(WAIT);
            int follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            int leaderAdmin = ensemble.adminPort(leader);
            int followerAdmin = ensemble.adminPort(follower);
            try (ZooKeeper onLeader = ZkClients.connect(ensemble.connectString(leader));
                 ZooKeeper onFollower = ZkClients.connect(ensemble.connectString(follower))) {
                createTree(onLeader);
                ephemeralAndWatches(onLeader, "leader");
                ephemeralAndWatches(onFollower, "follower");
                ZkClients.sync(onFollower, "/");
                long leaderSid = onLeader.getSessionId();
                long followerSid = onFollower.getSessionId();

                // the leader's keys: both followers synced, nothing pending, proposals sized
                Await.until(WAIT, "the leader counts two synced followers",
                    () -> AdminHttp.json(leaderAdmin, "/commands/mntr").get("synced_followers").asInt() == 2);
                JsonNode lm = AdminHttp.json(leaderAdmin, "/commands/mntr");
                assertThat(lm.get("server_state").asText()).isEqualTo("leader");
                assertThat(lm.get("peer_state").asText()).isEqualTo("leading - broadcast");
                assertThat(lm.get("learners").asInt()).isEqualTo(2);
                assertThat(lm.get("synced_non_voting_followers").asInt()).isZero();
                assertThat(lm.get("synced_observers").asInt()).isZero();
                assertThat(lm.get("pending_syncs").asInt()).isZero();
                assertThat(lm.get("quorum_size").asInt()).isEqualTo(3);
                assertThat(lm.get("leader_uptime").asLong()).isPositive();
                assertThat(lm.get("min_proposal_size").asLong()).isPositive();
                assertThat(lm.get("max_proposal_size").asLong()).isGreaterThanOrEqualTo(lm.get("min_proposal_size").asLong());
                assertThat(lm.get("znode_count").asInt()).isEqualTo(4 + 7);
                assertMonitorKeys(lm, "leader");
                assertFourLetterMntrAgrees(ensemble.clientPort(leader), leaderAdmin);
                JsonNode fm = AdminHttp.json(followerAdmin, "/commands/mntr");
                assertThat(fm.get("peer_state").asText()).isEqualTo("following - broadcast");
                assertThat(fm.get("quorum_size").asInt()).isEqualTo(3);
                assertMonitorKeys(fm, "follower");

                for (int id : List.of(leader, follower)) {
                    int port = ensemble.adminPort(id);
                    JsonNode lead = AdminHttp.json(port, "/commands/leader");
                    assertThat(lead.get("is_leader").asBoolean()).isEqualTo(id == leader);
                    assertThat(lead.get("leader_id").asInt()).isEqualTo(leader);
                    assertThat(lead.get("leader_ip").asText()).isEqualTo("127.0.0.1");
                    assertZabstateAndVotingView(port, ensemble.node(id).context().config(), id == leader);
                    assertThat(AdminHttp.json(port, "/commands/dump").get("session_id_to_ephemeral_paths"))
                        .isEqualTo(JSON.valueToTree(Map.of(Long.toString(leaderSid), List.of("/eph-leader"),
                            Long.toString(followerSid), List.of("/eph-follower"))));
                }
                assertWatchesAndEphemerals(leaderAdmin, leaderSid, Map.of(leaderSid, List.of("/eph-leader"),
                    followerSid, List.of("/eph-follower")));
                assertWatchesAndEphemerals(followerAdmin, followerSid, Map.of(leaderSid, List.of("/eph-leader"),
                    followerSid, List.of("/eph-follower")));
                // as ZooKeeper's: only the leader, which expires sessions, knows when they expire
                String expiry = AdminHttp.json(leaderAdmin, "/commands/dump").get("expiry_time_to_session_ids").toString();
                assertThat(expiry).contains(Long.toString(leaderSid)).contains(Long.toString(followerSid));
                assertThat(AdminHttp.json(followerAdmin, "/commands/dump").get("expiry_time_to_session_ids").isEmpty()).isTrue();
                JsonNode proposals = AdminHttp.json(leaderAdmin, "/commands/srvr").get("proposal_stats");
                assertThat(proposals.get("max_buffer_size").asLong()).isEqualTo(lm.get("max_proposal_size").asLong());
                assertThat(ServerProcess.fourLetterWord("127.0.0.1", ensemble.clientPort(leader), "srvr"))
                    .containsPattern("\nProposal sizes last/min/max: \\d+/\\d+/\\d+\n$");
                assertThat(AdminHttp.json(followerAdmin, "/commands/srvr").has("proposal_stats")).isFalse();
                assertThat(single(AdminHttp.json(followerAdmin, "/commands/cons").get("connections")).get("session_id")
                    .asLong()).isEqualTo(followerSid);

                assertAliases(leaderAdmin);
                assertFieldsAsZooKeepers("leader", leaderAdmin);
                assertFieldsAsZooKeepers("follower", followerAdmin);
            }

            // the other two stop: the last node loses its quorum, and answers as ZooKeeper's LOOKING server did
            List<Integer> others = new ArrayList<>(ensemble.ids());
            int last = others.remove(others.size() - 1);
            others.forEach(ensemble::stopNode);
            int port = ensemble.adminPort(last);
            Await.until(WAIT, "node " + last + " stops serving",
                () -> AdminHttp.json(port, "/commands/ruok").get("error").asText().equals(NOT_SERVING));
            SoftAssertions softly = new SoftAssertions();
            for (String file : fixtureFiles("looking-no-quorum")) {
                String expected = fixtureText("looking-no-quorum/" + file);
                String name = JSON.readTree(expected).get("command").asText();
                if (name.equals("environment") || name.equals("system_properties")) {
                    continue; // values of ZooKeeper's JVM
                }
                AdminHttp.Answer answer = AdminHttp.send(port, name.equals("restore") ? "POST" : "GET", "/commands/" + name, Map.of());
                softly.assertThat(answer.status()).as(name).isEqualTo(200);
                if (UNSUPPORTED.contains(name) && !JSON.readTree(expected).get("error").isTextual()) {
                    softly.assertThat(answer.json().get("error").asText()).as(name).startsWith(name + " is not supported by Paddock: ");
                } else {
                    softly.assertThat(answer.body()).as(name).isEqualTo(expected);
                }
            }
            // ZooKeeper's monitor fails with a 500 page here; Paddock's says it does not serve, as the others do
            softly.assertThat(AdminHttp.get(port, "/commands/mntr").json())
                .isEqualTo(JSON.readTree("{\"command\":\"mntr\",\"error\":\"" + NOT_SERVING + "\"}"));
            softly.assertAll();
        }
    }

    // ---------------------------------------------------------------- the data

    /** The znodes of the captures. */
    private static void createTree(ZooKeeper zk) throws Exception {
        zk.create("/a", "hello-a".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/a/child1", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/a/child2", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/b", "bee".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/b/seq-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
    }

    /** The session's ephemeral and the captures' four watches; returns the ephemeral's zxid. */
    private static long ephemeralAndWatches(ZooKeeper zk, String tag) throws Exception {
        Stat stat = new Stat();
        zk.create("/eph-" + tag, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, stat);
        zk.getData("/a", e -> { }, null);
        zk.getChildren("/a", e -> { });
        zk.exists("/does-not-exist", e -> { });
        zk.addWatch("/b", e -> { }, AddWatchMode.PERSISTENT);
        return stat.getCzxid();
    }

    // ---------------------------------------------------------------- checks

    /**
     * Every command has the fields ZooKeeper's {@code role} answered with, of the same JSON types,
     * its top-level fields in ZooKeeper's order (less {@link #OMITTED}); the ones Paddock has no
     * subject for say so; snapshot and restore ask for credentials as ZooKeeper's do.
     */
    private static void assertFieldsAsZooKeepers(String role, int port) throws IOException {
        SoftAssertions softly = new SoftAssertions();
        for (Registered c : registry()) {
            String name = c.primary();
            AdminHttp.Answer answer = AdminHttp.send(port, c.post() ? "POST" : "GET", "/commands/" + name, Map.of());
            if (c.auth()) {
                softly.assertThat(answer.status()).as(name).isEqualTo(401);
                softly.assertThat(answer.body()).as(name).isEqualTo(fixtureText(role + "/" + name + ".json"));
                continue;
            }
            softly.assertThat(answer.status()).as(name).isEqualTo(200);
            softly.assertThat(answer.contentType()).as(name).isEqualTo("application/json");
            JsonNode pd = answer.json();
            if (UNSUPPORTED.contains(name)) {
                softly.assertThat(fieldNames(pd)).as(name).containsExactly("error", "command");
                softly.assertThat(pd.get("error").asText()).as(name).startsWith(name + " is not supported by Paddock: ");
                continue;
            }
            if (name.equals("monitor")) {
                continue; // its keys depend on ZooKeeper's metrics provider: assertMonitorKeys
            }
            if (name.equals("system_properties")) {
                List<String> keys = new ArrayList<>(fieldNames(pd));
                softly.assertThat(keys.subList(keys.size() - 2, keys.size())).containsExactly("command", "error");
                softly.assertThat(keys.subList(0, keys.size() - 2)).isSorted().contains("java.version", "user.dir");
                continue;
            }
            // environment: the same keys on every role (captured once)
            JsonNode zk = fixture((name.equals("environment") ? "standalone" : role) + "/" + name + ".json");
            softly.assertThat(fieldNames(pd)).as(name).containsExactlyElementsOf(expectedFields(zk, ""));
            assertSameShape(softly, name, zk, pd, "");
        }
        softly.assertAll();
    }

    /** ZooKeeper's fields of an object at {@code path}, less those Paddock leaves out. */
    private static List<String> expectedFields(JsonNode zk, String path) {
        List<String> out = new ArrayList<>();
        zk.fieldNames().forEachRemaining(k -> {
            if (!OMITTED.contains(path.isEmpty() ? k : path + "." + k)) {
                out.add(k);
            }
        });
        return out;
    }

    /** Same JSON types all the way down; nested objects have ZooKeeper's fields (in any order: ZooKeeper's varies). */
    private static void assertSameShape(SoftAssertions softly, String name, JsonNode zk, JsonNode pd, String path) {
        String where = name + " " + (path.isEmpty() ? "(top)" : path);
        if (zk.isObject()) {
            softly.assertThat(pd.isObject()).as(where + " is an object: " + pd).isTrue();
            if (!pd.isObject()) {
                return;
            }
            String key = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
            if (KEYED_BY_DATA.contains(key)) {
                JsonNode zkValue = first(zk);
                JsonNode pdValue = first(pd);
                if (zkValue != null && pdValue != null) {
                    assertSameShape(softly, name, zkValue, pdValue, path + ".*");
                }
                return;
            }
            if (!path.isEmpty()) {
                softly.assertThat(fieldNames(pd)).as(where).containsExactlyInAnyOrderElementsOf(expectedFields(zk, path));
            }
            for (String k : expectedFields(zk, path)) {
                if (pd.has(k)) {
                    assertSameShape(softly, name, zk.get(k), pd.get(k), path.isEmpty() ? k : path + "." + k);
                }
            }
        } else if (zk.isArray()) {
            softly.assertThat(pd.isArray()).as(where + " is an array: " + pd).isTrue();
            if (pd.isArray() && !zk.isEmpty() && !pd.isEmpty()) {
                assertSameShape(softly, name, zk.get(0), pd.get(0), path + "[]");
            }
        } else {
            softly.assertThat(pd.getNodeType()).as(where + ": " + pd).isEqualTo(zk.getNodeType());
            if (zk.isNumber() && pd.isNumber()) {
                softly.assertThat(pd.isIntegralNumber()).as(where + " is a whole number: " + pd).isEqualTo(zk.isIntegralNumber());
            }
        }
    }

    /**
     * monitor has ZooKeeper's keys of its default metrics provider (integers, the average latency
     * a double) and of {@code role}, plus Paddock's own two; no key ZooKeeper does not have.
     */
    private static void assertMonitorKeys(JsonNode monitor, String role) throws IOException {
        JsonNode defaults = fixture("standalone-default-metrics/monitor.json");
        // the keys a leader or follower adds, from the captures with the Prometheus provider (labelled samples aside)
        Set<String> roleKeys = new LinkedHashSet<>(fieldNames(fixture(role + "/monitor.json")));
        roleKeys.removeAll(fieldNames(fixture("standalone/monitor.json")));
        roleKeys.removeIf(k -> k.contains("{"));
        List<String> keys = new ArrayList<>(fieldNames(monitor));
        assertThat(keys.subList(keys.size() - 2, keys.size())).containsExactly("command", "error");
        assertThat(keys.subList(0, 2)).containsExactly("version", "server_state");
        Set<String> ours = new LinkedHashSet<>(keys.subList(0, keys.size() - 2));
        ours.removeAll(PADDOCK_MONITOR_KEYS);
        Set<String> zookeepers = new LinkedHashSet<>(fieldNames(defaults));
        zookeepers.addAll(roleKeys);
        assertThat(zookeepers).as("ZooKeeper's keys").containsAll(ours);
        assertThat(ours).containsAll(BASIC_MONITOR_KEYS);
        List<String> expectedRoleKeys = new ArrayList<>(role.equals("standalone") ? List.of() : QUORUM_KEYS);
        if (role.equals("leader")) {
            expectedRoleKeys.addAll(LEADER_KEYS);
        }
        assertThat(roleKeys).as("what ZooKeeper's %s adds", role).containsExactlyInAnyOrderElementsOf(expectedRoleKeys);
        assertThat(ours).containsAll(roleKeys);
        for (String k : ours) {
            JsonNode zk = defaults.has(k) ? defaults.get(k) : JSON.getNodeFactory().numberNode(0);
            JsonNode v = monitor.get(k);
            if (k.equals("peer_state") || zk.isTextual()) {
                assertThat(v.isTextual()).as(k).isTrue();
            } else {
                assertThat(v.isIntegralNumber()).as("%s is %s like ZooKeeper's %s", k, v, zk).isEqualTo(zk.isIntegralNumber());
            }
        }
    }

    /** 4lw mntr prints the same keys as monitor (with zk_), and the same counts. */
    private static void assertFourLetterMntrAgrees(int clientPort, int admin) {
        Map<String, String> mntr = new LinkedHashMap<>();
        for (String line : ServerProcess.fourLetterWord("127.0.0.1", clientPort, "mntr").split("\n")) {
            String[] kv = line.split("\t", 2);
            mntr.put(kv[0], kv[1]);
        }
        JsonNode monitor = AdminHttp.json(admin, "/commands/monitor");
        List<String> keys = new ArrayList<>();
        for (String k : fieldNames(monitor)) {
            if (!k.equals("command") && !k.equals("error")) {
                keys.add("zk_" + k);
            }
        }
        assertThat(mntr.keySet()).containsExactlyElementsOf(keys);
        for (String k : List.of("znode_count", "watch_count", "ephemerals_count", "global_sessions", "version", "server_state")) {
            assertThat(mntr.get("zk_" + k)).as(k).isEqualTo(monitor.get(k).asText());
        }
    }

    /** watch_summary, watches, watches_by_path of the captures' watches by session {@code sid}, and every session's ephemerals. */
    private static void assertWatchesAndEphemerals(int admin, long sid, Map<Long, List<String>> ephemerals) {
        JsonNode summary = AdminHttp.json(admin, "/commands/wchs");
        assertThat(List.of(summary.get("num_connections").asInt(), summary.get("num_paths").asInt(),
            summary.get("num_total_watches").asInt())).as("as ZooKeeper's: data watches only").containsExactly(1, 3, 3);
        assertThat(AdminHttp.json(admin, "/commands/wchc").get("session_id_to_watched_paths"))
            .isEqualTo(JSON.valueToTree(Map.of(Long.toString(sid), List.of("/a", "/b", "/does-not-exist"))));
        assertThat(AdminHttp.json(admin, "/commands/wchp").get("path_to_session_ids")).isEqualTo(JSON.valueToTree(
            Map.of("/a", List.of(sid), "/b", List.of(sid), "/does-not-exist", List.of(sid))));
        Map<String, List<String>> byId = new LinkedHashMap<>();
        ephemerals.forEach((id, paths) -> byId.put(Long.toString(id), paths));
        assertThat(AdminHttp.json(admin, "/commands/dump").get("session_id_to_ephemeral_paths")).isEqualTo(JSON.valueToTree(byId));
    }

    /** zabstate and voting_view from the node's own server lines. */
    private static void assertZabstateAndVotingView(int admin, NodeConfig cfg, boolean leads) {
        ServerSpec self = cfg.self();
        JsonNode zab = AdminHttp.json(admin, "/commands/zabstate");
        assertThat(zab.get("myid").asLong()).isEqualTo(cfg.serverId());
        assertThat(zab.get("is_leader").asBoolean()).isEqualTo(leads);
        assertThat(zab.get("voting").asBoolean()).isTrue();
        assertThat(zab.get("zabstate").asText()).isEqualTo("broadcast");
        assertThat(zab.get("quorum_address").get("one").asText()).isEqualTo("127.0.0.1:" + self.quorumPort());
        assertThat(zab.get("election_address").get("all_ports")).isEqualTo(JSON.valueToTree(List.of(self.electionPort())));
        assertThat(zab.get("client_address").asText()).isEqualTo("127.0.0.1:" + cfg.clientAddress().getPort());
        long lastZxid = Long.decode(zab.get("last_zxid").asText());
        assertThat(zab.get("zab_epoch").asLong()).isEqualTo(lastZxid >>> 32);
        assertThat(zab.get("zab_counter").asLong()).isEqualTo(lastZxid & 0xffffffffL);
        JsonNode view = AdminHttp.json(admin, "/commands/voting_view").get("current_config");
        assertThat(fieldNames(view)).containsExactly("1", "2", "3");
        for (ServerSpec s : cfg.servers().values()) {
            JsonNode v = view.get(Long.toString(s.id()));
            assertThat(v.get("server_addresses").get(0).asText()).isEqualTo("127.0.0.1:" + s.quorumPort());
            assertThat(v.get("election_addresses").get(0).asText()).isEqualTo("127.0.0.1:" + s.electionPort());
            // as ZooKeeper's: a server line without a client address shows none, except this node's own
            assertThat(v.get("client_address").asText())
                .isEqualTo(s.id() == cfg.serverId() ? "127.0.0.1:" + cfg.clientAddress().getPort() : "");
        }
    }

    /**
     * Every alias answers as its command ({@code command} is the primary name), except that the
     * refusals before a command runs (snapshot's and restore's credentials) name what was asked for.
     */
    private static void assertAliases(int admin) throws IOException {
        SoftAssertions softly = new SoftAssertions();
        for (Registered c : registry()) {
            for (String alias : c.names().subList(1, c.names().size())) {
                AdminHttp.Answer answer = AdminHttp.send(admin, c.post() ? "POST" : "GET", "/commands/" + alias, Map.of());
                softly.assertThat(answer.status()).as(alias).isEqualTo(c.auth() ? 401 : 200);
                softly.assertThat(answer.json().get("command").asText()).as(alias).isEqualTo(c.auth() ? alias : c.primary());
            }
        }
        softly.assertAll();
    }

    /** Statuses, methods and credentials, as ZooKeeper's AdminServer answers them. */
    private static void assertHttpAsZooKeepers(int admin, ZooKeeper zk) throws Exception {
        assertThat(AdminHttp.get(admin, "/commands/nosuchcmd").body()).isEqualTo(fixtureText("standalone/misc/unknown.json"));
        assertThat(AdminHttp.get(admin, "/commands/RUOK").body()).as("names are case-sensitive")
            .isEqualTo(fixtureText("standalone/misc/upper-case.json"));
        assertThat(AdminHttp.get(admin, "/commands/ruok?x=1").status()).isEqualTo(200);
        AdminHttp.Answer head = AdminHttp.send(admin, "HEAD", "/commands/ruok", Map.of());
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.contentType()).isEqualTo("application/json");
        // ZooKeeper fails a POST to a GET command with a 500 page; Paddock says which method it takes
        AdminHttp.Answer post = AdminHttp.send(admin, "POST", "/commands/ruok", Map.of());
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(post.json().get("error").asText()).isEqualTo("ruok takes GET, not POST");
        assertThat(AdminHttp.send(admin, "PUT", "/commands/stat_reset", Map.of()).status()).isEqualTo(405);

        // snapshot and restore: credentials first, as ZooKeeper's; then Paddock refuses them
        assertThat(AdminHttp.send(admin, "GET", "/commands/snapshot", Map.of("Authorization", "foo bar")).body())
            .isEqualTo(fixtureText("standalone/misc/snapshot-unknown-scheme.json"));
        for (String name : List.of("snapshot", "restore")) {
            AdminHttp.Answer refused = AdminHttp.send(admin, name.equals("restore") ? "POST" : "GET", "/commands/" + name,
                Map.of("Authorization", "digest anyone:anything"));
            assertThat(refused.status()).as("/ grants world:anyone ALL, so any digest passes; then Paddock has none to give")
                .isEqualTo(501);
            assertThat(fieldNames(refused.json())).containsExactly("error", "command");
            assertThat(refused.json().get("error").asText()).startsWith(name + " is not supported by Paddock: ");
        }
        zk.addAuthInfo("digest", "admin:secret".getBytes(StandardCharsets.UTF_8));
        zk.setACL("/", ZooDefs.Ids.CREATOR_ALL_ACL, -1); // admin:secret's digest alone
        try {
            AdminHttp.Answer forbidden = AdminHttp.send(admin, "GET", "/commands/snapshot", Map.of("Authorization", "digest other:pw"));
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.json()).isEqualTo(JSON.readTree("{\"command\":\"snapshot\",\"error\":\"Not authorized\"}"));
            assertThat(AdminHttp.send(admin, "GET", "/commands/snap", Map.of("Authorization", "digest admin:secret")).status())
                .isEqualTo(501);
        } finally {
            zk.setACL("/", ZooDefs.Ids.OPEN_ACL_UNSAFE, -1);
        }
    }

    // ---------------------------------------------------------------- fixtures and JSON

    /** ZooKeeper 3.9.5's command registry, from the capture. */
    private static List<Registered> registry() throws IOException {
        List<Registered> out = new ArrayList<>();
        for (String line : fixtureText("commands-registry.tsv").split("\n")) {
            String[] f = line.split("\t");
            List<String> names = new ArrayList<>(List.of(f[1].substring(1, f[1].length() - 1).split(", ")));
            names.remove(f[0]);
            names.add(0, f[0]);
            out.add(new Registered(f[0], names, f[2].equals("POST"), !f[4].equals("auth=none")));
        }
        return out;
    }

    /** The primaries' answers captured in {@code role}. */
    private static List<String> fixtureFiles(String role) throws IOException {
        List<String> files = new ArrayList<>();
        for (Registered c : registry()) {
            String file = c.primary() + ".json";
            try (InputStream in = resource(role + "/" + file)) {
                if (in != null) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    private static InputStream resource(String name) {
        return AdminCommandsTest.class.getResourceAsStream("/zookeeper-3.9.5-admin/" + name);
    }

    private static String fixtureText(String name) {
        try (InputStream in = resource(name)) {
            if (in == null) {
                throw new AssertionError("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(fixtureText(name));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode first(JsonNode object) {
        Iterator<JsonNode> values = object.elements();
        return values.hasNext() ? values.next() : null;
    }

    private static JsonNode single(JsonNode array) {
        assertThat(array).as("one connection: %s", array).hasSize(1);
        return array.get(0);
    }
}
