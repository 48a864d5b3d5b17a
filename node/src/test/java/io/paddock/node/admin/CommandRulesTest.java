package io.paddock.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.config.MetricsProvider;
import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.node.context.ServerContext;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.DataTree;
import io.paddock.node.watch.WatchManager;
import io.paddock.node.zab.LearnerCounts;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link AdminCommands}' rules without HTTP: ZooKeeper's order of checks (unknown name, a node
 * that does not serve, credentials, method), which name an answer carries, and what the
 * commands that need no client read from a node's state. AdminCommandsTest (tests module)
 * compares the answers with ZooKeeper's over HTTP.
 */
class CommandRulesTest {
    private static final Path DIR = Path.of("target", "command-rules-test");
    private static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";
    private long clock = 10_000;

    private static NodeConfig config(Map<Long, ServerSpec> servers, long id) {
        return new NodeConfig(DIR.resolve("zoo.cfg"), id, 2000, 10, 5, DIR, DIR,
            new InetSocketAddress("127.0.0.1", 2181), 60, 4000, 40000, 100000, 3, 0, Set.of("ruok"), 1048575, 1000,
            false, 60000, 10000, 10000, servers, true, false, false, "127.0.0.1", 8080, "/commands", MetricsProvider.NONE, null, false, List.of());
    }

    private static Map<Long, ServerSpec> threeServers() {
        Map<Long, ServerSpec> servers = new TreeMap<>();
        for (long id = 1; id <= 3; id++) {
            servers.put(id, new ServerSpec(id, "127.0.0.1", 2887 + (int) id, 3887 + (int) id, ServerSpec.Role.PARTICIPANT,
                null));
        }
        return servers;
    }

    private ServerContext node(Map<Long, ServerSpec> servers, long id) {
        ServerContext ctx = new ServerContext(config(servers, id), new SessionTracker(id, 0, () -> clock));
        ctx.installTree(new DataTree(new WatchManager()));
        return ctx;
    }

    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static AdminCommands.Answer get(String name, ServerContext ctx) {
        return AdminCommands.run(name, "GET", null, ctx);
    }

    @Test
    void theChecksComeInZooKeepersOrder() {
        ServerContext looking = node(threeServers(), 1);
        // unknown first, with the name as asked for (names are case-sensitive)
        assertThat(get("RUOK", looking)).isEqualTo(new AdminCommands.Answer(200, body("command", "RUOK", "error", "Unknown command: RUOK")));
        // then a node that does not serve: before the credentials, before the method
        assertThat(AdminCommands.run("rest", "POST", null, looking))
            .isEqualTo(new AdminCommands.Answer(200, body("command", "rest", "error", NOT_SERVING)));
        assertThat(AdminCommands.run("srvr", "PUT", null, looking))
            .isEqualTo(new AdminCommands.Answer(200, body("command", "srvr", "error", NOT_SERVING)));
        assertThat(get("mntr", null)).as("not attached yet").isEqualTo(new AdminCommands.Answer(200, body("command", "mntr", "error", NOT_SERVING)));
        // the commands that need no serving node still answer
        assertThat(get("zabstate", null).body()).isEqualTo(body("voting", false, "zabstate", "", "command", "zabstate", "error", null));
        assertThat(get("env", looking).body()).containsEntry("command", "environment").containsKey("java.version");

        ServerContext serving = node(Map.of(), 0);
        serving.serve("standalone", r -> { }, 1);
        // then the credentials: missing, of an unknown scheme, or not granted ALL on /
        assertThat(get("snap", serving)).isEqualTo(new AdminCommands.Answer(401, body("command", "snap", "error",
            "Auth info is missing for the command")));
        assertThat(AdminCommands.run("snapshot", "GET", "ip 127.0.0.1", serving))
            .isEqualTo(new AdminCommands.Answer(401, body("command", "snapshot", "error", "Not authenticated")));
        assertThat(AdminCommands.run("snapshot", "GET", "digest", serving).status()).isEqualTo(401);
        serving.tree().apply(new Txn(1, 0, 0, 0, new TxnOp.SetAclTxn("/",
            List.of(new Acl(Perms.ALL & ~Perms.DELETE, new Id("world", "anyone"))), 1)));
        assertThat(AdminCommands.run("snapshot", "GET", "digest a:b", serving))
            .as("every permission must be granted").isEqualTo(new AdminCommands.Answer(403, body("command", "snapshot", "error", "Not authorized")));
        serving.tree().apply(new Txn(2, 0, 0, 0, new TxnOp.SetAclTxn("/", Acl.OPEN_ACL_UNSAFE, 2)));
        AdminCommands.Answer refused = AdminCommands.run("snapshot", "GET", "digest a:b", serving);
        assertThat(refused.status()).isEqualTo(501);
        assertThat(new ArrayList<>(refused.body().keySet())).containsExactly("error", "command");
        // then the method
        assertThat(AdminCommands.run("ruok", "POST", null, serving))
            .isEqualTo(new AdminCommands.Answer(405, body("command", "ruok", "error", "ruok takes GET, not POST")));
        assertThat(AdminCommands.run("restore", "GET", "digest a:b", serving).status()).isEqualTo(405);
        assertThat(AdminCommands.run("ruok", "HEAD", null, serving)).isEqualTo(get("ruok", serving));
    }

    @Test
    void anAliasAnswersWithItsCommandsNameAndErrorsOfTheCommandItselfComeFirst() {
        ServerContext standalone = node(Map.of(), 0);
        standalone.serve("standalone", r -> { }, 1);
        assertThat(get("isro", standalone)).isEqualTo(new AdminCommands.Answer(200,
            body("read_only", false, "command", "is_read_only", "error", null)));
        assertThat(get("lead", standalone)).isEqualTo(new AdminCommands.Answer(200,
            body("error", "server is not initialized", "command", "leader")));
        assertThat(get("gtmk", standalone).body()).containsEntry("command", "get_trace_mask")
            .containsEntry("error", "get_trace_mask is not supported by Paddock: it has no trace mask; log levels are set in logback.xml.");
        assertThat(AdminCommands.primaryNames()).hasSize(28).isSorted().contains("restore", "snapshot", "set_trace_mask");
    }

    @Test
    void theLeaderAndTheZabStateComeFromTheNodesStateAndConfig() {
        ServerContext follower = node(threeServers(), 2);
        follower.zabPhase(ServerContext.ZabPhase.SYNCHRONIZATION, 3);
        Map<String, Object> zab = get("zabstate", follower).body();
        assertThat(zab).containsEntry("myid", 2L).containsEntry("is_leader", false).containsEntry("voting", true)
            .containsEntry("zabstate", "synchronization").containsEntry("client_address", "127.0.0.1:2181");
        assertThat(zab.get("quorum_address")).isEqualTo(body("empty", false, "all_addresses", List.of("127.0.0.1:2889"),
            "wildcard_addresses", List.of("0.0.0.0:2889"), "all_ports", List.of(2889), "all_host_strings", List.of("127.0.0.1"),
            "reachable_address", "127.0.0.1:2889", "all_reachable_addresses", List.of("127.0.0.1:2889"),
            "all_reachable_addresses_or_all", List.of("127.0.0.1:2889"), "reachable_or_one", "127.0.0.1:2889",
            "one", "127.0.0.1:2889"));
        follower.serve("follower", r -> { }, 1);
        assertThat(get("lead", follower).body()).isEqualTo(body("is_leader", false, "leader_id", 3L, "leader_ip", "127.0.0.1",
            "command", "leader", "error", null));
        assertThat(get("obsr", follower).body()).isEqualTo(body("synced_observers", 0, "observers", List.of(),
            "command", "observers", "error", null));
        follower.stopServing("looking");
        assertThat(get("zabstate", follower).body()).as("looking: no epoch").containsEntry("zabstate", "");

        ServerContext leader = node(threeServers(), 3);
        leader.zabPhase(ServerContext.ZabPhase.DISCOVERY, 3);
        leader.serve("leader", r -> { }, 1);
        leader.leading(new ServerContext.LeaderState(0, new LearnerCounts(2, 1, 0, List.of(4L), 1)));
        assertThat(get("obsr", leader).body()).isEqualTo(body("synced_observers", 1, "observers", List.of(Map.of("sid", 4L)),
            "command", "observers", "error", null));
        assertThat(get("mntr", leader).body()).containsEntry("peer_state", "leading - broadcast")
            .containsEntry("learners", 2).containsEntry("synced_followers", 1).containsEntry("synced_observers", 1)
            .containsEntry("pending_syncs", 1).containsEntry("quorum_size", 3);
    }

    @Test
    void sessionsExpireInTickBucketsKnownOnlyWhereTheyAreExpired() {
        ServerContext leader = node(threeServers(), 1);
        leader.sessions().add(0x100, 4000); // seen at 10,000: expires at 14,000, checked by 16,000
        clock = 11_500;
        leader.sessions().add(0x200, 4000); // 15,500: by 16,000 too
        leader.sessions().add(0x300, 6000); // 17,500: by 18,000
        assertThat(io.paddock.node.inspect.SessionDump.expiryBuckets(leader)).as("not leading").isEmpty();
        leader.serve("leader", r -> { }, 1);
        leader.leading(new ServerContext.LeaderState(0, LearnerCounts.NONE));
        assertThat(io.paddock.node.inspect.SessionDump.expiryBuckets(leader))
            .isEqualTo(Map.of(16_000L, List.of(0x100L, 0x200L), 18_000L, List.of(0x300L)));
    }
}
