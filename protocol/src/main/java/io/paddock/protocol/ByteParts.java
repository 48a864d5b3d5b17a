package io.paddock.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects bytes into parts of one fixed size (the last one shorter): a large image (a snapshot, a
 * SNAP) kept as many arrays instead of one, because allocating one array of hundreds of MB holds off
 * every safepoint of the JVM, and because a peer message may carry at most jute.maxbuffer bytes.
 */
public final class ByteParts {
    private final int size;
    private final List<byte[]> done = new ArrayList<>();
    private byte[] part;
    private int filled;

    public ByteParts(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a part must hold at least one byte, not " + size);
        }
        this.size = size;
    }

    /** Appends {@code length} bytes of {@code from}, starting at {@code offset}. */
    public void add(byte[] from, int offset, int length) {
        for (int at = offset, end = offset + length; at < end; ) {
            if (part == null) {
                part = new byte[size];
                filled = 0;
            }
            int n = Math.min(end - at, size - filled);
            System.arraycopy(from, at, part, filled, n);
            filled += n;
            at += n;
            if (filled == size) {
                done.add(part);
                part = null;
            }
        }
    }

    /** The parts so far, the last one cut to what it holds; none for no bytes. */
    public List<byte[]> done() {
        if (part != null) {
            done.add(Arrays.copyOf(part, filled));
            part = null;
        }
        return done;
    }

    /** {@code parts} cut again into parts of {@code size}. */
    public static List<byte[]> recut(List<byte[]> parts, int size) {
        ByteParts out = new ByteParts(size);
        for (byte[] part : parts) {
            out.add(part, 0, part.length);
        }
        return out.done();
    }

    /** The parts in one array. */
    public static byte[] join(List<byte[]> parts) {
        int length = 0;
        for (byte[] part : parts) {
            length = Math.addExact(length, part.length);
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
