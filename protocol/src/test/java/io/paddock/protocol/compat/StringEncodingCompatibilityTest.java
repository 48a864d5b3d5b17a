package io.paddock.protocol.compat;

import static io.paddock.protocol.compat.Wire.assertSameWire;
import static io.paddock.protocol.compat.Wire.paddock;
import static io.paddock.protocol.compat.Wire.zk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.proto.SyncRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How ustrings are encoded. ZooKeeper's BinaryOutputArchive encodes a String one UTF-16 char at a
 * time, so every character of the Basic Multilingual Plane comes out as standard UTF-8, exactly as
 * Paddock writes it, but a character outside it (a surrogate pair, e.g. an emoji) comes out as two
 * 3-byte sequences (CESU-8), where Paddock writes standard 4-byte UTF-8. Both sides read with
 * {@code new String(bytes, UTF_8)}, so whatever bytes arrive, Paddock and ZooKeeper decode them to
 * the same String; these tests pin both facts.
 */
class StringEncodingCompatibilityTest {

    @Test
    void everyBmpCharacterIsEncodedExactlyAsZooKeeperDoes() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0xFFFF; c++) {
            if (!Character.isSurrogate(c)) {
                all.append(c);
            }
        }
        all.append('\uFFFF');
        String path = all.toString();
        var zk = new org.apache.zookeeper.proto.SyncRequest(path);
        assertEquals(path, assertSameWire(new SyncRequest(path), zk, SyncRequest::read).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "\u0000", "\u007F", "\u0080", "\u07FF", "\u0800", "ü", "日本語", "\uFFFD", "\uFFFF"})
    void encodingBoundariesInsideTheBmp(String s) {
        var zk = new org.apache.zookeeper.proto.SyncRequest("/" + s);
        assertEquals("/" + s, assertSameWire(new SyncRequest("/" + s), zk, SyncRequest::read).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"😀", "𝄞", "\uD83D\uDC0D-in-a-path", "𠀀"})
    void supplementaryCharactersZooKeeperWritesAsCesu8AndPaddockAsUtf8(String s) {
        String path = "/" + s;
        byte[] zooKeeper = zk(new org.apache.zookeeper.proto.SyncRequest(path));
        byte[] paddock = paddock(new SyncRequest(path));

        // the documented difference: 3 bytes per surrogate there, 4 bytes per code point here
        int pairs = (int) path.chars().filter(c -> Character.isHighSurrogate((char) c)).count();
        assertEquals(paddock.length + 2 * pairs, zooKeeper.length, "ZooKeeper writes CESU-8 for surrogate pairs");
        assertArrayEquals(zkBuffer(path.getBytes(StandardCharsets.UTF_8)), paddock, "Paddock writes UTF-8");

        // what matters for a mixed ensemble: both readers agree on both encodings
        assertEquals(zkReadString(zooKeeper), paddockReadString(zooKeeper));
        assertEquals(path, paddockReadString(paddock));
        assertEquals(path, zkReadString(paddock), "ZooKeeper reads Paddock's UTF-8 back to the same path");
    }

    @Test
    void bothReadersDecodeArbitraryBytesIdentically() {
        List<byte[]> tricky = List.of(
            new byte[] {(byte) 0xC0, (byte) 0x80},                       // overlong NUL (modified UTF-8)
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0xBD},          // lone surrogate, CESU-8 style
            new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},          // truncated 4-byte sequence
            new byte[] {(byte) 0xFF, (byte) 0xFE, 0x41},                 // never valid in UTF-8
            new byte[] {(byte) 0x80},                                    // stray continuation byte
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // beyond U+10FFFF
        for (byte[] raw : tricky) {
            byte[] framed = zkBuffer(raw);
            assertEquals(zkReadString(framed), paddockReadString(framed), HexFormat.of().formatHex(raw));
        }
        Random random = new Random(20240607);
        for (int i = 0; i < 2000; i++) {
            byte[] raw = new byte[random.nextInt(24)];
            random.nextBytes(raw);
            byte[] framed = zkBuffer(raw);
            assertEquals(zkReadString(framed), paddockReadString(framed), HexFormat.of().formatHex(raw));
        }
    }

    /** ZooKeeper's buffer encoding, which is also a ustring's: int32 length then the bytes. */
    private static byte[] zkBuffer(byte[] raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            BinaryOutputArchive.getArchive(bytes).writeBuffer(raw, "raw");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String zkReadString(byte[] framed) {
        try {
            return BinaryInputArchive.getArchive(new ByteArrayInputStream(framed)).readString("s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String paddockReadString(byte[] framed) {
        JuteInput in = new JuteInput(framed);
        String s = in.readString();
        assertEquals(0, in.remaining());
        return s;
    }
}
