package io.paddock.tests.startup;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.paddock.node.LoopbackPorts;
import io.paddock.node.logging.LogLines;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ServerConfigs;
import io.paddock.tests.support.ServerProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every line says which node logged it ({@code [myid:N]}, docs/node.md "Logs"): three nodes in
 * one JVM, as bin/paddock ensemble runs them, each on its own lines, from Pekko's threads, static
 * loggers and Pekko's own loggers alike; and a server in its own JVM with conf/logback.xml writes
 * dataDir/logs/paddock.log, its id on every line, its main thread's included.
 */
class LogLinesTest {
    @TempDir
    Path dir;

    @Test
    void eachOfThreeNodesInOneJvmIsNamedOnItsOwnLines() throws Exception {
        Logger pekko = (Logger) LoggerFactory.getLogger("org.apache.pekko");
        Level level = pekko.getLevel();
        // Pekko's own INFO lines as well: the cluster's joins, Artery, persistence
        pekko.setLevel(Level.INFO);
        Map<String, String> idByAddress = new HashMap<>();
        List<LogLines.Line> lines;
        try (LogLines capture = LogLines.capture()) {
            try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3)) {
                ensemble.awaitServing(Duration.ofMinutes(2));
                for (int id : ensemble.ids()) {
                    idByAddress.put(ensemble.node(id).system().address().toString(), Integer.toString(id));
                }
            }
            lines = capture.lines();
        } finally {
            pekko.setLevel(level);
        }

        // every ActorSystem is named "paddock", so this is every line from a thread of Pekko's
        List<LogLines.Line> pekkoThreads = lines.stream().filter(l -> l.thread().startsWith("paddock-")).toList();
        assertThat(pekkoThreads).isNotEmpty()
            .allSatisfy(l -> assertThat(l.myid()).as(l.toString()).isIn("1", "2", "3"));
        // where Pekko adds its system's address (its own loggers, the actors' loggers), it is that node's; a line
        // logged while remoting starts may carry the address without host and port (pekko://paddock), naming no node
        List<LogLines.Line> addressed = lines.stream()
            .filter(l -> l.mdc().containsKey("pekkoAddress") && l.mdc().get("pekkoAddress").contains("@")).toList();
        assertThat(addressed).isNotEmpty()
            .allSatisfy(l -> assertThat(l.myid()).as(l.toString()).isEqualTo(idByAddress.get(l.mdc().get("pekkoAddress"))));
        assertThat(addressed.stream().filter(l -> l.logger().startsWith("org.apache.pekko.")).map(LogLines.Line::myid))
            .as("Pekko's own lines").contains("1", "2", "3");
        // a static logger on the persistence dispatcher, with no MDC: the journal names its node's directory
        for (String id : List.of("1", "2", "3")) {
            String nodeDir = File.separator + "node" + id + File.separator;
            assertThat(lines.stream().filter(l -> l.logger().endsWith(".LocalJournal") && l.message().contains(nodeDir)))
                .as("node " + id + "'s journal").isNotEmpty()
                .allSatisfy(l -> assertThat(l.myid()).as(l.toString()).isEqualTo(id));
        }
    }

    @Test
    void aServerInItsOwnJvmWritesItsIdOnEveryLineOfPaddockLogInItsDataDir() throws Exception {
        int port = LoopbackPorts.free();
        Path cfg = ServerConfigs.standalone(dir.resolve("server"), port, Map.of());
        Path data = dir.resolve("server").resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), "5");
        ServerProcess server = new ServerProcess(cfg, port)
            .withJvmArgs("-Dlogback.configurationFile=" + StartupTest.repositoryRoot().resolve("conf").resolve("logback.xml"));
        try {
            server.start(Duration.ofMinutes(2));
            assertThat(server.stop()).as("exit code after SIGTERM").isZero();
        } finally {
            server.close();
        }

        List<String> lines = Files.readAllLines(data.resolve("logs").resolve("paddock.log"));
        assertThat(lines).isNotEmpty()
            .allSatisfy(l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[myid:5\\] .*"));
        assertThat(lines)
            .anySatisfy(l -> assertThat(l).contains("[paddock-").contains("LEADING"))
            .anySatisfy(l -> assertThat(l).contains("[main]").contains("listening for clients"))
            .anySatisfy(l -> assertThat(l).contains("[main]").contains("SIGTERM received"));
    }
}
