package io.paddock.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.persistence.TestSystems;
import io.paddock.persistence.files.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal plugin through the classic journal protocol: what pekko-persistence-tck's
 * JournalSpec checks, plus restart on the same directory.
 */
class LocalJournalTest {
    @TempDir
    static Path dir;
    private static ActorTestKit kit;
    private static JournalClient journal;
    private static final AtomicInteger ids = new AtomicInteger();

    @BeforeAll
    static void start() {
        kit = TestSystems.start("LocalJournalTest", dir, "paddock.journal.segment-size = 200 B");
        journal = new JournalClient(kit);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** A fresh persistenceId holding "a-1" … "a-5" as five AtomicWrites, as JournalSpec starts. */
    private static String withFiveEvents() {
        String pid = "p-" + ids.incrementAndGet();
        journal.writeEach(pid, 1, LongStream.rangeClosed(1, 5).mapToObj(n -> "a-" + n).toList());
        return pid;
    }

    private static List<Object> payloads(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(n -> (Object) ("a-" + n)).toList();
    }

    @Test
    void replaysAllMessages() {
        String pid = withFiveEvents();
        JournalClient.Replay replay = journal.replayAll(pid);
        assertThat(replay.payloads()).isEqualTo(payloads(1, 5));
        assertThat(replay.highestSequenceNr()).isEqualTo(5);
        PersistentRepr first = replay.events().get(0);
        assertThat(first.persistenceId()).isEqualTo(pid);
        assertThat(first.writerUuid()).isEqualTo(JournalClient.WRITER);
        assertThat(first.deleted()).isFalse();
    }

    @Test
    void replaysARange() {
        String pid = withFiveEvents();
        assertThat(journal.replay(pid, 3, Long.MAX_VALUE, Long.MAX_VALUE).payloads()).isEqualTo(payloads(3, 5));
        assertThat(journal.replay(pid, 2, 3, Long.MAX_VALUE).payloads()).isEqualTo(payloads(2, 3));
        assertThat(journal.replay(pid, 3, 3, Long.MAX_VALUE).payloads()).isEqualTo(payloads(3, 3));
        assertThat(journal.replay(pid, 3, 2, Long.MAX_VALUE).payloads()).isEmpty();
    }

    @Test
    void replaysAtMostMaxMessages() {
        String pid = withFiveEvents();
        assertThat(journal.replay(pid, 1, Long.MAX_VALUE, 3).payloads()).isEqualTo(payloads(1, 3));
        assertThat(journal.replay(pid, 2, 3, 5).payloads()).isEqualTo(payloads(2, 3));
        assertThat(journal.replay(pid, 1, Long.MAX_VALUE, 0).payloads()).isEmpty();
    }

    @Test
    void replaysNothingFromBeyondTheEnd() {
        String pid = withFiveEvents();
        JournalClient.Replay replay = journal.replay(pid, 6, Long.MAX_VALUE, Long.MAX_VALUE);
        assertThat(replay.payloads()).isEmpty();
        assertThat(replay.highestSequenceNr()).isEqualTo(5);
    }

    @Test
    void reportsTheHighestSequenceNumber() {
        String pid = withFiveEvents();
        assertThat(journal.highestSequenceNr(pid)).isEqualTo(5);
        assertThat(journal.highestSequenceNr("never-written")).isZero();
    }

    @Test
    void deletedMessagesAreNotReplayedAndTheHighestStays() {
        String pid = withFiveEvents();
        journal.deleteTo(pid, 3);
        assertThat(journal.replayAll(pid).payloads()).isEqualTo(payloads(4, 5));
        assertThat(journal.highestSequenceNr(pid)).isEqualTo(5);

        journal.deleteTo(pid, Long.MAX_VALUE);
        JournalClient.Replay replay = journal.replayAll(pid);
        assertThat(replay.payloads()).isEmpty();
        assertThat(replay.highestSequenceNr()).isEqualTo(5);

        journal.writeEach(pid, 6, List.of("a-6"));
        assertThat(journal.replayAll(pid).payloads()).isEqualTo(payloads(6, 6));
    }

    @Test
    void deletingRemovesWholeSegments() throws IOException {
        String pid = "segments-" + ids.incrementAndGet();
        for (long n = 1; n <= 40; n += 4) { // one call is one record, so write in several calls
            journal.writeEach(pid, n, payloads(n, n + 3));
        }
        Path pidDir = TestSystems.journalDir(dir).resolve(FileNames.encode(pid));
        long before = segmentCount(pidDir);
        assertThat(before).isGreaterThan(3);
        journal.deleteTo(pid, 30);
        assertThat(segmentCount(pidDir)).isLessThan(before);
        assertThat(journal.replayAll(pid).payloads()).isEqualTo(payloads(31, 40));
    }

    @Test
    void anAtomicWriteOfSeveralEventsIsReplayedWhole() {
        String pid = "atomic-" + ids.incrementAndGet();
        List<Object> replies = journal.write(pid, 1, List.of(List.of("a-1", "a-2", "a-3"), List.of("a-4")));
        assertThat(replies.get(0)).isInstanceOf(JournalProtocol.WriteMessagesSuccessful$.class);
        assertThat(replies.subList(1, 5)).allSatisfy(r -> assertThat(r).isInstanceOf(JournalProtocol.WriteMessageSuccess.class));
        assertThat(journal.replay(pid, 2, 2, Long.MAX_VALUE).payloads()).isEqualTo(payloads(2, 2));
        assertThat(journal.replayAll(pid).payloads()).isEqualTo(payloads(1, 4));
    }

    @Test
    void rejectsAnEventThatCannotBeSerializedWithoutFailingTheOthers() {
        String pid = "rejected-" + ids.incrementAndGet();
        List<Object> replies = journal.write(pid, 1,
            List.of(List.of("a-1"), List.of("a-2", new NotSerializable()), List.of("a-4")));
        assertThat(replies.get(0)).isInstanceOf(JournalProtocol.WriteMessagesSuccessful$.class);
        assertThat(replies.get(1)).isInstanceOf(JournalProtocol.WriteMessageSuccess.class);
        assertThat(replies.get(2)).isInstanceOf(JournalProtocol.WriteMessageRejected.class);
        assertThat(replies.get(3)).isInstanceOf(JournalProtocol.WriteMessageRejected.class);
        assertThat(replies.get(4)).isInstanceOf(JournalProtocol.WriteMessageSuccess.class);
        JournalClient.Replay replay = journal.replayAll(pid);
        assertThat(replay.payloads()).containsExactly("a-1", "a-4");
        assertThat(replay.seqNrs()).containsExactly(1L, 4L);
    }

    @Test
    void failsTheWholeWriteNamingTheFileOnAnIoError() throws IOException {
        String pid = "io-error-" + ids.incrementAndGet();
        journal.writeEach(pid, 1, List.of("x".repeat(300))); // fills a segment
        // the next segment's name is taken by a directory, so creating it fails
        Path blocker = TestSystems.journalDir(dir).resolve(FileNames.encode(pid)).resolve("00000000000000000002.seg");
        Files.createDirectory(blocker);
        List<Object> replies = journal.write(pid, 2, List.of(List.of("a-2")));
        assertThat(replies.get(0)).isInstanceOfSatisfying(JournalProtocol.WriteMessagesFailed.class,
            failed -> assertThat(failed.cause()).hasMessageContaining(blocker.toString()));
        assertThat(replies.get(1)).isInstanceOf(JournalProtocol.WriteMessageFailure.class);

        Files.delete(blocker);
        journal.writeEach(pid, 2, List.of("a-2"));
        assertThat(journal.replayAll(pid).seqNrs()).containsExactly(1L, 2L);
    }

    @Test
    void replaysAfterTheJournalRestartsOnTheSameDirectory(@TempDir Path own) {
        ActorTestKit first = TestSystems.start("journal-before-restart", own, "paddock.journal.segment-size = 100 B");
        try {
            JournalClient client = new JournalClient(first);
            client.writeEach("restarted", 1, payloads(1, 20));
            client.deleteTo("restarted", 4);
        } finally {
            first.shutdownTestKit();
        }
        ActorTestKit second = TestSystems.start("journal-after-restart", own, "paddock.journal.segment-size = 100 B");
        try {
            JournalClient client = new JournalClient(second);
            assertThat(client.replayAll("restarted").payloads()).isEqualTo(payloads(5, 20));
            assertThat(client.highestSequenceNr("restarted")).isEqualTo(20);
            client.writeEach("restarted", 21, payloads(21, 22));
            assertThat(client.replay("restarted", 19, Long.MAX_VALUE, Long.MAX_VALUE).payloads())
                .isEqualTo(payloads(19, 22));
        } finally {
            second.shutdownTestKit();
        }
    }

    private static long segmentCount(Path pidDir) throws IOException {
        try (Stream<Path> files = Files.list(pidDir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    /** Bound to no serializer, and Java serialization is off: the journal must reject it. */
    record NotSerializable() {
    }
}
