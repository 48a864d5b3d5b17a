package io.paddock.tests.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.config.ConfigLoader;
import io.paddock.config.NodeConfig;
import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ServerProcess;
import io.paddock.tests.support.ZkClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paddock server CONFIG} as a user runs it: {@code io.paddock.node.Main} in a child JVM
 * (or through {@code bin/paddock} where the script is part of what is tested). A bad config
 * stops start-up with exit code 2 and one line on stderr naming the file, the key and the
 * problem; a node that cannot start (port taken, dataDir locked) exits with 1 and says why;
 * SIGTERM stops a running node cleanly with 0, and its data is all there afterwards. The
 * shipped example configs load.
 */
class StartupTest {
    @TempDir
    Path dir;

    /** What a finished child process left. */
    record Result(int exitCode, List<String> stdout, List<String> stderr) {
        String all() {
            return String.join("\n", stdout) + "\n" + String.join("\n", stderr);
        }
    }

    private static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
            "-cp", System.getProperty("java.class.path"), "io.paddock.node.Main");
    }

    /** The repository's root: the directory above this module that holds bin/paddock. */
    static Path repositoryRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("bin").resolve("paddock"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("bin/paddock not found above " + System.getProperty("user.dir"));
        }
        return p;
    }

    private Result run(List<String> command, Duration timeout) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(command + " still running after " + timeout + "; output:\n" + Files.readString(out)
                    + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private Result main(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of(args));
        return run(cmd, Duration.ofSeconds(60));
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.ISO_8859_1);
        return f;
    }

    private String standaloneCfg(int port) {
        return "tickTime=500\ndataDir=" + dir.resolve("data") + "\nclientPort=" + port + "\nclientPortAddress=127.0.0.1\n";
    }

    /** Exit code 2 and exactly one line on stderr, which names the file and says {@code contains}. */
    private static void assertConfigError(Result r, Path file, String... contains) {
        assertThat(r.exitCode()).as("exit code; output:\n" + r.all()).isEqualTo(2);
        assertThat(r.stderr()).as("stderr").hasSize(1);
        assertThat(r.stderr().get(0)).startsWith("paddock: ").contains(file.toString()).contains(contains);
        assertThat(r.all()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void badConfigsStopStartUpWithOneMessageNamingFileKeyAndProblem() throws Exception {
        int port = LoopbackPorts.free();

        Path unknown = file("unknown/zoo.cfg", standaloneCfg(port) + "tickTme=2000\n");
        assertConfigError(main("server", unknown.toString()), unknown, "tickTme", "unknown key", "did you mean tickTime");

        Path badValue = file("bad/zoo.cfg", standaloneCfg(port).replace("tickTime=500", "tickTime=fast"));
        assertConfigError(main("server", badValue.toString()), badValue, "tickTime", "fast");

        Path noDataDir = file("nodatadir/zoo.cfg", "tickTime=500\nclientPort=" + port + "\n");
        assertConfigError(main("server", noDataDir.toString()), noDataDir, "dataDir");

        Path missing = dir.resolve("missing/zoo.cfg");
        assertConfigError(main("server", missing.toString()), missing, "does not exist");

        Path unreadable = Files.createDirectories(dir.resolve("a-directory.cfg"));
        Result notAFile = main("server", unreadable.toString());
        assertThat(notAFile.exitCode()).as("exit code; output:\n" + notAFile.all()).isEqualTo(2);
        assertThat(notAFile.stderr()).singleElement().asString().startsWith("paddock: ")
            .contains(unreadable.toString(), "cannot be read");
        assertThat(notAFile.all()).doesNotContain("\tat ");

        Path ensembleData = dir.resolve("ensemble-data");
        Path noMyid = file("ensemble/zoo.cfg", "tickTime=500\ninitLimit=5\nsyncLimit=2\ndataDir=" + ensembleData
            + "\nclientPort=" + port + "\nserver.1=127.0.0.1:" + LoopbackPorts.free() + ":" + LoopbackPorts.free()
            + "\nserver.2=127.0.0.1:" + LoopbackPorts.free() + ":" + LoopbackPorts.free()
            + "\nserver.3=127.0.0.1:" + LoopbackPorts.free() + ":" + LoopbackPorts.free() + "\n");
        assertConfigError(main("server", noMyid.toString()), noMyid, "myid", ensembleData.resolve("myid").toString());

        Result usage = main("serve");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr()).singleElement().asString().startsWith("usage: paddock server CONFIG");
    }

    @Test
    void theScriptReportsABadConfigTheSameWay() throws Exception {
        Path cfg = file("script/zoo.cfg", standaloneCfg(LoopbackPorts.free()) + "dataDirectory=/tmp\n");
        Result r = run(List.of(repositoryRoot().resolve("bin/paddock").toString(), "server", cfg.toString()),
            Duration.ofMinutes(5)); // the script builds first if the build is missing or stale
        assertThat(r.exitCode()).as("exit code; output:\n" + r.all()).isEqualTo(2);
        assertThat(r.stderr()).isNotEmpty();
        // when the build is missing or stale the script runs Maven first, whose colour resets may precede the message
        String message = r.stderr().get(r.stderr().size() - 1).replaceAll("\u001B\\[[0-9;]*m", "");
        assertThat(message).startsWith("paddock: ").contains(cfg.toString(), "dataDirectory", "did you mean dataDir");
        assertThat(r.all()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void aClientPortInUseStopsStartUpWithExitCode1NamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Path cfg = file("taken/zoo.cfg", standaloneCfg(port));
            Result r = main("server", cfg.toString());
            assertThat(r.exitCode()).as("exit code; output:\n" + r.all()).isEqualTo(1);
            assertThat(r.stderr()).as("stderr").hasSize(1);
            assertThat(r.stderr().get(0)).startsWith("paddock: ")
                .contains(cfg.toString(), "clientPort", Integer.toString(port), "not available");
            assertThat(r.all()).doesNotContain("\tat ", "recovered"); // refused before recovering the log
        }
    }

    @Test
    void aSecondNodeOnTheSameDataDirIsRefused() throws Exception {
        try (InProcessServer first = InProcessServer.start(dir.resolve("first"))) {
            Path cfg = file("second/zoo.cfg", "tickTime=500\ndataDir=" + dir.resolve("first").resolve("data")
                + "\nclientPort=" + LoopbackPorts.free() + "\nclientPortAddress=127.0.0.1\n");
            Result r = main("server", cfg.toString());
            assertThat(r.exitCode()).as("exit code; output:\n" + r.all()).isEqualTo(1);
            assertThat(r.stderr()).as("stderr").hasSize(1);
            assertThat(r.stderr().get(0)).startsWith("paddock: ")
                .contains(cfg.toString(), "dataDir", dir.resolve("first").resolve("data").toString(), "in use");
            assertThat(r.all()).doesNotContain("\tat ");
            // the first node is unharmed
            try (ZooKeeper zk = ZkClients.connect(first.connectString())) {
                zk.create("/still-serving", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
    }

    @Test
    void aJournalDamagedBeforeItsTailStopsStartUpNamingTheFileAndNothingIsCut() throws Exception {
        int port = LoopbackPorts.free();
        try (InProcessServer first = InProcessServer.start(dir, Map.of());
             ZooKeeper zk = ZkClients.connect(first.connectString())) {
            for (int i = 0; i < 20; i++) {
                zk.create("/n" + i, new byte[10], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        Path segment;
        try (var files = Files.list(dir.resolve("data/journal/zab-log-0"))) {
            segment = files.filter(f -> f.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        long size = Files.size(segment);
        try (var ch = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.READ,
            java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, 20); // inside the first record's payload: intact records follow, so this is no torn tail
            b.put(0, (byte) (b.get(0) ^ 0xff));
            b.rewind();
            ch.write(b, 20);
        }
        Path cfg = file("damaged/zoo.cfg", standaloneCfg(port));
        Result r = main("server", cfg.toString());
        assertThat(r.exitCode()).as("exit code; output:\n" + r.all()).isEqualTo(1);
        assertThat(r.stderr()).as("stderr").singleElement().asString().startsWith("paddock: ")
            .contains("could not be recovered", segment.toString(), "offset 0", "CRC");
        assertThat(Files.size(segment)).as("a damaged journal is left for an operator, not cut").isEqualTo(size);
    }

    /** Starts {@code home/bin/paddock server conf} and waits until it answers ruok on {@code port}. */
    private static Process startScript(Path home, Path conf, int port, Path log) throws Exception {
        Process node = new ProcessBuilder(home.resolve("bin/paddock").toString(), "server", conf.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until(Duration.ofMinutes(5), "bin/paddock serves on port " + port, () -> {
                if (!node.isAlive()) {
                    throw new IllegalStateException("the node exited with " + node.exitValue() + ":\n" + Files.readString(log));
                }
                return "imok".equals(ServerProcess.fourLetterWord("127.0.0.1", port, "ruok"));
            });
        } catch (RuntimeException | Error e) {
            node.destroyForcibly().waitFor();
            throw e;
        }
        return node;
    }

    /**
     * bin/paddock writes its class-data archive when a node it started without one exits, and every later start
     * maps it until the next build. A start that failed (a config error) has loaded only the classes that the
     * failure needed: an archive of those would make every later start pay for the rest (seen: 4.8 MB against
     * 60 MB, and 4.2 against 2.4 CPU seconds to listening). Only a node that exits cleanly leaves one.
     */
    @Test
    void theScriptKeepsAClassDataArchiveOnlyFromACleanStop() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("bin"));
        Files.copy(repositoryRoot().resolve("bin/paddock"), home.resolve("bin/paddock"));
        Path target = Files.createDirectories(home.resolve("node/target"));
        Path built = repositoryRoot().resolve("node/target");
        Files.createSymbolicLink(target.resolve("paddock-node.jar"), built.resolve("paddock-node.jar"));
        Files.createSymbolicLink(target.resolve("lib"), built.resolve("lib"));
        Path archive = target.resolve("paddock-cds.jsa");

        int port = LoopbackPorts.free();
        Path bad = file("cds/bad.cfg", standaloneCfg(port) + "dataDirectory=/tmp\n");
        Result failed = run(List.of(home.resolve("bin/paddock").toString(), "server", bad.toString()), Duration.ofMinutes(2));
        assertThat(failed.exitCode()).as("exit code; output:\n" + failed.all()).isEqualTo(2);
        try (var files = Files.list(target)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("after a failed start")
                .containsExactlyInAnyOrder("paddock-node.jar", "lib");
        }

        Path log = dir.resolve("cds.log");
        Process node = startScript(home, file("cds/good.cfg", standaloneCfg(port)), port, log);
        try {
            node.destroy(); // SIGTERM
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            assertThat(node.exitValue()).as("exit code after SIGTERM; log:\n" + Files.readString(log)).isZero();
        } finally {
            node.destroyForcibly().waitFor();
        }
        assertThat(archive).as("the archive of a node that served and stopped").isRegularFile();
    }

    @Test
    void sigtermStopsTheNodeCleanlyWithExitCode0AndTheDataIsIntact() throws Exception {
        int port = LoopbackPorts.free();
        Path conf = file("hocon/node.conf", "paddock {\n  tickTime = 500\n  dataDir = \"" + dir.resolve("data")
            + "\"\n  clientPort = " + port + "\n  clientPortAddress = \"127.0.0.1\"\n  snapCount = 20\n}\n");
        Path log = dir.resolve("node.log");
        Process node = startScript(repositoryRoot(), conf, port, log);
        List<Stat> stats = new ArrayList<>();
        try {
            try (ZooKeeper zk = ZkClients.connect("127.0.0.1:" + port)) {
                for (int i = 0; i < 50; i++) {
                    Stat s = new Stat();
                    zk.create("/kept" + i, ("v" + i).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, s);
                    stats.add(s);
                }
                node.destroy(); // SIGTERM
                assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            }
            assertThat(node.exitValue()).as("exit code after SIGTERM; log:\n" + Files.readString(log)).isZero();
            String output = Files.readString(log);
            assertThat(output).contains("SIGTERM received").doesNotContain("Exception", "ERROR");
        } finally {
            node.destroyForcibly().waitFor();
        }
        // the same data, with a node in this JVM (its lock was released)
        try (InProcessServer again = InProcessServer.start(dir, Map.of());
             ZooKeeper zk = ZkClients.connect(again.connectString())) {
            for (int i = 0; i < stats.size(); i++) {
                Stat s = new Stat();
                assertThat(zk.getData("/kept" + i, false, s)).isEqualTo(("v" + i).getBytes());
                assertThat(s).isEqualTo(stats.get(i));
            }
        }
    }

    @Test
    void aHoconFilesPekkoBlockReachesPekko() throws Exception {
        Path conf = file("pekko-block/node.conf", "paddock {\n  tickTime = 500\n  dataDir = \"" + dir.resolve("pb-data")
            + "\"\n  clientPort = " + LoopbackPorts.free() + "\n  clientPortAddress = \"127.0.0.1\"\n}\n"
            + "pekko.actor.default-dispatcher.throughput = 7\n");
        try (io.paddock.node.server.PaddockServer server = io.paddock.node.server.PaddockServer.start(ConfigLoader.load(conf))) {
            com.typesafe.config.Config pekko = server.system().settings().config();
            assertThat(pekko.getInt("pekko.actor.default-dispatcher.throughput")).isEqualTo(7);
            // Paddock's own settings still apply, and the journal lives under the node's dataDir
            assertThat(pekko.getString("pekko.persistence.journal.plugin")).isEqualTo("paddock.journal");
            assertThat(pekko.getString("paddock.journal.dir")).isEqualTo(dir.resolve("pb-data").resolve("journal").toString());
        }
    }

    @Test
    void theShippedExampleConfigsLoad() {
        Path conf = repositoryRoot().resolve("conf");
        NodeConfig cfg = ConfigLoader.load(conf.resolve("standalone.cfg"));
        NodeConfig hocon = ConfigLoader.load(conf.resolve("standalone.conf"));
        for (NodeConfig c : List.of(cfg, hocon)) {
            assertThat(c.warnings()).isEmpty();
            assertThat(c.isStandalone()).isTrue();
            assertThat(c.clientAddress().getPort()).isEqualTo(2181);
            assertThat(c.tickTime()).isEqualTo(2000);
            assertThat(c.dataDir()).isAbsolute();
        }
        assertThat(cfg.fourLetterWords()).contains("ruok", "srvr", "conf");
        assertThat(hocon.snapRetainCount()).isEqualTo(3);
        assertThat(hocon.purgeIntervalHours()).isEqualTo(1);
    }
}
