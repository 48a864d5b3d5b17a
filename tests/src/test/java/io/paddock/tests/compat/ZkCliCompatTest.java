package io.paddock.tests.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.PaddockExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * zkCli (org.apache.zookeeper.ZooKeeperMain) in its one-shot mode, {@code -server host:port cmd
 * args}. It ends with System.exit, so each command runs in a child JVM on this test's classpath.
 */
class ZkCliCompatTest {
    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.standalone();
    @TempDir
    static Path dir;

    /** The exit code and the output lines; zkCli prints some results ("Created ...", errors) on stderr, so both are here. */
    record Result(int exit, List<String> out) {
    }

    private static Result zkCli(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            "org.apache.zookeeper.ZooKeeperMain", "-server", paddock.connectString()));
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile(dir, "zkcli", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("zkCli " + String.join(" ", command) + " did not finish");
            }
        } finally {
            p.destroyForcibly();
        }
        // log lines (timestamped) share the output with the command's own
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).toList();
        return new Result(p.exitValue(), lines);
    }

    @Test
    void createLsGetSetStatDelete() throws Exception {
        Result created = zkCli("create", "/cli", "hello");
        assertThat(created.exit()).as(created.out().toString()).isZero();
        assertThat(created.out()).contains("Created /cli");

        assertThat(zkCli("create", "/cli/child", "c").exit()).isZero();
        Result ls = zkCli("ls", "/cli");
        assertThat(ls.out()).contains("[child]");
        Result root = zkCli("ls", "/");
        assertThat(root.out()).contains("[cli, zookeeper]");

        assertThat(zkCli("get", "/cli").out()).contains("hello");
        Result set = zkCli("set", "/cli", "world");
        assertThat(set.exit()).as(set.out().toString()).isZero();
        assertThat(zkCli("get", "/cli").out()).contains("world");

        Result stat = zkCli("stat", "/cli");
        assertThat(stat.out()).contains("dataVersion = 1", "numChildren = 1", "dataLength = 5", "ephemeralOwner = 0x0",
            "cversion = 1", "aclVersion = 0");
        assertThat(stat.out()).anyMatch(l -> l.matches("cZxid = 0x[0-9a-f]+"));

        Result notEmpty = zkCli("delete", "/cli");
        assertThat(notEmpty.exit()).isNotZero();
        assertThat(notEmpty.out()).contains("Node not empty: /cli");
        assertThat(zkCli("delete", "/cli/child").exit()).isZero();
        assertThat(zkCli("delete", "/cli").exit()).isZero();
        Result gone = zkCli("get", "/cli");
        assertThat(gone.exit()).isNotZero();
        assertThat(gone.out()).contains("Node does not exist: /cli");
    }
}
