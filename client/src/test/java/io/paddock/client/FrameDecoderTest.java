package io.paddock.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    /** The limit with ZooKeeper's client default for jute.maxbuffer. */
    private static final int DEFAULT_LIMIT = FrameDecoder.maxFrame(0xfffff);

    private static byte[] frames(byte[]... payloads) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (byte[] p : payloads) {
            out.writeInt(p.length);
            out.write(p);
        }
        return bytes.toByteArray();
    }

    @Test
    void cutsSeveralFramesOutOfOneChunk() throws IOException {
        List<byte[]> out = new FrameDecoder(DEFAULT_LIMIT).feed(frames(new byte[] {1, 2}, new byte[0], new byte[] {3}));
        assertThat(out).containsExactly(new byte[] {1, 2}, new byte[0], new byte[] {3});
    }

    @Test
    void joinsFramesSplitAtEveryByte() throws IOException {
        byte[] stream = frames(new byte[] {1, 2, 3}, new byte[] {4, 5});
        FrameDecoder decoder = new FrameDecoder(DEFAULT_LIMIT);
        List<byte[]> out = new ArrayList<>();
        for (byte b : stream) {
            out.addAll(decoder.feed(new byte[] {b}));
        }
        assertThat(out).containsExactly(new byte[] {1, 2, 3}, new byte[] {4, 5});
    }

    @Test
    void keepsAnUnfinishedTailForTheNextChunk() throws IOException {
        byte[] stream = frames(new byte[] {9, 9, 9, 9});
        FrameDecoder decoder = new FrameDecoder(DEFAULT_LIMIT);
        assertThat(decoder.feed(Arrays.copyOf(stream, 6))).isEmpty();
        assertThat(decoder.feed(Arrays.copyOfRange(stream, 6, stream.length))).containsExactly(new byte[] {9, 9, 9, 9});
    }

    @Test
    void acceptsAFrameOfExactlyTheLimit() throws IOException {
        assertThat(new FrameDecoder(8).feed(frames(new byte[8]))).hasSize(1);
    }

    @Test
    void rejectsALengthAboveTheLimitBeforeItsBytesArrive() {
        byte[] header = {0, 0x20, 0, 0}; // 2 MiB
        assertThatThrownBy(() -> new FrameDecoder(DEFAULT_LIMIT).feed(header))
            .isInstanceOf(ConnectionFault.class).hasMessageContaining("2097152");
    }

    @Test
    void rejectsANegativeLength() {
        assertThatThrownBy(() -> new FrameDecoder(DEFAULT_LIMIT).feed(new byte[] {-1, -1, -1, -2}))
            .isInstanceOf(ConnectionFault.class);
    }

    @Test
    void theLimitIsJuteMaxBufferPlusRoomForTheHeader() {
        assertThat(DEFAULT_LIMIT).isEqualTo(0xfffff + FrameDecoder.HEADER_ROOM);
        assertThat(FrameDecoder.maxFrame(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }
}
