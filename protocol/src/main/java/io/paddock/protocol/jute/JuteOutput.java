package io.paddock.protocol.jute;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/** Writes jute's big-endian encoding into a growable byte array. */
public final class JuteOutput {
    private byte[] buf;
    private int pos;

    public JuteOutput() {
        this(64);
    }

    public JuteOutput(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    public int size() {
        return pos;
    }

    /** The backing array; only the first {@link #size()} bytes are meaningful. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Empties the output, keeping its array for what is written next. */
    public void reset() {
        pos = 0;
    }

    public JuteOutput writeInt(int v) {
        ensure(4);
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
        pos += 4;
        return this;
    }

    /** Overwrites four bytes written earlier, for a length prefix known only at the end. */
    public void setInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    public JuteOutput writeLong(long v) {
        writeInt((int) (v >>> 32));
        writeInt((int) v);
        return this;
    }

    public JuteOutput writeBool(boolean v) {
        ensure(1);
        buf[pos++] = (byte) (v ? 1 : 0);
        return this;
    }

    public JuteOutput writeBuffer(byte[] b) {
        if (b == null) {
            return writeInt(-1);
        }
        writeInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
        return this;
    }

    public JuteOutput writeString(String s) {
        return s == null ? writeInt(-1) : writeBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes {@link #writeBuffer} writes for {@code b}. */
    public static int bufferSize(byte[] b) {
        return 4 + (b == null ? 0 : b.length);
    }

    /** The bytes {@link #writeString} writes for {@code s}, counted without encoding it. */
    public static int stringSize(String s) {
        return 4 + (s == null ? 0 : utf8Length(s));
    }

    /** The length of {@code s} in UTF-8, as {@link String#getBytes} encodes it (a lone surrogate becomes '?'). */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // four bytes for the pair's two chars
                i++;
            } else if (Character.isSurrogate(c)) {
                continue; // unpaired: encoded as one '?'
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    public <T> JuteOutput writeVector(List<T> list, BiConsumer<JuteOutput, T> element) {
        if (list == null) {
            return writeInt(-1);
        }
        writeInt(list.size());
        for (T t : list) {
            element.accept(this, t);
        }
        return this;
    }

    public JuteOutput writeStringVector(List<String> list) {
        return writeVector(list, JuteOutput::writeString);
    }

    public JuteOutput writeRecord(JuteRecord r) {
        r.write(this);
        return this;
    }

    /** Raw bytes with no length prefix. */
    public JuteOutput writeRaw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }
}
