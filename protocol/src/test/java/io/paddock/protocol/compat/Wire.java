package io.paddock.protocol.compat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.data.ACL;

/**
 * Byte-level comparison of Paddock's hand-written jute records with Apache ZooKeeper's generated
 * ones, plus converters from Paddock values to ZooKeeper values and field-by-field assertions.
 */
final class Wire {
    private Wire() {
    }

    /** ZooKeeper's serialization of a record, exactly as its client and server write it. */
    static byte[] zk(Record record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            record.serialize(BinaryOutputArchive.getArchive(bytes), "record");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Paddock's serialization of a record. */
    static byte[] paddock(JuteRecord record) {
        return record.toBytes();
    }

    /** Decodes bytes with ZooKeeper's own reader into {@code into}. */
    static <T extends Record> T zkRead(byte[] bytes, T into) {
        try {
            into.deserialize(BinaryInputArchive.getArchive(new ByteArrayInputStream(bytes)), "record");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return into;
    }

    /** Decodes bytes with a Paddock reader and checks that it consumed every byte. */
    static <T> T read(byte[] bytes, Function<JuteInput, T> reader) {
        JuteInput in = new JuteInput(bytes);
        T value = reader.apply(in);
        assertEquals(0, in.remaining(), "bytes left over after reading " + value.getClass().getSimpleName());
        return value;
    }

    /** Asserts byte equality of two encodings, printing both in hex when they differ. */
    static void assertSameBytes(byte[] zookeeper, byte[] paddock) {
        assertArrayEquals(zookeeper, paddock,
            () -> "\n ZooKeeper wrote " + hex(zookeeper) + "\n Paddock wrote   " + hex(paddock) + "\n");
    }

    /**
     * The core check: Paddock's encoding equals ZooKeeper's, and Paddock's reader decodes ZooKeeper's
     * bytes completely into a record that encodes back to the same bytes. Returns the decoded record
     * so the caller can compare its fields with the ZooKeeper record's getters.
     */
    static <T extends JuteRecord> T assertSameWire(JuteRecord paddock, Record zookeeper, Function<JuteInput, T> reader) {
        byte[] expected = zk(zookeeper);
        assertSameBytes(expected, paddock(paddock));
        T decoded = read(expected, reader);
        assertSameBytes(expected, paddock(decoded));
        return decoded;
    }

    static String hex(byte[] bytes) {
        if (bytes.length > 256) {
            return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, 256) + " ... (" + bytes.length + " bytes)";
        }
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    // ---- Paddock values as ZooKeeper values ----

    static org.apache.zookeeper.data.Stat zk(Stat s) {
        return new org.apache.zookeeper.data.Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(),
            s.cversion(), s.aversion(), s.ephemeralOwner(), s.dataLength(), s.numChildren(), s.pzxid());
    }

    static org.apache.zookeeper.data.Id zk(Id id) {
        return new org.apache.zookeeper.data.Id(id.scheme(), id.id());
    }

    static ACL zk(Acl acl) {
        return new ACL(acl.perms(), zk(acl.id()));
    }

    static org.apache.zookeeper.data.ClientInfo zk(ClientInfo info) {
        return new org.apache.zookeeper.data.ClientInfo(info.authScheme(), info.user());
    }

    /** Null stays null, as it must for jute's null vector. */
    static List<ACL> zkAcls(List<Acl> acls) {
        return acls == null ? null : acls.stream().map(Wire::zk).toList();
    }

    static List<org.apache.zookeeper.data.ClientInfo> zkClientInfos(List<ClientInfo> infos) {
        return infos == null ? null : infos.stream().map(Wire::zk).toList();
    }

    // ---- field-by-field comparison of a ZooKeeper value with the value Paddock decoded ----

    static void assertStat(org.apache.zookeeper.data.Stat expected, Stat actual) {
        assertEquals(expected.getCzxid(), actual.czxid(), "czxid");
        assertEquals(expected.getMzxid(), actual.mzxid(), "mzxid");
        assertEquals(expected.getCtime(), actual.ctime(), "ctime");
        assertEquals(expected.getMtime(), actual.mtime(), "mtime");
        assertEquals(expected.getVersion(), actual.version(), "version");
        assertEquals(expected.getCversion(), actual.cversion(), "cversion");
        assertEquals(expected.getAversion(), actual.aversion(), "aversion");
        assertEquals(expected.getEphemeralOwner(), actual.ephemeralOwner(), "ephemeralOwner");
        assertEquals(expected.getDataLength(), actual.dataLength(), "dataLength");
        assertEquals(expected.getNumChildren(), actual.numChildren(), "numChildren");
        assertEquals(expected.getPzxid(), actual.pzxid(), "pzxid");
    }

    static void assertId(org.apache.zookeeper.data.Id expected, Id actual) {
        assertEquals(expected.getScheme(), actual.scheme(), "scheme");
        assertEquals(expected.getId(), actual.id(), "id");
    }

    static void assertAcl(ACL expected, Acl actual) {
        assertEquals(expected.getPerms(), actual.perms(), "perms");
        assertId(expected.getId(), actual.id());
    }

    static void assertAcls(List<ACL> expected, List<Acl> actual) {
        if (expected == null) {
            assertNull(actual, "a null ACL vector decodes as null");
            return;
        }
        assertEquals(expected.size(), actual.size(), "ACL count");
        for (int i = 0; i < expected.size(); i++) {
            assertAcl(expected.get(i), actual.get(i));
        }
    }

    static void assertClientInfo(org.apache.zookeeper.data.ClientInfo expected, ClientInfo actual) {
        assertEquals(expected.getAuthScheme(), actual.authScheme(), "authScheme");
        assertEquals(expected.getUser(), actual.user(), "user");
    }
}
