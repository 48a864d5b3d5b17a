package io.paddock.tests.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ServerConfigs;
import io.paddock.tests.support.ServerProcess;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.ZkClients;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write torn by a crash: the node is killed with SIGKILL, the last journal segment loses its
 * last few bytes (what a crash in the middle of a write leaves), and on restart the node cuts
 * the torn record, serves everything logged before it with the same Stats, and logs and
 * persists new writes after it.
 */
class TornTailRecoveryTest {
    private static final int NODES = 200;

    @TempDir
    Path dir;

    @Test
    void aTornLastRecordIsCutAndEverythingBeforeItIsServed() throws Exception {
        int port = LoopbackPorts.free();
        Path cfg = ServerConfigs.standalone(dir, port, Map.of());
        Stat[] stats = new Stat[NODES];
        SortedMap<String, TreeDump.Node> before;
        try (ServerProcess server = new ServerProcess(cfg, port)) {
            server.start(Duration.ofSeconds(60));
            try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                zk.create("/t", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                for (int i = 0; i < NODES; i++) {
                    stats[i] = new Stat();
                    // one at a time: each create is its own journal record, the last one is the last record
                    zk.create("/t/n" + i, ("v" + i).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stats[i]);
                }
                before = TreeDump.of(zk, "/t");
                server.kill9();
            }
        }
        Path segment = lastSegment(dir.resolve("data").resolve("journal").resolve("zab-log-0"));
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }

        // Restarted in this JVM: recovery cuts the torn record and then appends the new epoch after the cut.
        // Had the torn bytes stayed, the records appended after them would make the next recovery fail
        // (a bad record followed by intact ones is corruption, not a torn tail): the second restart checks that.
        ch.qos.logback.classic.Logger journalLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
            "io.paddock.persistence.journal.SegmentedLog");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
            new ch.qos.logback.core.read.ListAppender<>();
        warnings.start();
        journalLog.addAppender(warnings);
        try (InProcessServer server = InProcessServer.start(dir, Map.of())) {
            List<String> cuts = warnings.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("torn tail")).toList();
            assertThat(cuts).as("the journal's warning about the cut").singleElement().asString()
                .contains(segment.toString()).containsPattern("at offset \\d+ \\(\\d+ bytes");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("at offset (\\d+) \\((\\d+) bytes").matcher(cuts.get(0));
            assertThat(m.find()).isTrue();
            assertThat(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2))).as("cut from the offset to the torn end")
                .isEqualTo(size - 3);
            try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                SortedMap<String, TreeDump.Node> after = TreeDump.of(zk, "/t");
                String torn = "/t/n" + (NODES - 1);
                assertThat(after).doesNotContainKey(torn);
                SortedMap<String, TreeDump.Node> expected = new java.util.TreeMap<>(before);
                expected.remove(torn);
                // the parent's cversion, pzxid and numChildren were last changed by the torn create
                expected.remove("/t");
                after.remove("/t");
                assertThat(after).isEqualTo(expected);
                Stat parent = zk.exists("/t", false);
                assertThat(parent.getNumChildren()).isEqualTo(NODES - 1);
                assertThat(parent.getPzxid()).isEqualTo(stats[NODES - 2].getCzxid());
                for (int i = 0; i < NODES - 1; i++) {
                    assertThat(zk.exists("/t/n" + i, false)).isEqualTo(stats[i]);
                }
                // the log goes on after the cut, in a new epoch
                Stat again = new Stat();
                zk.create(torn, "again".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, again);
                assertThat(again.getCzxid() >>> 32).isGreaterThan(stats[0].getCzxid() >>> 32);
            }
            warnings.list.clear();
            server.restart();
            assertThat(warnings.list).as("nothing to cut the second time")
                .noneMatch(e -> e.getFormattedMessage().contains("torn tail"));
            try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                assertThat(zk.getData("/t/n" + (NODES - 1), false, null)).isEqualTo("again".getBytes());
                assertThat(zk.exists("/t", false).getNumChildren()).isEqualTo(NODES);
            }
        } finally {
            journalLog.detachAppender(warnings);
        }
    }

    private static Path lastSegment(Path journal) throws IOException {
        try (var files = Files.list(journal)) {
            List<Path> segments = files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
            assertThat(segments).isNotEmpty();
            return segments.get(segments.size() - 1);
        }
    }
}
