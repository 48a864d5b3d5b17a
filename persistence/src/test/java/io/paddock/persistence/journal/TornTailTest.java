package io.paddock.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.persistence.TestSystems;
import io.paddock.persistence.files.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a kill -9 in the middle of a write leaves on disk, and what the journal makes of it after a
 * restart: a damaged end of the log is cut off, damage anywhere else fails replay loudly.
 */
class TornTailTest {
    private static final String PID = "torn";

    @TempDir
    Path dir;

    private static List<Object> payloads(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(n -> (Object) ("event-" + n)).toList();
    }

    private Path segment() {
        return TestSystems.journalDir(dir).resolve(FileNames.encode(PID)).resolve("00000000000000000001.seg");
    }

    /** Five events, one AtomicWrite each, written by a system that is then shut down. */
    private void writeFiveEvents() {
        withJournal(journal -> journal.writeEach(PID, 1, payloads(1, 5)));
    }

    private void withJournal(Consumer<JournalClient> body) {
        ActorTestKit kit = TestSystems.start("TornTailTest", dir);
        try {
            body.accept(new JournalClient(kit));
        } finally {
            kit.shutdownTestKit();
        }
    }

    private void assertRecoversAndContinues(long intactEvents) {
        withJournal(journal -> {
            assertThat(journal.replayAll(PID).payloads()).isEqualTo(payloads(1, intactEvents));
            assertThat(journal.highestSequenceNr(PID)).isEqualTo(intactEvents);
            journal.writeEach(PID, intactEvents + 1, payloads(intactEvents + 1, intactEvents + 2));
            assertThat(journal.replayAll(PID).payloads()).isEqualTo(payloads(1, intactEvents + 2));
        });
    }

    @Test
    void garbageAfterTheLastRecordIsCutOff() throws IOException {
        writeFiveEvents();
        Files.write(segment(), new byte[] {0, 0, 0, 99, 42, 42, 42, 42, 42, 42, 42, 42, 42}, StandardOpenOption.APPEND);
        assertRecoversAndContinues(5);
    }

    @Test
    void aLastRecordCutInHalfIsCutOff() throws IOException {
        writeFiveEvents();
        List<Long> offsets = DiskDamage.recordOffsets(segment());
        long last = offsets.get(offsets.size() - 1);
        long size = Files.size(segment());
        DiskDamage.truncate(segment(), last + (size - last) / 2);
        assertRecoversAndContinues(4);
    }

    @Test
    void aDamagedLengthFieldInTheMiddleFailsReplayAndCutsNothing() throws IOException {
        writeFiveEvents();
        long third = DiskDamage.recordOffsets(segment()).get(2);
        DiskDamage.writeInt(segment(), third, 1 << 30); // as if the record ran past the end of the file
        byte[] damaged = Files.readAllBytes(segment());
        withJournal(journal -> {
            JournalClient.Replay replay = journal.replayAll(PID);
            assertThat(replay.failure()).isNotNull();
            assertThat(replay.failure().getMessage())
                .contains(segment() + " at offset " + third)
                .contains("nothing was cut")
                .contains("from the other servers");
            assertThat(replay.events()).isEmpty();
        });
        assertThat(Files.readAllBytes(segment())).as("the file is unchanged").isEqualTo(damaged);
    }

    @Test
    void aCorruptRecordInTheMiddleFailsReplayNamingFileAndOffset() throws IOException {
        writeFiveEvents();
        long third = DiskDamage.recordOffsets(segment()).get(2);
        DiskDamage.flipByte(segment(), third + SegmentReader.HEADER + 2);
        withJournal(journal -> {
            JournalClient.Replay replay = journal.replayAll(PID);
            assertThat(replay.failure()).isNotNull();
            assertThat(replay.failure().getMessage())
                .contains(segment().toString())
                .contains("at offset " + third);
            assertThat(replay.events()).isEmpty();
        });
        assertThat(Files.size(segment())).as("nothing was cut").isGreaterThan(third + 100);
    }
}
