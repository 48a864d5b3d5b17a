package io.paddock.tests.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.AdminHttp;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.PrometheusText;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus metrics under ZooKeeper's names, on the admin port's /metrics and on ZooKeeper's
 * metricsProvider.httpPort: present, agreeing with what clients did, and increasing under load.
 */
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static PrometheusText scrape(int port) {
        AdminHttp.Answer a = AdminHttp.get(port, "/metrics");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("text/plain; version=0.0.4");
        return PrometheusText.parse(a.body());
    }

    @Test
    void aStandaloneNodeCountsWhatItsClientsDoUnderZooKeepersNames() throws Exception {
        int admin = LoopbackPorts.free();
        int metricsPort = LoopbackPorts.free();
        try (InProcessServer server = InProcessServer.start(dir, Map.of("admin.enableServer", "true",
                 "admin.serverAddress", "127.0.0.1", "admin.serverPort", Integer.toString(admin),
                 "metricsProvider.className", "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider",
                 "metricsProvider.httpHost", "127.0.0.1", "metricsProvider.httpPort", Integer.toString(metricsPort)));
             ZooKeeper zk = ZkClients.connect(server.connectString())) {
            PrometheusText before = scrape(admin);
            for (int i = 0; i < 20; i++) {
                zk.create("/m" + i, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                zk.getData("/m" + i, true, null);
            }
            PrometheusText after = scrape(admin);

            JsonNode status = AdminHttp.json(admin, "/paddock/status");
            assertThat(after.value("znode_count")).isEqualTo(status.get("znodes").asDouble());
            assertThat(after.value("watch_count")).isEqualTo(20);
            assertThat(after.value("global_sessions")).isEqualTo(1);
            assertThat(after.value("num_alive_connections")).isEqualTo(1);
            assertThat(after.value("approximate_data_size")).isEqualTo(status.get("approximateDataSize").asDouble());
            assertThat(after.value("paddock_serving")).isEqualTo(1);
            assertThat(after.types()).containsEntry("znode_count", "gauge").containsEntry("readlatency", "summary")
                .containsEntry("updatelatency", "summary").containsEntry("fsynctime", "summary")
                .containsEntry("paddock_request_duration_seconds", "histogram");
            assertThat(after.samples()).containsKey("readlatency{quantile=\"0.99\"}")
                .containsKey("jvm_memory_used_bytes{area=\"heap\"}");

            assertThat(after.value("paddock_request_duration_seconds_count{op=\"create\"}")
                - before.samples().getOrDefault("paddock_request_duration_seconds_count{op=\"create\"}", 0.0)).isEqualTo(20);
            assertThat(after.value("paddock_request_duration_seconds_count{op=\"getData\"}")
                - before.samples().getOrDefault("paddock_request_duration_seconds_count{op=\"getData\"}", 0.0)).isEqualTo(20);
            assertThat(after.value("updatelatency_count") - before.value("updatelatency_count")).isEqualTo(20);
            assertThat(after.value("readlatency_count") - before.value("readlatency_count")).isEqualTo(20);
            assertThat(after.value("fsynctime_count")).isGreaterThan(before.value("fsynctime_count"));
            assertThat(after.value("paddock_fsync_batch_writes_sum")).isGreaterThanOrEqualTo(20);
            assertThat(after.value("packets_received")).isGreaterThan(before.value("packets_received"));

            // mntr's summaries (ZooKeeper's default provider's shape) come from the same observations
            JsonNode monitor = AdminHttp.json(admin, "/commands/monitor");
            assertThat(monitor.get("cnt_updatelatency").asDouble()).isEqualTo(after.value("updatelatency_count"));
            assertThat(monitor.get("cnt_readlatency").asLong()).isGreaterThanOrEqualTo((long) after.value("readlatency_count"));
            assertThat(monitor.get("max_updatelatency").asLong()).isGreaterThanOrEqualTo(monitor.get("min_updatelatency").asLong());
            assertThat(monitor.get("p99_updatelatency").asLong()).isLessThanOrEqualTo(monitor.get("max_updatelatency").asLong() + 1);
            assertThat(monitor.get("proposal_count").asLong()).as("txns the standalone leader proposed")
                .isGreaterThanOrEqualTo(20);
            assertThat(monitor.get("commit_count").asLong()).isGreaterThanOrEqualTo(20);
                        // ZooKeeper's metrics port serves the same registry
            PrometheusText provider = scrape(metricsPort);
            assertThat(provider.value("znode_count")).isEqualTo(after.value("znode_count"));
            assertThat(provider.value("updatelatency_count")).isEqualTo(after.value("updatelatency_count"));
        }
    }

    @Test
    void anEnsembleCountsElectionsAndTheLeaderTimesItsCommits() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.startWithAdmin(dir, 3, Map.of())) {
            int leader = ensemble.awaitServing(WAIT);
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader))) {
                for (int i = 0; i < 10; i++) {
                    zk.create("/e" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
            }
            PrometheusText onLeader = scrape(ensemble.adminPort(leader));
            assertThat(onLeader.value("paddock_proposal_commit_seconds_count")).isGreaterThanOrEqualTo(10);
            assertThat(onLeader.value("quorum_size")).isEqualTo(3);
            Await.until(WAIT, "the leader counts both followers synced",
                () -> scrape(ensemble.adminPort(leader)).value("synced_followers") == 2);
            assertThat(onLeader.value("learners")).isEqualTo(2);
            // the learner syncs: /metrics and mntr count them alike (a sync by truncation is a diff too)
            JsonNode mntr = AdminHttp.json(ensemble.adminPort(leader), "/commands/mntr");
            assertThat(mntr.get("diff_count").asDouble() + mntr.get("snap_count").asDouble()).isGreaterThanOrEqualTo(2);
            PrometheusText synced = scrape(ensemble.adminPort(leader));
            assertThat(synced.value("diff_count")).isEqualTo(mntr.get("diff_count").asDouble());
            assertThat(synced.value("snap_count")).isEqualTo(mntr.get("snap_count").asDouble());
            assertThat(onLeader.value("pending_syncs")).isZero();
            assertThat(onLeader.value("paddock_last_committed_zxid_counter")).isGreaterThanOrEqualTo(10);
            // each follower's lag, published every half tick: both caught up once the writes are acked
            for (int id : ensemble.ids()) {
                if (id != leader) {
                    Await.until(WAIT, "the leader shows follower " + id + "'s lag as 0", () -> scrape(ensemble.adminPort(leader))
                        .samples().getOrDefault("paddock_learner_lag_txns{server=\"" + id + "\"}", -1.0) == 0);
                }
            }
            for (int id : ensemble.ids()) {
                PrometheusText m = scrape(ensemble.adminPort(id));
                // at least once: a node that joined late may have looked twice
                assertThat(m.value("paddock_elections_total")).as("node %d looked for a leader", id).isGreaterThanOrEqualTo(1);
                assertThat(m.value("election_time_count")).isEqualTo(m.value("paddock_elections_total"));
                assertThat(m.value("looking_count")).as("node %d went LOOKING", id).isGreaterThanOrEqualTo(1);
                if (id != leader) {
                    assertThat(m.value("paddock_proposal_commit_seconds_count")).as("only the leader commits").isZero();
                    assertThat(m.samples()).as("ZooKeeper's leader-only gauges").doesNotContainKeys("synced_followers",
                        "learners", "leader_uptime");
                    // a follower logs every txn too
                    Await.until(WAIT, "node " + id + " logged the writes",
                        () -> scrape(ensemble.adminPort(id)).value("fsynctime_count") >= 1);
                }
            }
        }
    }
}
