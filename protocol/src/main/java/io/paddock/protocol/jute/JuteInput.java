package io.paddock.protocol.jute;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads jute's big-endian encoding from a byte array slice. Every length field is checked
 * against the bytes that remain, so a hostile frame fails with {@link MalformedRecordException}
 * instead of allocating what it claims.
 */
public final class JuteInput {
    private final byte[] buf;
    private int pos;
    private final int limit;

    public JuteInput(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public JuteInput(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    public int remaining() {
        return limit - pos;
    }

    public int position() {
        return pos;
    }

    private void need(int n, String what) {
        if (n > limit - pos) {
            throw new MalformedRecordException(what + " needs " + n + " bytes, " + (limit - pos) + " remain");
        }
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
