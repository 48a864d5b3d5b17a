package io.paddock.protocol.jute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hostile or broken frame must fail with {@link MalformedRecordException}: never an
 * OutOfMemoryError, an index exception, or an allocation of what a length field merely claims.
 */
class JuteInputRobustnessTest {

    /** Claimed lengths that no frame can back: negative (but not null's -1) and huge. */
    private static final int[] IMPOSSIBLE_LENGTHS = {-2, -100, Integer.MIN_VALUE, Integer.MAX_VALUE,
        Integer.MAX_VALUE - 8, 1 << 30, 0x7FFF_0000, 1_048_576};

    private static byte[] intThen(int v, byte... rest) {
        JuteOutput out = new JuteOutput();
        out.writeInt(v);
        out.writeRaw(rest, 0, rest.length);
        return out.toByteArray();
    }

    /** Asserts the read fails with MalformedRecordException and allocates next to nothing on the way. */
    static void assertMalformedWithoutBigAllocation(byte[] bytes, Consumer<JuteInput> read) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThrows(MalformedRecordException.class, () -> read.accept(new JuteInput(bytes)));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 256 * 1024, "a failed read allocated " + allocated + " bytes");
    }

    // ---- truncated primitives ----

    @Test
    void truncatedInt() {
        for (int n = 0; n < 4; n++) {
            byte[] b = new byte[n];
            assertThrows(MalformedRecordException.class, () -> new JuteInput(b).readInt(), n + " bytes");
        }
    }

    @Test
    void truncatedLong() {
        for (int n = 0; n < 8; n++) {
            byte[] b = new byte[n];
            JuteInput in = new JuteInput(b);
            assertThrows(MalformedRecordException.class, in::readLong, n + " bytes");
            assertEquals(0, in.position(), "a failed long consumes nothing");
        }
    }

    @Test
    void truncatedBool() {
        assertThrows(MalformedRecordException.class, () -> new JuteInput(new byte[0]).readBool());
    }

    @Test
    void truncatedBufferAndStringBody() {
        for (int claimed = 1; claimed <= 5; claimed++) {
            for (int present = 0; present < claimed; present++) {
                byte[] b = intThen(claimed, new byte[present]);
                assertThrows(MalformedRecordException.class, () -> new JuteInput(b).readBuffer());
                assertThrows(MalformedRecordException.class, () -> new JuteInput(b).readString());
            }
        }
    }

    @Test
    void truncatedLengthPrefix() {
        for (int n = 0; n < 4; n++) {
            byte[] b = new byte[n];
            assertThrows(MalformedRecordException.class, () -> new JuteInput(b).readBuffer());
            assertThrows(MalformedRecordException.class, () -> new JuteInput(b).readString());
            assertThrows(MalformedRecordException.class, () -> new JuteInput(b).readStringVector());
        }
    }

    @Test
    void aSliceEndsWhereItsLengthSays() {
        byte[] backing = {0, 0, 0, 7, 0, 0, 0, 1, 9, 9, 9};
        JuteInput in = new JuteInput(backing, 4, 4);
        assertEquals(1, in.readInt());
        assertThrows(MalformedRecordException.class, in::readBool, "bytes past the slice are not readable");
        // a buffer of 3 bytes whose slice holds only 2 of them, though the array has more
        byte[] longer = {0, 0, 0, 3, 9, 9, 9, 9};
        assertThrows(MalformedRecordException.class, () -> new JuteInput(longer, 0, 6).readBuffer(),
            "claims a byte past the slice's end");
        assertArrayEquals(new byte[] {9, 9, 9}, new JuteInput(longer, 0, 7).readBuffer());
    }

    // ---- nulls and empties are not errors ----

    @Test
    void minusOneMeansNull() {
        byte[] b = intThen(-1);
        assertNull(new JuteInput(b).readBuffer());
        assertNull(new JuteInput(b).readString());
        assertNull(new JuteInput(b).readStringVector());
    }

    @Test
    void zeroMeansEmpty() {
        byte[] b = intThen(0);
        assertArrayEquals(new byte[0], new JuteInput(b).readBuffer());
        assertEquals("", new JuteInput(b).readString());
        assertEquals(List.of(), new JuteInput(b).readStringVector());
    }

    // ---- impossible length fields ----

    @ParameterizedTest
    @ValueSource(ints = {-2, -100, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, 0x7FFF_0000,
        1_048_576})
    void impossibleBufferLength(int length) {
        assertMalformedWithoutBigAllocation(intThen(length, new byte[16]), JuteInput::readBuffer);
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, -100, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, 0x7FFF_0000,
        1_048_576})
    void impossibleStringLength(int length) {
        assertMalformedWithoutBigAllocation(intThen(length, new byte[16]), JuteInput::readString);
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, -100, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, 0x7FFF_0000,
        1_048_576})
    void impossibleVectorCount(int count) {
        assertMalformedWithoutBigAllocation(intThen(count, new byte[16]), JuteInput::readStringVector);
        assertMalformedWithoutBigAllocation(intThen(count, new byte[16]), in -> in.readVector(JuteInput::readInt));
    }

    @Test
    void impossibleLengthOfAnElementInsideAVector() {
        for (int length : IMPOSSIBLE_LENGTHS) {
            JuteOutput out = new JuteOutput();
            out.writeInt(2).writeString("ok").writeInt(length).writeRaw(new byte[8], 0, 8);
            assertMalformedWithoutBigAllocation(out.toByteArray(), JuteInput::readStringVector);
        }
    }

    @Test
    void vectorCountLargerThanTheRemainingBytesFailsBeforeReadingAnElement() {
        AtomicInteger elementsRead = new AtomicInteger();
        for (int remaining = 0; remaining < 8; remaining++) {
            byte[] b = intThen(remaining + 1, new byte[remaining]);
            assertThrows(MalformedRecordException.class, () -> new JuteInput(b).readVector(in -> {
                elementsRead.incrementAndGet();
                return in.readBool();
            }));
        }
        assertEquals(0, elementsRead.get(), "the count alone must be enough to refuse the vector");
    }

    @Test
    void vectorCountThatFitsButWhoseElementsDoNotIsMalformed() {
        // 4 strings claimed, 8 bytes left: plausible by count, impossible by content
        byte[] b = intThen(4, new byte[] {0, 0, 0, 1, 'a', 0, 0, 0});
        assertThrows(MalformedRecordException.class, () -> new JuteInput(b).readStringVector());
    }

    @Test
    void vectorAtTheExactBoundReadsFine() {
        byte[] b = intThen(3, new byte[] {1, 0, 1});
        assertEquals(Arrays.asList(true, false, true), new JuteInput(b).readVector(JuteInput::readBool));
    }

    @Test
    void maliciousLengthsInsideAValidFrameDoNotReadPastIt() {
        // a 100-byte frame whose buffer claims 96 bytes: fine; claiming 97 is one too many
        byte[] ok = intThen(96, new byte[96]);
        assertEquals(96, new JuteInput(ok).readBuffer().length);
        byte[] tooLong = intThen(97, new byte[96]);
        assertThrows(MalformedRecordException.class, () -> new JuteInput(tooLong).readBuffer());
    }
}
