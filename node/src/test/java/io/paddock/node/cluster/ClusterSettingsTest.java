package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.paddock.config.MetricsProvider;
import io.paddock.config.NodeConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PekkoSettings for an ensemble node (cluster, Artery on its quorum port) and a standalone one (local). */
class ClusterSettingsTest {
    @TempDir
    Path dir;

    @Test
    void anOwnServerLineOnEveryAddressBindsThereAndIsKnownByThisHostsName() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("myid"), "2");
        Path file = dir.resolve("zoo.cfg");
        Files.writeString(file, String.join("\n", "dataDir=" + data, "clientPort=2181",
            "server.1=zk1:2888:3888", "server.2=0.0.0.0:2888:3888", "server.3=zk3:2888:3888"));
        NodeConfig cfg = io.paddock.config.ConfigLoader.load(file);
        Config c = PekkoSettings.forNode(cfg);
        String hostName = java.net.InetAddress.getLocalHost().getHostName();
        // the address the others know it by, and every address to listen on (as ZooKeeper's 0.0.0.0 line does)
        assertThat(c.getString("pekko.remote.artery.canonical.hostname")).isEqualTo(hostName);
        assertThat(c.getString("pekko.remote.artery.bind.hostname")).isEqualTo("0.0.0.0");
        assertThat(c.getInt("pekko.remote.artery.bind.port")).isEqualTo(2888);
        assertThat(PeerAddresses.serverId(cfg, PeerAddresses.address(cfg.self()))).hasValue(2);
    }

    @Test
    void anEnsembleNodeIsAClusterMemberOnItsQuorumPort() {
        TestEnsemble e = new TestEnsemble(dir, 3, 0);
        NodeConfig cfg = e.config(2);
        Config c = PekkoSettings.forNode(cfg);
        assertThat(c.getString("pekko.actor.provider")).isEqualTo("cluster");
        assertThat(c.getString("pekko.remote.artery.transport")).isEqualTo("tcp");
        assertThat(c.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("127.0.0.1");
        assertThat(c.getInt("pekko.remote.artery.canonical.port")).isEqualTo(cfg.self().quorumPort());
        assertThat(c.getString("pekko.remote.artery.bind.hostname")).isEqualTo("127.0.0.1");
        assertThat(c.getInt("pekko.remote.artery.bind.port")).isEqualTo(cfg.self().quorumPort());
        assertThat(c.getStringList("pekko.cluster.seed-nodes")).isEmpty();
        assertThat(c.getString("pekko.cluster.downing-provider-class")).isEmpty();
        assertThat(c.getBoolean("pekko.cluster.jmx.multi-mbeans-in-same-jvm")).isTrue();
        assertThat(c.getDuration("pekko.cluster.failure-detector.heartbeat-interval")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"))
            .isEqualTo(Duration.ofSeconds(2));
        assertThat(c.getBoolean("pekko.remote.artery.advanced.test-mode")).isFalse();
        // the node's own settings are still there
        assertThat(c.getString("paddock.journal.dir")).endsWith("journal");
        assertThat(PeerAddresses.joinerPath(cfg.servers().get(3L)))
            .isEqualTo("pekko://paddock@127.0.0.1:" + cfg.servers().get(3L).quorumPort() + "/user/joiner");
    }

    @Test
    void aStandaloneNodeHasNoRemoting() {
        NodeConfig cfg = new NodeConfig(dir.resolve("zoo.cfg"), 0, 2000, 10, 5, dir, dir, new InetSocketAddress(2181),
            60, 4000, 40000, 100000, 3, 0, Set.of("ruok"), 1048575, 1000, false, 60000, 10000, 10000, Map.of(), true,
            false, false,
            "0.0.0.0", 8080, "/commands", MetricsProvider.NONE, null, false, List.of());
        assertThat(PekkoSettings.forNode(cfg).getString("pekko.actor.provider")).isEqualTo("local");
    }

    /** The file's pekko block may tune the cluster, but not move the node off its configured address. */
    @Test
    void theConfigFilesPekkoBlockTunesButCannotMoveTheNode() throws IOException {
        TestEnsemble e = new TestEnsemble(dir, 3, 0);
        NodeConfig base = e.config(1);
        Path file = Files.writeString(dir.resolve("node1.conf"), String.join("\n",
            "paddock { myid = 1 }",
            "pekko.remote.artery.canonical.port = 1",
            "pekko.actor.provider = local",
            "pekko.cluster.failure-detector.acceptable-heartbeat-pause = 5 s"));
        NodeConfig cfg = new NodeConfig(file, base.serverId(), base.tickTime(), base.initLimit(), base.syncLimit(),
            base.dataDir(), base.dataLogDir(), base.clientAddress(), base.maxClientCnxns(), base.minSessionTimeout(),
            base.maxSessionTimeout(), base.snapCount(), base.snapRetainCount(), base.purgeIntervalHours(),
            base.fourLetterWords(), base.maxBuffer(), base.globalOutstandingLimit(), base.extendedTypesEnabled(),
            base.containerCheckIntervalMs(), base.containerMaxPerMinute(), base.commitLogCount(), base.servers(),
            base.standaloneEnabled(), base.reconfigEnabled(),
            base.adminEnableServer(), base.adminServerAddress(), base.adminServerPort(), base.adminCommandUrl(), base.metricsProvider(), base.superDigest(), base.quorumListenOnAllIPs(), base.warnings());
        Config c = PekkoSettings.forNode(cfg);
        assertThat(c.getString("pekko.actor.provider")).isEqualTo("cluster");
        assertThat(c.getInt("pekko.remote.artery.canonical.port")).isEqualTo(base.self().quorumPort());
        assertThat(c.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"))
            .isEqualTo(Duration.ofSeconds(5));
    }
}
