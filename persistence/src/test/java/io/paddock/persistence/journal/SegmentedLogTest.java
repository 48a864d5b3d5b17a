package io.paddock.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The journal's file layer, without actors: records, segments, fsyncs, deletion, recovery rules. */
class SegmentedLogTest {
    private static final long BIG = 64L << 20;

    @TempDir
    Path dir;

    private static StoredEvent event(long seqNr) {
        return new StoredEvent(seqNr, ("event-" + seqNr).getBytes(StandardCharsets.UTF_8));
    }

    /** One AtomicWrite per sequence number. */
    private static List<List<StoredEvent>> singles(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(n -> List.of(event(n))).toList();
    }

    private static List<Long> replayAll(SegmentedLog log) throws IOException {
        return replay(log, 1, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    private static List<Long> replay(SegmentedLog log, long from, long to, long max) throws IOException {
        List<Long> seqNrs = new ArrayList<>();
        log.replay(from, to, max, e -> {
            assertThat(new String(e.bytes(), StandardCharsets.UTF_8)).isEqualTo("event-" + e.seqNr());
            seqNrs.add(e.seqNr());
        });
        return seqNrs;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void appendsReplaysAndForcesOncePerBatch() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 10));
            log.append(List.of(List.of(event(11), event(12), event(13))));
            assertThat(log.forceCount()).isEqualTo(2);
            assertThat(log.highestSequenceNr()).isEqualTo(13);
            assertThat(replayAll(log)).isEqualTo(range(1, 13));
            assertThat(replay(log, 4, 9, Long.MAX_VALUE)).isEqualTo(range(4, 9));
            assertThat(replay(log, 4, 9, 3)).isEqualTo(range(4, 6));
            assertThat(replay(log, 1, 13, 0)).isEmpty();
            assertThat(replay(log, 14, Long.MAX_VALUE, Long.MAX_VALUE)).isEmpty();
        }
        try (SegmentedLog reopened = SegmentedLog.open(dir, BIG)) {
            assertThat(reopened.highestSequenceNr()).isEqualTo(13);
            assertThat(replayAll(reopened)).isEqualTo(range(1, 13));
        }
    }

    @Test
    void rollsOverToNewSegmentsNamedByFirstSequenceNumber() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, 100)) {
            for (long n = 1; n <= 20; n += 2) {
                log.append(singles(n, n + 1)); // two records of ~40 bytes: a segment holds two calls
            }
            assertThat(log.forceCount()).isEqualTo(10);
        }
        assertThat(segments()).hasSize(5);
        assertThat(segments().get(1).getFileName().toString()).isEqualTo("00000000000000000005.seg");
        try (SegmentedLog reopened = SegmentedLog.open(dir, 100)) {
            assertThat(replayAll(reopened)).isEqualTo(range(1, 20));
            assertThat(replay(reopened, 7, 14, Long.MAX_VALUE)).isEqualTo(range(7, 14));
            reopened.append(singles(21, 21));
            assertThat(replay(reopened, 18, Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(range(18, 21));
        }
    }

    @Test
    void rejectsSequenceNumbersThatDoNotGrow() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 3));
            assertThatThrownBy(() -> log.append(singles(3, 4))).hasMessageContaining("not above the highest, 3");
            assertThat(replayAll(log)).isEqualTo(range(1, 3));
        }
    }

    @Test
    void deletesWholeSegmentsAndNeverLowersTheHighestSequenceNumber() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, 100)) {
            for (long n = 1; n <= 20; n += 2) {
                log.append(singles(n, n + 1));
            }
            log.deleteTo(9);
            // segments start at 1, 5, 9, 13, 17: the first two hold only deleted events
            assertThat(segments()).extracting(p -> p.getFileName().toString())
                .containsExactly("00000000000000000009.seg", "00000000000000000013.seg", "00000000000000000017.seg");
            assertThat(replayAll(log)).isEqualTo(range(10, 20));
            assertThat(log.highestSequenceNr()).isEqualTo(20);

            log.deleteTo(Long.MAX_VALUE);
            assertThat(segments()).isEmpty();
            assertThat(log.highestSequenceNr()).isEqualTo(20);
            assertThat(replayAll(log)).isEmpty();
        }
        try (SegmentedLog reopened = SegmentedLog.open(dir, 100)) {
            assertThat(reopened.highestSequenceNr()).isEqualTo(20);
            assertThat(reopened.deletedTo()).isEqualTo(20);
            reopened.append(singles(21, 22));
            assertThat(replayAll(reopened)).isEqualTo(range(21, 22));
        }
    }

    @Test
    void deletionToBeyondTheEndOnlyDeletesWhatExists() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 3));
            log.deleteTo(100);
            log.append(singles(4, 5));
            assertThat(replayAll(log)).isEqualTo(range(4, 5));
        }
    }

    @Test
    void cutsAHalfWrittenLastRecord() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 5));
        }
        Path segment = segments().get(0);
        long size = Files.size(segment);
        DiskDamage.truncate(segment, size - 10);
        try (SegmentedLog reopened = SegmentedLog.open(dir, BIG)) {
            assertThat(replayAll(reopened)).isEqualTo(range(1, 4));
            assertThat(reopened.highestSequenceNr()).isEqualTo(4);
            reopened.append(singles(5, 6));
            assertThat(replayAll(reopened)).isEqualTo(range(1, 6));
        }
    }

    @Test
    void aTornAtomicWriteIsLostWholeNeverHalf() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 2));
            log.append(List.of(List.of(event(3), event(4), event(5))));
        }
        Path segment = segments().get(0);
        DiskDamage.truncate(segment, Files.size(segment) - 1); // the last event's last byte is missing
        try (SegmentedLog reopened = SegmentedLog.open(dir, BIG)) {
            assertThat(replayAll(reopened)).isEqualTo(range(1, 2));
        }
    }

    @Test
    void cutsGarbageAndZerosAfterTheLastRecord() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 3));
        }
        Path segment = segments().get(0);
        long intact = Files.size(segment);
        Files.write(segment, new byte[] {0, 0, 0, 20, 1, 2, 3, 4, 5, 6, 7}, StandardOpenOption.APPEND);
        try (SegmentedLog reopened = SegmentedLog.open(dir, BIG)) {
            assertThat(replayAll(reopened)).isEqualTo(range(1, 3));
        }
        assertThat(Files.size(segment)).isEqualTo(intact);

        Files.write(segment, new byte[8192], StandardOpenOption.APPEND); // a file extended, never written
        try (SegmentedLog reopened = SegmentedLog.open(dir, BIG)) {
            assertThat(replayAll(reopened)).isEqualTo(range(1, 3));
        }
        assertThat(Files.size(segment)).isEqualTo(intact);
    }

    @Test
    void cutsALastRecordThatFailsItsCrc() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 3));
        }
        Path segment = segments().get(0);
        DiskDamage.flipByte(segment, Files.size(segment) - 2);
        try (SegmentedLog reopened = SegmentedLog.open(dir, BIG)) {
            assertThat(replayAll(reopened)).isEqualTo(range(1, 2));
        }
    }

    @Test
    void failsLoudlyOnABadRecordFollowedByIntactOnes() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 3));
        }
        Path segment = segments().get(0);
        long second = DiskDamage.recordOffsets(segment).get(1);
        DiskDamage.flipByte(segment, second + SegmentReader.HEADER + 5);
        assertThatThrownBy(() -> SegmentedLog.open(dir, BIG))
            .isInstanceOf(IOException.class)
            .hasMessageContaining(segment.toString())
            .hasMessageContaining("at offset " + second)
            .hasMessageContaining("CRC mismatch");
        assertThat(Files.size(segment)).as("nothing is cut").isGreaterThan(second + 20);
    }

    /**
     * A length field damaged in the middle of the last segment: too large (the record seems to run
     * past the end), zero, or just wrong. Following length fields finds nothing after it, but
     * acknowledged records follow, so the open fails and cuts nothing.
     */
    @ParameterizedTest
    @ValueSource(ints = {1 << 30, 0, -1, 20, 24}) // the records are 23 bytes long
    void failsLoudlyOnADamagedLengthFieldWithRecordsAfterIt(int length) throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 8));
        }
        Path segment = segments().get(0);
        List<Long> offsets = DiskDamage.recordOffsets(segment);
        long third = offsets.get(2);
        assertThat(offsets.get(3) - third - SegmentReader.HEADER).isEqualTo(23);
        DiskDamage.writeInt(segment, third, length);
        byte[] damaged = Files.readAllBytes(segment);
        assertThatThrownBy(() -> SegmentedLog.open(dir, BIG))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("corrupt journal record in " + segment + " at offset " + third)
            .hasMessageContaining("an intact record follows at offset " + offsets.get(3))
            .hasMessageContaining("nothing was cut")
            .hasMessageContaining("from the other servers");
        assertThat(Files.readAllBytes(segment)).as("the file is unchanged").isEqualTo(damaged);
    }

    @Test
    void cutsATornTailThatStaleOlderRecordsFollow() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 4));
        }
        Path segment = segments().get(0);
        List<Long> offsets = DiskDamage.recordOffsets(segment);
        byte[] bytes = Files.readAllBytes(segment);
        // a torn fifth record, then stale bytes that happen to be an old record (of sequence number 2):
        // intact, but not above the last good one, so not something acknowledged after the tear
        byte[] stale = java.util.Arrays.copyOfRange(bytes, offsets.get(1).intValue(), offsets.get(2).intValue());
        Files.write(segment, new byte[] {0, 0, 0, 50, 9, 9, 9, 9, 1, 2, 3}, StandardOpenOption.APPEND);
        Files.write(segment, stale, StandardOpenOption.APPEND);
        try (SegmentedLog reopened = SegmentedLog.open(dir, BIG)) {
            assertThat(replayAll(reopened)).isEqualTo(range(1, 4));
        }
        assertThat(Files.size(segment)).isEqualTo(bytes.length);
    }

    @Test
    void cutsATornLargeRecord() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 2));
            byte[] big = new byte[8 << 20];
            new java.util.Random(7).nextBytes(big);
            log.append(List.of(List.of(new StoredEvent(3, big))));
        }
        Path segment = segments().get(0);
        long third = DiskDamage.recordOffsets(segment).get(2);
        DiskDamage.truncate(segment, Files.size(segment) - 100);
        try (SegmentedLog reopened = SegmentedLog.open(dir, BIG)) {
            assertThat(reopened.highestSequenceNr()).isEqualTo(2);
        }
        assertThat(Files.size(segment)).isEqualTo(third);
    }

    @Test
    void failsLoudlyOnATornRecordInASegmentThatIsNotTheLast() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, 100)) {
            for (long n = 1; n <= 8; n += 2) {
                log.append(singles(n, n + 1));
            }
        }
        Path first = segments().get(0);
        DiskDamage.truncate(first, Files.size(first) - 3);
        assertThatThrownBy(() -> SegmentedLog.open(dir, 100))
            .hasMessageContaining("corrupt journal record in " + first);
    }

    @Test
    void failsLoudlyOnCorruptMetadata() throws IOException {
        try (SegmentedLog log = SegmentedLog.open(dir, BIG)) {
            log.append(singles(1, 3));
            log.deleteTo(2);
        }
        DiskDamage.flipByte(dir.resolve(DeletionMark.FILE), 6);
        assertThatThrownBy(() -> SegmentedLog.open(dir, BIG)).hasMessageContaining("corrupt journal metadata file");
    }
}
