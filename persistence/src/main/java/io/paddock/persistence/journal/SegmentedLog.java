package io.paddock.persistence.journal;

import io.paddock.persistence.files.DurableFiles;
import io.paddock.persistence.files.LostData;
import io.paddock.persistence.journal.SegmentReader.Bad;
import io.paddock.persistence.journal.SegmentReader.Intact;
import io.paddock.persistence.journal.SegmentReader.Slot;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One persistenceId's events: a directory of append-only segment files named after the first
 * sequence number written to them ({@code 00000000000000000001.seg}), plus a {@link DeletionMark}.
 * Each record holds one whole AtomicWrite, so a torn write loses a whole AtomicWrite, never half.
 *
 * <p>Knows nothing of Pekko; {@link LocalJournal} serializes and calls it from one thread.
 */
final class SegmentedLog implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(SegmentedLog.class);
    private static final Pattern SEGMENT = Pattern.compile("\\d{20}\\.seg");

    /** What the scan learned about one segment file. */
    private static final class Segment {
        final Path path;
        long firstSeqNr; // 0 while the segment holds no record
        long lastSeqNr;
        long size;        // end of the last intact record

        Segment(Path path) {
            this.path = path;
        }

        boolean empty() {
            return lastSeqNr == 0;
        }
    }

    private final Path dir;
    private final long segmentSize;
    private final List<Segment> segments = new ArrayList<>(); // oldest first
    private long deletedTo;
    private long highestSeqNr;
    private FileChannel active; // the last segment, open for appending
    private long forceCount;

    private SegmentedLog(Path dir, long segmentSize) {
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    /**
     * Opens (creating if needed) the log in {@code dir} and checks every record. A bad record in
     * the last segment with no intact record after it (a torn write) is cut off; any other bad
     * record fails the open with an IOException naming the file and offset.
     */
    static SegmentedLog open(Path dir, long segmentSize) throws IOException {
        DurableFiles.createDirectories(dir);
        SegmentedLog log = new SegmentedLog(dir, segmentSize);
        log.deletedTo = DeletionMark.read(dir);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        for (int i = 0; i < files.size(); i++) {
            Segment segment = new Segment(files.get(i));
            log.scan(segment, i == files.size() - 1);
            if (!segment.empty()) {
                if (segment.firstSeqNr <= log.highestSeqNr) {
                    throw new IOException(LostData.message("journal segment " + segment.path + " starts at sequence number "
                        + segment.firstSeqNr + ", not above the previous segment's " + log.highestSeqNr));
                }
                log.highestSeqNr = segment.lastSeqNr;
            }
            log.segments.add(segment);
        }
        log.highestSeqNr = Math.max(log.highestSeqNr, log.deletedTo);
        return log;
    }

    private void scan(Segment segment, boolean last) throws IOException {
        try (SegmentReader reader = new SegmentReader(segment.path)) {
            long offset = 0;
            while (offset < reader.size()) {
                Slot slot = reader.at(offset);
                if (slot instanceof Intact intact) {
                    long[] range = seqNrRange(segment, intact);
                    if (range[0] <= segment.lastSeqNr) {
                        throw corrupt(segment.path, offset, "sequence number " + range[0] + " after " + segment.lastSeqNr);
                    }
                    if (segment.empty()) {
                        segment.firstSeqNr = range[0];
                    }
                    segment.lastSeqNr = range[1];
                    offset = intact.next();
                } else if (!last) {
                    throw corrupt(segment.path, offset, reason(slot));
                } else {
                    // each write call is forced before the next begins, so an intact record after the bad
                    // one was written once the bad one was durable: that is damage, not a torn write. (Only
                    // the records of one call could tear out of order, in a power loss; the TxnLog writes
                    // one record per call, and failing errs on the safe side anyway.)
                    Intact after = reader.intactRecordFrom(offset + 1,
                        Math.max(Math.max(highestSeqNr, deletedTo), segment.lastSeqNr));
                    if (after != null) {
                        throw corrupt(segment.path, offset, reason(slot) + "; an intact record follows at offset "
                            + after.offset() + ", so this is not the torn end of a write, and nothing was cut");
                    }
                    cutTornTail(segment.path, offset, reader.size(), reason(slot));
                    break;
                }
            }
            segment.size = offset;
        }
    }

    private static long[] seqNrRange(Segment segment, Intact record) throws IOException {
        try {
            return BatchCodec.seqNrRange(record.payload());
        } catch (RuntimeException e) {
            throw corrupt(segment.path, record.offset(), "malformed payload: " + e.getMessage());
        }
    }

    private static void cutTornTail(Path file, long offset, long size, String reason) throws IOException {
        log.warn("Journal file {}: cutting off a torn tail at offset {} ({} bytes: {}); "
            + "the end of a write that a crash interrupted", file, offset, size - offset, reason);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.force(true);
        }
    }

    private static String reason(Slot slot) {
        return slot instanceof Bad bad ? bad.reason() : "intact";
    }

    private static IOException corrupt(Path file, long offset, String reason) {
        return new IOException(LostData.message(
            "corrupt journal record in " + file + " at offset " + offset + ": " + reason));
    }

    long highestSequenceNr() {
        return highestSeqNr;
    }

    long deletedTo() {
        return deletedTo;
    }

    /** How many times this log forced a segment to disk (one per {@link #append}). */
    long forceCount() {
        return forceCount;
    }

    int segmentCount() {
        return segments.size();
    }

    /**
     * Appends one record per AtomicWrite and forces the segment once for all of them. Rolls over to
     * a new segment first when the current one has reached the segment size. On failure the segment
     * is cut back to where it was, so a later append never lands after garbage.
     */
    void append(List<List<StoredEvent>> atomicWrites) throws IOException {
        List<List<StoredEvent>> writes = atomicWrites.stream().filter(w -> !w.isEmpty()).toList();
        if (writes.isEmpty()) {
            return;
        }
        long first = writes.get(0).get(0).seqNr();
        if (first <= highestSeqNr) {
            throw new IOException("cannot append sequence number " + first + " to the journal in " + dir
                + ": not above the highest, " + highestSeqNr);
        }
        ByteBuffer records = encode(writes);
        Segment segment = activeSegment(first);
        long start = segment.size;
        try {
            while (records.hasRemaining()) {
                active.write(records, start + records.position());
            }
            active.force(false); // fdatasync: the data and the file length, once for the whole batch
            forceCount++;
        } catch (IOException e) {
            rollBack(segment, start, e);
            throw new IOException("cannot append to journal file " + segment.path + ": " + e.getMessage(), e);
        }
        segment.size = start + records.limit();
        if (segment.empty()) {
            segment.firstSeqNr = first;
        }
        List<StoredEvent> lastWrite = writes.get(writes.size() - 1);
        segment.lastSeqNr = lastWrite.get(lastWrite.size() - 1).seqNr();
        highestSeqNr = segment.lastSeqNr;
    }

    private static ByteBuffer encode(List<List<StoredEvent>> writes) {
        List<byte[]> payloads = writes.stream().map(BatchCodec::encode).toList();
        int size = payloads.stream().mapToInt(p -> SegmentReader.HEADER + p.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] payload : payloads) {
            CRC32C crc = new CRC32C();
            crc.update(payload);
            out.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        }
        return out.flip();
    }

    private Segment activeSegment(long firstSeqNr) throws IOException {
        Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last != null && last.size < segmentSize) {
            if (active == null) {
                // it may have been created just before a crash or a failed directory fsync: its name
                // is made durable before anything acknowledged goes into it
                DurableFiles.fsyncDirectory(dir);
                active = FileChannel.open(last.path, StandardOpenOption.WRITE);
            }
            return last;
        }
        Path path = dir.resolve(String.format("%020d.seg", firstSeqNr));
        FileChannel created = null;
        try {
            created = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            DurableFiles.fsyncDirectory(dir); // the new file's name must survive a crash too
        } catch (IOException e) {
            if (created != null) {
                created.close();
            }
            throw new IOException("cannot create journal file " + path + ": " + e, e);
        }
        closeActive();
        active = created;
        Segment segment = new Segment(path);
        segments.add(segment);
        return segment;
    }

    private void rollBack(Segment segment, long size, IOException cause) {
        try {
            active.truncate(size);
            active.force(true);
        } catch (IOException e) {
            cause.addSuppressed(e);
            // the caller discards this instance; the next open rescans and cuts the torn tail
        }
    }

    /**
     * Replays events with sequence numbers in [from, to] that are not deleted, at most {@code max}
     * of them, in order.
     */
    void replay(long from, long to, long max, Consumer<StoredEvent> consumer) throws IOException {
        long lowest = Math.max(from, deletedTo + 1);
        if (max <= 0 || lowest > to) {
            return;
        }
        long replayed = 0;
        for (Segment segment : segments) {
            if (segment.empty() || segment.lastSeqNr < lowest) {
                continue;
            }
            if (segment.firstSeqNr > to) {
                return;
            }
            try (SegmentReader reader = new SegmentReader(segment.path)) {
                long offset = 0;
                while (offset < segment.size) {
                    Slot slot = reader.at(offset);
                    if (!(slot instanceof Intact intact)) {
                        throw corrupt(segment.path, offset, reason(slot));
                    }
                    for (StoredEvent event : BatchCodec.decode(intact.payload())) {
                        if (event.seqNr() > to) {
                            return;
                        }
                        if (event.seqNr() >= lowest) {
                            consumer.accept(event);
                            if (++replayed >= max) {
                                return;
                            }
                        }
                    }
                    offset = intact.next();
                }
            }
        }
    }

    /**
     * Marks events up to {@code toSeqNr} (capped at the highest sequence number, so the highest
     * never decreases) as deleted, durably, then deletes the segments that hold only deleted events.
     */
    void deleteTo(long toSeqNr) throws IOException {
        long target = Math.min(toSeqNr, highestSeqNr);
        if (target > deletedTo) {
            DeletionMark.write(dir, target);
            deletedTo = target;
        }
        Iterator<Segment> it = segments.iterator();
        while (it.hasNext()) {
            Segment segment = it.next();
            boolean isLast = !it.hasNext();
            boolean deletable = segment.empty() ? !isLast : segment.lastSeqNr <= deletedTo;
            if (!deletable) {
                break;
            }
            if (isLast) {
                closeActive();
            }
            Files.delete(segment.path);
            it.remove();
        }
    }

    private void closeActive() throws IOException {
        if (active != null) {
            active.close();
            active = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeActive();
    }
}
