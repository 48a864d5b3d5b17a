package io.paddock.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a TCP byte stream into ZooKeeper frames (int32 length + payload). It takes whole chunks,
 * as TCP delivers them, and keeps only the tail of an unfinished frame between calls. One
 * instance serves one connection.
 */
final class FrameDecoder {
    /** Room for the reply header, stat and vector lengths around a payload of jute.maxbuffer bytes. */
    static final int HEADER_ROOM = 64 * 1024;

    private final int maxFrame;
    private byte[] buf = new byte[0];
    private int len;

    FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /** The frame limit for replies whose data or children may reach {@code juteMaxBuffer} bytes. */
    static int maxFrame(int juteMaxBuffer) {
        return (int) Math.min(Integer.MAX_VALUE, (long) juteMaxBuffer + HEADER_ROOM);
    }

    /** The payloads of the frames that this chunk completes, in order. */
    List<byte[]> feed(byte[] chunk) {
        append(chunk);
        List<byte[]> frames = new ArrayList<>(2);
        int pos = 0;
        while (len - pos >= 4) {
            int size = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8)
                | (buf[pos + 3] & 0xff);
            if (size < 0 || size > maxFrame) {
                throw new ConnectionFault("frame length " + size + " outside [0, " + maxFrame + "]");
            }
            if (len - pos - 4 < size) {
                break;
            }
            frames.add(Arrays.copyOfRange(buf, pos + 4, pos + 4 + size));
            pos += 4 + size;
        }
        System.arraycopy(buf, pos, buf, 0, len - pos);
        len -= pos;
        return frames;
    }

    private void append(byte[] chunk) {
        if (len + chunk.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + chunk.length, buf.length * 2));
        }
        System.arraycopy(chunk, 0, buf, len, chunk.length);
        len += chunk.length;
    }
}
