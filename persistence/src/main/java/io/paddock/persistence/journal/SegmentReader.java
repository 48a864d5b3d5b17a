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

    /** A record that is cut short by the end of the file: what a crash in the middle of a write leaves. */
    record Torn(long offset, String reason) implements Slot {
    }

    /** A complete record whose bytes are wrong; {@code next} is -1 when its length is unusable. */
    record Damaged(long offset, long next, String reason) implements Slot {
    }

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
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
            return new Torn(offset, "incomplete header: " + left + " bytes");
        }
        ByteBuffer header = ByteBuffer.wrap(read(offset, HEADER));
        int length = header.getInt();
        int crc = header.getInt();
        if (length <= 0) {
            return new Damaged(offset, -1, "invalid record length " + length);
        }
        if (length > left - HEADER) {
            return new Torn(offset, "record of " + length + " bytes runs past the end of the file ("
                + (left - HEADER) + " bytes left)");
        }
        byte[] payload = read(offset + HEADER, length);
        CRC32C actual = new CRC32C();
        actual.update(payload);
        if ((int) actual.getValue() != crc) {
            return new Damaged(offset, offset + HEADER + length, "CRC mismatch");
        }
        return new Intact(offset, payload);
    }

    /**
     * True when an intact record can be found after the bad slot by following length fields. A
     * crash only ever damages the end of what was being written, so anything intact after a bad
     * record means the damage is not a torn write.
     */
    boolean intactRecordAfter(Slot bad) throws IOException {
        long next = bad instanceof Damaged d ? d.next() : -1;
        while (next >= 0 && next < size) {
            Slot slot = at(next);
            if (slot instanceof Intact) {
                return true;
            }
            next = slot instanceof Damaged d ? d.next() : -1;
        }
        return false;
    }

    private byte[] read(long position, int length) throws IOException {
        byte[] out = new byte[length];
        if (length > WINDOW) {
            readFully(ByteBuffer.wrap(out), position);
            return out;
        }
        if (windowStart < 0 || position < windowStart || position + length > windowStart + window.limit()) {
            window.clear();
            window.limit((int) Math.min(WINDOW, size - position));
            readFully(window, position);
            window.flip();
            windowStart = position;
        }
        window.get((int) (position - windowStart), out, 0, length);
        return out;
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
