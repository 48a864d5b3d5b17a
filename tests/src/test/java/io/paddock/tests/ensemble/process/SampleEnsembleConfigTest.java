package io.paddock.tests.ensemble.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.config.ConfigLoader;
import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample local ensemble in {@code conf/ensemble/node{1,2,3}.conf} (HOCON, myid inline, client
 * ports 2181-2183, quorum ports 2888-2890) works as shipped: each file, started as its own node
 * the way {@code bin/paddock server FILE} does ({@code io.paddock.node.Main server FILE}), forms
 * an ensemble with one leader and two followers, and a write through one server is read on the
 * others. The nodes run from copies with every port replaced by a free one and dataDir moved to
 * a temporary directory; nothing else in the files changes.
 */
class SampleEnsembleConfigTest {
    /** The keys whose values are ports of this machine, and the server lines' quorum and election ports. */
    private static final Pattern PORT_KEY = Pattern.compile("(?m)^(\\s*(?:clientPort|admin\\.serverPort|secureClientPort)\\s*=\\s*)(\\d+)");
    private static final Pattern SERVER_LINE = Pattern.compile("(?m)^(\\s*server\\.\\d+\\s*=\\s*\"[^:\"]+:)(\\d+):(\\d+)");
    private static final Pattern DATA_DIR = Pattern.compile("(?m)^(\\s*(?:dataDir|dataLogDir)\\s*=\\s*)\"?[^\"\\n]*\"?");

    @TempDir
    Path dir;

    @Test
    void theSampleEnsembleElectsOneLeaderAndReplicates() throws Exception {
        Path samples = repositoryRoot().resolve("conf").resolve("ensemble");
        Map<Integer, Integer> freePorts = new HashMap<>(); // a sample's port -> the port used here, the same in every file
        Map<Integer, Path> configs = new LinkedHashMap<>();
        Map<Integer, Integer> clientPorts = new LinkedHashMap<>();
        for (int id = 1; id <= 3; id++) {
            Path sample = samples.resolve("node" + id + ".conf");
            NodeConfig shipped = ConfigLoader.load(sample);
            assertThat(shipped.serverId()).as(sample + ": myid").isEqualTo(id);
            assertThat(Files.readString(sample)).as(sample + " gives myid itself").containsPattern("(?m)^\\s*myid\\s*=\\s*" + id);
            assertThat(shipped.clientAddress().getPort()).as(sample + ": clientPort").isEqualTo(2180 + id);
            assertThat(shipped.servers().values().stream().map(ServerSpec::quorumPort).toList())
                .as(sample + ": quorum ports").containsExactly(2888, 2889, 2890);
            assertThat(shipped.warnings()).as(sample + ": warnings").isEmpty();

            String text = Files.readString(sample);
            text = replacePorts(text, PORT_KEY, freePorts, 2);
            text = replacePorts(text, SERVER_LINE, freePorts, 2, 3);
            Path nodeDir = dir.resolve("node" + id);
            Files.createDirectories(nodeDir);
            text = DATA_DIR.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "\""
                + nodeDir.resolve("data") + "\""));
            Path copy = nodeDir.resolve("node" + id + ".conf");
            Files.writeString(copy, text);
            NodeConfig used = ConfigLoader.load(copy);
            for (int shippedPort : freePorts.keySet()) {
                assertThat(usedPorts(used)).as(copy + " binds no port of the samples").doesNotContain(shippedPort);
            }
            configs.put(id, copy);
            clientPorts.put(id, used.clientAddress().getPort());
        }

        try (ProcessEnsemble ensemble = ProcessEnsemble.of(configs, clientPorts)) {
            try {
                long started = System.nanoTime();
                ensemble.startAll(Duration.ofSeconds(90));
                int leader = ensemble.awaitServing(Duration.ofSeconds(60));
                System.out.print(String.format("sample ensemble serving %d ms after starting three JVMs; modes %s%n",
                    (System.nanoTime() - started) / 1_000_000, ensemble.modes()));
                assertThat(ensemble.modes().values()).containsExactlyInAnyOrder("leader", "follower", "follower");
                for (int id : ensemble.ids()) {
                    assertThat(ensemble.srvr(id)).as("srvr of node " + id).contains("Zxid: 0x");
                }

                int writer = leader == 1 ? 2 : 1;
                Stat created = new Stat();
                try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(writer))) {
                    zk.create("/sample", "from a follower".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
                }
                var dumps = Replicas.dumpAll(ensemble); // each read from that server alone, after a sync there
                for (int id : ensemble.ids()) {
                    TreeDump.Node node = dumps.get(id).get("/sample");
                    assertThat(node).as("/sample on node " + id).isNotNull();
                    assertThat(node.data()).as("node " + id).isEqualTo("from a follower".getBytes());
                    assertThat(node.stat()).as("node " + id + ": the Stat of /sample").isEqualTo(created);
                }
                Replicas.assertIdentical(dumps);
            } finally {
                // the nodes' directories are temporary; their logs are worth a look after a run, failed or not
                NodeLogs.keep(ensemble, getClass().getSimpleName());
            }
        }
    }

    /** Replaces the port numbers in {@code groups} of every match by free ports, the same sample port by the same free port. */
    private static String replacePorts(String text, Pattern pattern, Map<Integer, Integer> freePorts, int... groups) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            StringBuilder replaced = new StringBuilder(m.group(1));
            for (int i = 0; i < groups.length; i++) {
                int port = freePorts.computeIfAbsent(Integer.parseInt(m.group(groups[i])), p -> LoopbackPorts.free());
                replaced.append(i == 0 ? "" : ":").append(port);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replaced.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<Integer> usedPorts(NodeConfig cfg) {
        List<Integer> ports = new java.util.ArrayList<>();
        ports.add(cfg.clientAddress().getPort());
        if (cfg.adminEnableServer()) {
            ports.add(cfg.adminServerPort());
        }
        cfg.servers().values().forEach(s -> {
            ports.add(s.quorumPort());
            ports.add(s.electionPort());
        });
        return ports;
    }

    /** The repository's root: the directory above this module that holds conf/ensemble. */
    private static Path repositoryRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf").resolve("ensemble"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("conf/ensemble not found above " + System.getProperty("user.dir"));
        }
        return p;
    }
}
