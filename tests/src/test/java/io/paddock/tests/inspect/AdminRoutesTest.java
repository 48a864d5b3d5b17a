package io.paddock.tests.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.tests.support.AdminHttp;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paddock's own routes on the admin port ({@code /paddock/status}, {@code /paddock/ensemble},
 * {@code /paddock/tree}) and {@code /ready}, on a standalone node and on a 3-node ensemble through
 * a leader change and a quorum loss.
 */
class AdminRoutesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A node that has started answers on its admin port at once (it once bound it a moment later). */
    @Test
    void theAdminPortAnswersAsSoonAsTheNodeHasStarted() {
        for (int i = 0; i < 3; i++) {
            try (InProcessServer server = InProcessServer.startWithAdmin(dir.resolve("n" + i), Map.of())) {
                assertThat(AdminHttp.get(server.adminPort(), "/ready").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aStandaloneNodeShowsItsStatusItsTreeAndThatItIsReady() throws Exception {
        try (InProcessServer server = InProcessServer.startWithAdmin(dir, Map.of());
             ZooKeeper zk = ZkClients.connect(server.connectString())) {
            int admin = server.adminPort();
            zk.create("/app", "name=paddock".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT);
            for (int i = 0; i < 3; i++) {
                zk.create("/app/c" + i, new byte[] {0, (byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            Stat last = new Stat();
            zk.create("/app/last", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, last);
            zk.exists("/app", true);

            JsonNode status = AdminHttp.json(admin, "/paddock/status");
            assertThat(status.get("role").asText()).isEqualTo("standalone");
            assertThat(status.get("zabPhase").asText()).isEqualTo("broadcast");
            assertThat(status.get("serving").asBoolean()).isTrue();
            assertThat(status.get("leader").asLong()).isEqualTo(status.get("serverId").asLong());
            assertThat(status.get("lastCommittedZxid").asText()).isEqualTo("0x" + Long.toHexString(last.getCzxid()));
            assertThat(status.get("lastLoggedZxid").asText()).isEqualTo("0x" + Long.toHexString(last.getCzxid()));
            assertThat(status.get("znodes").asInt()).isEqualTo(4 + 5); // /, /zookeeper, its config and quota, and ours
            assertThat(status.get("sessions").asInt()).isEqualTo(1);
            assertThat(status.get("connections").asInt()).isEqualTo(1);
            assertThat(status.get("watches").asInt()).isEqualTo(1);
            assertThat(status.get("journalBytes").asLong()).isPositive();
            assertThat(status.get("approximateDataSize").asLong()).isPositive();

            JsonNode app = AdminHttp.json(admin, "/paddock/tree?path=/app&limit=2");
            assertThat(app.get("data").asText()).isEqualTo("name=paddock");
            assertThat(app.get("dataEncoding").asText()).isEqualTo("utf8");
            assertThat(app.get("stat").get("numChildren").asInt()).isEqualTo(4);
            assertThat(texts(app.get("children"))).containsExactly("c0", "c1");
            JsonNode next = AdminHttp.json(admin, "/paddock/tree?path=/app&limit=2&offset=" + app.get("nextOffset").asInt());
            assertThat(texts(next.get("children"))).containsExactly("c2", "last");
            assertThat(next.get("nextOffset").isNull()).isTrue();
            JsonNode binary = AdminHttp.json(admin, "/paddock/tree?path=/app/c2");
            assertThat(binary.get("dataEncoding").asText()).isEqualTo("base64");
            assertThat(binary.get("data").asText()).isEqualTo("AAI=");
            JsonNode ephemeral = AdminHttp.json(admin, "/paddock/tree?path=/app/last");
            assertThat(ephemeral.get("stat").get("ephemeralOwner").asText()).isEqualTo("0x" + Long.toHexString(zk.getSessionId()));

            assertThat(AdminHttp.get(admin, "/paddock/tree?path=/missing").status()).isEqualTo(404);
            AdminHttp.Answer invalid = AdminHttp.get(admin, "/paddock/tree?path=no-slash");
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.json().get("error").asText()).contains("no-slash");
            assertThat(AdminHttp.get(admin, "/paddock/tree?path=/app&limit=0").status()).isEqualTo(400);
            assertThat(AdminHttp.get(admin, "/paddock/tree?path=/app&offset=x").status()).isEqualTo(400);

            JsonNode ensemble = AdminHttp.json(admin, "/paddock/ensemble");
            assertThat(ensemble.get("servers")).hasSize(1);
            assertThat(ensemble.get("servers").get(0).get("role").asText()).isEqualTo("standalone");
            assertThat(AdminHttp.get(admin, "/ready").status()).isEqualTo(200);
            assertThat(AdminHttp.get(admin, "/alive").status()).isEqualTo(200);
        }
    }

    @Test
    void theEnsembleViewFollowsALeaderChangeAndReadyTurnsFalseWhenTheQuorumIsLost() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.startWithAdmin(dir, 3, Map.of())) {
            int leader = ensemble.awaitServing(WAIT);
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString())) {
                zk.create("/x", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                ZkClients.sync(zk, "/x");
                // /zookeeper/config as ZooKeeper's servers write it (what zkCli's config and Curator's tracker read)
                Stat stat = new Stat();
                String config = new String(zk.getConfig(false, stat), StandardCharsets.UTF_8);
                assertThat(config).matches("server\\.1=127\\.0\\.0\\.1:\\d+:\\d+:participant\n"
                    + "server\\.2=127\\.0\\.0\\.1:\\d+:\\d+:participant\n"
                    + "server\\.3=127\\.0\\.0\\.1:\\d+:\\d+:participant\nversion=0");
                assertThat(stat.getVersion()).isEqualTo(-1);
            }
            // every node sees the same ensemble: three reachable servers, one leader, known lags
            for (int id : ensemble.ids()) {
                int port = ensemble.adminPort(id);
                Await.until(WAIT, "node " + id + " sees all three serving under leader " + leader, () -> {
                    JsonNode view = AdminHttp.json(port, "/paddock/ensemble");
                    return view.get("leader").asInt() == leader && allServing(view, ensemble.ids());
                });
                JsonNode status = AdminHttp.json(port, "/paddock/status");
                assertThat(status.get("leader").asInt()).isEqualTo(leader);
                assertThat(status.get("role").asText()).isEqualTo(id == leader ? "leader" : "follower");
                assertThat(AdminHttp.get(port, "/ready").status()).isEqualTo(200);
            }

            // the leader stops: the survivors answer every route all the while, and agree on a new leader
            ensemble.stopNode(leader);
            List<Integer> survivors = new ArrayList<>(ensemble.ids());
            survivors.remove(Integer.valueOf(leader));
            Await.until(WAIT, "the survivors agree on a new leader and see " + leader + " gone", () -> {
                boolean agreed = true;
                for (int id : survivors) {
                    int port = ensemble.adminPort(id);
                    JsonNode status = AdminHttp.json(port, "/paddock/status");
                    assertThat(status.get("serverId").asInt()).isEqualTo(id);
                    JsonNode view = AdminHttp.json(port, "/paddock/ensemble");
                    JsonNode gone = server(view, leader);
                    int newLeader = view.get("leader").isNull() ? -1 : view.get("leader").asInt();
                    agreed &= survivors.contains(newLeader) && !gone.get("reachable").asBoolean()
                        && AdminHttp.get(port, "/ready").status() == 200;
                }
                return agreed;
            });

            // one more stops: the last node has no quorum, stops serving, and says so
            int last = survivors.get(1);
            ensemble.stopNode(survivors.get(0));
            int port = ensemble.adminPort(last);
            Await.until(WAIT, "node " + last + " is not ready without a quorum", () -> AdminHttp.get(port, "/ready").status() != 200);
            // pekko-management answers a failed check with 500 and "Not Healthy"
            AdminHttp.Answer ready = AdminHttp.get(port, "/ready");
            assertThat(ready.status()).isEqualTo(500);
            assertThat(ready.body()).startsWith("Not Healthy");
            JsonNode status = AdminHttp.json(port, "/paddock/status");
            assertThat(status.get("serving").asBoolean()).isFalse();
            assertThat(status.get("role").asText()).isEqualTo("looking");
            assertThat(status.get("leader").isNull()).isTrue();
            assertThat(AdminHttp.json(port, "/paddock/ensemble").get("leader").isNull()).isTrue();
            assertThat(AdminHttp.get(port, "/alive").status()).isEqualTo(200);
        }
    }

    private static boolean allServing(JsonNode view, List<Integer> ids) {
        for (int id : ids) {
            JsonNode s = server(view, id);
            if (!s.get("reachable").asBoolean() || !s.get("serving").asBoolean() || !s.get("lag").isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode server(JsonNode view, int id) {
        for (JsonNode s : view.get("servers")) {
            if (s.get("serverId").asInt() == id) {
                return s;
            }
        }
        throw new AssertionError("server " + id + " is not listed: " + view);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
