package io.paddock.protocol.jute;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Reads jute's big-endian encoding from a byte array slice, or from an image in parts (one array
 * of hundreds of MB would hold the whole JVM at a safepoint while it is allocated). Every length
 * field is checked against the bytes that remain, so a hostile frame fails with
 * {@link MalformedRecordException} instead of allocating what it claims.
 */
public final class JuteInput {
    private byte[] buf;
    private int pos;
    private int limit;
    /** The parts not read yet, and their bytes; null and 0 for one array. */
    private final Iterator<byte[]> rest;
    private long restBytes;

    public JuteInput(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public JuteInput(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        this.rest = null;
    }

    /** Reads {@code parts} as one stream of bytes; a value may span parts. */
    public JuteInput(List<byte[]> parts) {
        this.buf = new byte[0];
        this.rest = parts.iterator();
        for (byte[] part : parts) {
            restBytes += part.length;
        }
    }

    /** The bytes left, at most Integer.MAX_VALUE. */
    public int remaining() {
        return (int) Math.min(Integer.MAX_VALUE, limit - pos + restBytes);
    }

    public int position() {
        return pos;
    }

    private void need(int n, String what) {
        if (n > limit - pos && !fill(n)) {
            throw new MalformedRecordException(what + " needs " + n + " bytes, " + remaining() + " remain");
        }
    }

    /** Takes in the next parts until {@code n} bytes are at hand in one array: what is left of this one, then theirs. */
    private boolean fill(int n) {
        if (n > remaining()) {
            return false;
        }
        while (n > limit - pos) {
            byte[] next = rest.next();
            restBytes -= next.length;
            int left = limit - pos;
            if (left == 0) {
                buf = next;
            } else {
                byte[] joined = new byte[left + next.length];
                System.arraycopy(buf, pos, joined, 0, left);
                System.arraycopy(next, 0, joined, left, next.length);
                buf = joined;
            }
            pos = 0;
            limit = buf.length;
        }
        return true;
    }

    public int readInt() {
        need(4, "int");
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public long readLong() {
        need(8, "long");
        long hi = readInt() & 0xffffffffL;
        long lo = readInt() & 0xffffffffL;
        return (hi << 32) | lo;
    }

    public boolean readBool() {
        need(1, "boolean");
        return buf[pos++] != 0;
    }

    /** A buffer: int32 length then bytes; length -1 is null. */
    public byte[] readBuffer() {
        int len = readInt();
        if (len == -1) {
            return null;
        }
        if (len < 0) {
            throw new MalformedRecordException("negative buffer length " + len);
        }
        need(len, "buffer");
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    /** A ustring: int32 length then UTF-8 bytes; length -1 is null. */
    public String readString() {
        int len = readInt();
        if (len == -1) {
            return null;
        }
        if (len < 0) {
            throw new MalformedRecordException("negative string length " + len);
        }
        need(len, "string");
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** A vector: int32 count then elements; count -1 is null. */
    public <T> List<T> readVector(Function<JuteInput, T> element) {
        int count = readInt();
        if (count == -1) {
            return null;
        }
        if (count < 0 || count > remaining()) { // every element takes at least one byte
            throw new MalformedRecordException("impossible vector length " + count + " with " + remaining() + " bytes left");
        }
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(element.apply(this));
        }
        return out;
    }

    public List<String> readStringVector() {
        return readVector(JuteInput::readString);
    }
}
