package io.paddock.protocol.jute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An image in parts reads as the same bytes in one array, whatever the cuts. */
class JuteInputPartsTest {
    private static byte[] record() {
        JuteOutput out = new JuteOutput(64);
        byte[] data = new byte[2500];
        Arrays.fill(data, (byte) 7);
        out.writeInt(42).writeLong(0x1122334455667788L).writeString("/a/znode").writeBuffer(data).writeBuffer(null);
        out.writeInt(2).writeString("x").writeString("yz");
        return Arrays.copyOf(out.array(), out.size());
    }

    /** {@code bytes} cut every {@code size} bytes, with an empty part after the first. */
    private static List<byte[]> cut(byte[] bytes, int size) {
        List<byte[]> parts = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += size) {
            parts.add(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + size)));
            if (at == 0) {
                parts.add(new byte[0]);
            }
        }
        return parts;
    }

    private static void readRecord(JuteInput in) {
        assertThat(in.readInt()).isEqualTo(42);
        assertThat(in.readLong()).isEqualTo(0x1122334455667788L);
        assertThat(in.readString()).isEqualTo("/a/znode");
        byte[] data = in.readBuffer();
        assertThat(data).hasSize(2500).containsOnly(7);
        assertThat(in.readBuffer()).isNull();
        assertThat(in.readStringVector()).containsExactly("x", "yz");
        assertThat(in.remaining()).isZero();
    }

    @Test
    void valuesSpanningPartsReadAsFromOneArray() {
        byte[] whole = record();
        for (int size : new int[] {1, 3, 7, 1000, whole.length}) {
            readRecord(new JuteInput(cut(whole, size)));
        }
    }

    @Test
    void theRemainingBytesCountEveryPartAndTooFewFailAsMalformed() {
        byte[] whole = record();
        JuteInput in = new JuteInput(cut(Arrays.copyOf(whole, 20), 3));
        assertThat(in.remaining()).isEqualTo(20);
        in.readInt();
        in.readLong();
        assertThat(in.remaining()).isEqualTo(8);
        assertThatThrownBy(in::readString).isInstanceOf(MalformedRecordException.class).hasMessageContaining("remain");
    }
}
