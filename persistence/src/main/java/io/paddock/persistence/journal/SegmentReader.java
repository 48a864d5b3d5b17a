package io.paddock.persistence.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment file: {@code int32 length, int32 CRC32C(payload), payload}.
 * Reads go through a 1 MiB window, since records are usually far smaller than that.
 */
final class SegmentReader implements Closeable {
    static final int HEADER = 8;
    /** An event's sequence number and length, in a payload ({@link BatchCodec}). */
    private static final int EVENT_HEADER = 12;
    /** The smallest payload: the event count and one empty event. */
    private static final int MIN_PAYLOAD = 4 + EVENT_HEADER;
    /** The smallest record. */
    private static final int MIN_RECORD = HEADER + MIN_PAYLOAD;
    private static final int WINDOW = 1 << 20;

    /** What one offset of a segment holds. */
    sealed interface Slot {
        long offset();
    }

    /** A whole record whose CRC matches. */
    record Intact(long offset, byte[] payload) implements Slot {
        long next() {
            return offset + HEADER + payload.length;
        }
    }

    /**
     * Not a whole record with a matching CRC: cut short by the end of the file, or with a bad
     * length or CRC. Whether it is a torn write or damage depends on what follows it.
     */
    record Bad(long offset, String reason) implements Slot {
    }

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
    private final ByteBuffer probe = ByteBuffer.allocate(EVENT_HEADER);
    private long windowStart = -1;

    SegmentReader(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    /** The slot at {@code offset}, which must be below {@link #size()}. */
    Slot at(long offset) throws IOException {
        long left = size - offset;
        if (left < HEADER) {
            return new Bad(offset, "incomplete header: " + left + " bytes");
        }
        ByteBuffer header = ByteBuffer.wrap(read(offset, HEADER));
        int length = header.getInt();
        int crc = header.getInt();
        if (length <= 0) {
            return new Bad(offset, "invalid record length " + length);
        }
        if (length > left - HEADER) {
            return new Bad(offset, "record of " + length + " bytes runs past the end of the file ("
                + (left - HEADER) + " bytes left)");
        }
        byte[] payload = read(offset + HEADER, length);
        CRC32C actual = new CRC32C();
        actual.update(payload);
        if ((int) actual.getValue() != crc) {
            return new Bad(offset, "CRC mismatch");
        }
        return new Intact(offset, payload);
    }

    /**
     * The first intact record at or after {@code from} whose sequence numbers are above
     * {@code lastSeqNr}, or null. After a bad record the length fields cannot be trusted, so this
     * tries every offset. Cheap checks rule out almost all of them: a length that fits, a positive
     * event count, a first sequence number above {@code lastSeqNr}; then the rest of the payload's
     * structure, walked in the file (event lengths that add up to the payload's, sequence numbers
     * that grow). Only an offset that passes them all has its payload read and its CRC checked. A
     * sequence number at or below {@code lastSeqNr} marks stale bytes (an old record), never a
     * record written after the bad one.
     */
    Intact intactRecordFrom(long from, long lastSeqNr) throws IOException {
        for (long offset = from; offset <= size - MIN_RECORD; offset++) {
            int at = windowed(offset, MIN_RECORD);
            int length = window.getInt(at);
            int count = window.getInt(at + HEADER);
            if (length >= MIN_PAYLOAD && length <= size - offset - HEADER
                && count >= 1 && count <= (length - 4) / EVENT_HEADER
                && window.getLong(at + HEADER + 4) > lastSeqNr
                && wellFormed(offset + HEADER, length, count)
                && at(offset) instanceof Intact intact) {
                return intact;
            }
        }
        return null;
    }

    /** Whether {@code count} events with growing sequence numbers fill the payload at {@code start} exactly. */
    private boolean wellFormed(long start, int length, int count) throws IOException {
        long end = start + length;
        long position = start + 4;
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            if (end - position < EVENT_HEADER) {
                return false;
            }
            ByteBuffer event = eventHeader(position);
            long seqNr = event.getLong();
            int eventLength = event.getInt();
            if (seqNr <= previous || eventLength < 0 || eventLength > end - position - EVENT_HEADER) {
                return false;
            }
            previous = seqNr;
            position += EVENT_HEADER + eventLength;
        }
        return position == end;
    }

    /**
     * The event header at {@code position}: from the window when it holds it, otherwise read on
     * its own, so that walking a payload does not move the window.
     */
    private ByteBuffer eventHeader(long position) throws IOException {
        probe.clear();
        if (position >= windowStart && position + EVENT_HEADER <= windowStart + window.limit()) {
            probe.put(0, window, (int) (position - windowStart), EVENT_HEADER);
        } else {
            readFully(probe, position);
        }
        return probe.rewind();
    }

    private byte[] read(long position, int length) throws IOException {
        byte[] out = new byte[length];
        if (length > WINDOW) {
            readFully(ByteBuffer.wrap(out), position);
            return out;
        }
        window.get(windowed(position, length), out, 0, length);
        return out;
    }

    /** Moves the window, if need be, to hold {@code [position, position + length)}; returns where {@code position} is in it. */
    private int windowed(long position, int length) throws IOException {
        if (windowStart < 0 || position < windowStart || position + length > windowStart + window.limit()) {
            window.clear();
            window.limit((int) Math.min(WINDOW, size - position));
            readFully(window, position);
            window.flip();
            windowStart = position;
        }
        return (int) (position - windowStart);
    }

    private void readFully(ByteBuffer into, long position) throws IOException {
        long p = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, p);
            if (n < 0) {
                throw new IOException("unexpected end of " + path + " at offset " + p);
            }
            p += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
