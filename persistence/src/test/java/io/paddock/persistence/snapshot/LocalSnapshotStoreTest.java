package io.paddock.persistence.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.paddock.persistence.TestSystems;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.DeleteSnapshotSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;

/** The snapshot-store plugin through the classic snapshot protocol. */
class LocalSnapshotStoreTest {
    @TempDir
    static Path dir;
    private static ActorTestKit kit;
    private static final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void start() {
        kit = TestSystems.start("LocalSnapshotStoreTest", dir);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static ActorRef store(ActorTestKit kit) {
        return Persistence.get(Adapter.toClassic(kit.system())).snapshotStoreFor("paddock.snapshot-store",
            ConfigFactory.empty());
    }

    private static String newPid() {
        return "snap-" + ids.incrementAndGet();
    }

    /** Saves a snapshot; returns its metadata with the timestamp Pekko gave it. */
    private static SnapshotMetadata save(ActorTestKit kit, String pid, long seqNr, Object snapshot) {
        TestProbe<Object> probe = kit.createTestProbe();
        store(kit).tell(new SnapshotProtocol.SaveSnapshot(new SnapshotMetadata(pid, seqNr, 0), snapshot),
            Adapter.toClassic(probe.getRef()));
        SnapshotMetadata saved = probe.expectMessageClass(SaveSnapshotSuccess.class).metadata();
        assertThat(saved.persistenceId()).isEqualTo(pid);
        assertThat(saved.sequenceNr()).isEqualTo(seqNr);
        return saved;
    }

    private static SnapshotMetadata save(String pid, long seqNr, Object snapshot) {
        return save(kit, pid, seqNr, snapshot);
    }

    private static Object load(ActorTestKit kit, String pid, SnapshotSelectionCriteria criteria, long toSequenceNr) {
        TestProbe<Object> probe = kit.createTestProbe();
        store(kit).tell(new SnapshotProtocol.LoadSnapshot(pid, criteria, toSequenceNr), Adapter.toClassic(probe.getRef()));
        return probe.receiveMessage();
    }

    /** The loaded snapshot, or null when there is none. */
    private static SelectedSnapshot loadSnapshot(String pid, SnapshotSelectionCriteria criteria, long toSequenceNr) {
        Object reply = load(kit, pid, criteria, toSequenceNr);
        assertThat(reply).isInstanceOf(SnapshotProtocol.LoadSnapshotResult.class);
        Option<SelectedSnapshot> snapshot = ((SnapshotProtocol.LoadSnapshotResult) reply).snapshot();
        return snapshot.isDefined() ? snapshot.get() : null;
    }

    private static SelectedSnapshot loadLatest(String pid) {
        return loadSnapshot(pid, SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
    }

    private static List<Path> files(String pid) throws IOException {
        try (Stream<Path> files = Files.list(TestSystems.snapshotDir(dir))) {
            return files.filter(p -> p.getFileName().toString().startsWith("snapshot-" + pid + "-")).sorted().toList();
        }
    }

    @Test
    void savesAndLoadsTheNewestSnapshot() {
        String pid = newPid();
        assertThat(loadLatest(pid)).isNull();
        save(pid, 10, "ten");
        SnapshotMetadata twenty = save(pid, 20, new byte[] {1, 2, 3});
        SelectedSnapshot loaded = loadLatest(pid);
        assertThat(loaded.metadata()).isEqualTo(twenty);
        assertThat((byte[]) loaded.snapshot()).containsExactly(1, 2, 3);
    }

    @Test
    void loadsTheNewestThatMatchesTheCriteria() {
        String pid = newPid();
        save(pid, 10, "ten");
        SnapshotMetadata twenty = save(pid, 20, "twenty");
        save(pid, 30, "thirty");
        assertThat(loadSnapshot(pid, SnapshotSelectionCriteria.latest(), 25).snapshot()).isEqualTo("twenty");
        assertThat(loadSnapshot(pid, SnapshotSelectionCriteria.create(15, Long.MAX_VALUE), Long.MAX_VALUE).snapshot())
            .isEqualTo("ten");
        assertThat(loadSnapshot(pid, SnapshotSelectionCriteria.create(25, twenty.timestamp()), Long.MAX_VALUE).snapshot())
            .isEqualTo("twenty");
        assertThat(loadSnapshot(pid, SnapshotSelectionCriteria.create(40, Long.MAX_VALUE, 35, 0), Long.MAX_VALUE))
            .isNull();
        assertThat(loadSnapshot(pid, SnapshotSelectionCriteria.none(), Long.MAX_VALUE)).isNull();
    }

    @Test
    void idsThatShareAPrefixDoNotMix() {
        String pid = newPid();
        save(pid, 5, "mine");
        save(pid + "-1", 7, "other");
        assertThat(loadLatest(pid).snapshot()).isEqualTo("mine");
        assertThat(loadLatest(pid + "-1").snapshot()).isEqualTo("other");
        save("odd/../id.x", 3, "safe");
        assertThat(loadLatest("odd/../id.x").snapshot()).isEqualTo("safe");
    }

    @Test
    void fallsBackToAnOlderSnapshotWhenTheNewestIsCorrupt() throws IOException {
        String pid = newPid();
        save(pid, 10, "ten");
        SnapshotMetadata twenty = save(pid, 20, "twenty");
        Path newest = files(pid).get(1);
        assertThat(newest.getFileName().toString()).isEqualTo("snapshot-" + pid + "-20-" + twenty.timestamp());
        try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int b = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(b ^ 0xff);
        }
        assertThat(loadLatest(pid).snapshot()).isEqualTo("ten");

        Files.write(files(pid).get(0), new byte[] {0, 0, 0, 9, 1}); // a truncated one fails too
        Object reply = load(kit, pid, SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
        assertThat(reply).isInstanceOfSatisfying(SnapshotProtocol.LoadSnapshotFailed.class,
            failed -> assertThat(failed.cause()).hasMessageContaining("none of the 2 snapshots of " + pid));
    }

    @Test
    void deletesOneSnapshotByMetadata() throws IOException {
        String pid = newPid();
        save(pid, 10, "ten");
        SnapshotMetadata twenty = save(pid, 20, "twenty");
        TestProbe<Object> probe = kit.createTestProbe();
        store(kit).tell(new SnapshotProtocol.DeleteSnapshot(twenty), Adapter.toClassic(probe.getRef()));
        probe.expectMessage(new DeleteSnapshotSuccess(twenty));
        assertThat(loadLatest(pid).snapshot()).isEqualTo("ten");
        assertThat(files(pid)).hasSize(1);

        SnapshotMetadata anyTimestamp = new SnapshotMetadata(pid, 10, 0);
        store(kit).tell(new SnapshotProtocol.DeleteSnapshot(anyTimestamp), Adapter.toClassic(probe.getRef()));
        probe.expectMessage(new DeleteSnapshotSuccess(anyTimestamp));
        assertThat(files(pid)).isEmpty();
    }

    @Test
    void deletesSnapshotsByCriteria() throws IOException {
        String pid = newPid();
        save(pid, 10, "ten");
        save(pid, 20, "twenty");
        save(pid, 30, "thirty");
        SnapshotSelectionCriteria upTo20 = SnapshotSelectionCriteria.create(20, Long.MAX_VALUE);
        TestProbe<Object> probe = kit.createTestProbe();
        store(kit).tell(new SnapshotProtocol.DeleteSnapshots(pid, upTo20), Adapter.toClassic(probe.getRef()));
        probe.expectMessage(new DeleteSnapshotsSuccess(upTo20));
        assertThat(files(pid)).hasSize(1);
        assertThat(loadLatest(pid).snapshot()).isEqualTo("thirty");
        assertThat(loadSnapshot(pid, upTo20, Long.MAX_VALUE)).isNull();
    }

    @Test
    void snapshotsSurviveARestartAndTemporaryFilesAreCleanedUp(@TempDir Path own) throws IOException {
        ActorTestKit first = TestSystems.start("snapshots-before-restart", own);
        SnapshotMetadata saved;
        try {
            saved = save(first, "kept", 7, "seven");
        } finally {
            first.shutdownTestKit();
        }
        Path leftover = TestSystems.snapshotDir(own).resolve("tmp-interrupted-save");
        Files.write(leftover, new byte[] {1, 2, 3});
        ActorTestKit second = TestSystems.start("snapshots-after-restart", own);
        try {
            Object reply = load(second, "kept", SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
            SelectedSnapshot loaded = ((SnapshotProtocol.LoadSnapshotResult) reply).snapshot().get();
            assertThat(loaded.metadata()).isEqualTo(saved);
            assertThat(loaded.snapshot()).isEqualTo("seven");
            assertThat(leftover).doesNotExist();
        } finally {
            second.shutdownTestKit();
        }
    }
}
