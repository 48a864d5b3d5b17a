package io.paddock.protocol.compat;

import static io.paddock.protocol.compat.Samples.BOOLS;
import static io.paddock.protocol.compat.Samples.INTS;
import static io.paddock.protocol.compat.Samples.LONGS;
import static io.paddock.protocol.compat.Wire.assertSameBytes;
import static io.paddock.protocol.compat.Wire.assertSameWire;
import static io.paddock.protocol.compat.Wire.paddock;
import static io.paddock.protocol.compat.Wire.read;
import static io.paddock.protocol.compat.Wire.zk;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.MalformedRecordException;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.ConnectResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The connect handshake. ZooKeeper's records always carry the trailing readOnly byte; clients
 * older than 3.4 leave it out, and ZooKeeper's server then reads it as absent (it catches the
 * EOF) and answers without it. So the old form is ZooKeeper's bytes minus the last byte.
 */
class ConnectHandshakeCompatibilityTest {

    private static final List<byte[]> PASSWORDS = Arrays.asList(null, new byte[0], new byte[16],
        new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -16});

    private static byte[] withoutLastByte(byte[] b) {
        return Arrays.copyOf(b, b.length - 1);
    }

    @Test
    void connectRequestWithReadOnlyByte() {
        for (long lastZxidSeen : LONGS) {
            for (int timeOut : INTS) {
                for (byte[] passwd : PASSWORDS) {
                    for (boolean readOnly : BOOLS) {
                        long sessionId = lastZxidSeen ^ 0x5A5A5A5AL;
                        var zk = new org.apache.zookeeper.proto.ConnectRequest(0, lastZxidSeen, timeOut, sessionId,
                            passwd, readOnly);
                        ConnectRequest back = assertSameWire(
                            new ConnectRequest(0, lastZxidSeen, timeOut, sessionId, passwd, readOnly), zk,
                            ConnectRequest::read);
                        assertEquals(zk.getProtocolVersion(), back.protocolVersion());
                        assertEquals(zk.getLastZxidSeen(), back.lastZxidSeen());
                        assertEquals(zk.getTimeOut(), back.timeOut());
                        assertEquals(zk.getSessionId(), back.sessionId());
                        assertArrayEquals(zk.getPasswd(), back.passwd());
                        assertEquals(zk.getReadOnly(), back.readOnly());
                        assertTrue(back.readOnlySent(), "the readOnly byte was there");
                    }
                }
            }
        }
    }

    @Test
    void connectRequestOfAnOldClientHasNoReadOnlyByte() {
        for (byte[] passwd : PASSWORDS) {
            var zk = new org.apache.zookeeper.proto.ConnectRequest(0, 0x3_0000_0010L, 30_000, 0x1234L, passwd, false);
            byte[] oldClientBytes = withoutLastByte(zk(zk));

            ConnectRequest paddock = new ConnectRequest(0, 0x3_0000_0010L, 30_000, 0x1234L, passwd, false, false);
            assertSameBytes(oldClientBytes, paddock(paddock));

            ConnectRequest back = read(oldClientBytes, ConnectRequest::read);
            assertFalse(back.readOnlySent(), "no readOnly byte in the frame");
            assertFalse(back.readOnly());
            assertEquals(zk.getProtocolVersion(), back.protocolVersion());
            assertEquals(zk.getLastZxidSeen(), back.lastZxidSeen());
            assertEquals(zk.getTimeOut(), back.timeOut());
            assertEquals(zk.getSessionId(), back.sessionId());
            assertArrayEquals(zk.getPasswd(), back.passwd());
        }
    }

    @Test
    void connectRequestOfTheJavaClient() {
        // what ClientCnxn sends on a first connect: protocol 0, no session yet, 16 zero password bytes
        var zk = new org.apache.zookeeper.proto.ConnectRequest(0, 0L, 30_000, 0L, new byte[16], false);
        ConnectRequest back = assertSameWire(new ConnectRequest(0, 0L, 30_000, 0L, new byte[16], false), zk,
            ConnectRequest::read);
        assertTrue(back.readOnlySent());
        assertEquals(4 + 8 + 4 + 8 + 4 + 16 + 1, zk(zk).length);
    }

    @Test
    void connectRequestCutInsideThePasswordIsMalformed() {
        byte[] full = zk(new org.apache.zookeeper.proto.ConnectRequest(0, 1L, 30_000, 2L, new byte[16], true));
        for (int cut = 2; cut <= 8; cut++) {
            byte[] shorter = Arrays.copyOf(full, full.length - cut);
            assertThrows(MalformedRecordException.class, () -> ConnectRequest.read(new JuteInput(shorter)),
                "frame " + shorter.length + " bytes long");
        }
    }

    @Test
    void connectResponseWithReadOnlyByte() {
        for (int timeOut : INTS) {
            for (long sessionId : LONGS) {
                for (byte[] passwd : PASSWORDS) {
                    for (boolean readOnly : BOOLS) {
                        var zk = new org.apache.zookeeper.proto.ConnectResponse(0, timeOut, sessionId, passwd, readOnly);
                        ConnectResponse back = assertSameWire(
                            new ConnectResponse(0, timeOut, sessionId, passwd, readOnly, true), zk,
                            ConnectResponse::read);
                        assertEquals(zk.getProtocolVersion(), back.protocolVersion());
                        assertEquals(zk.getTimeOut(), back.timeOut());
                        assertEquals(zk.getSessionId(), back.sessionId());
                        assertArrayEquals(zk.getPasswd(), back.passwd());
                        assertEquals(zk.getReadOnly(), back.readOnly());
                        assertTrue(back.writeReadOnly());
                    }
                }
            }
        }
    }

    @Test
    void connectResponseToAnOldClientHasNoReadOnlyByte() {
        for (byte[] passwd : PASSWORDS) {
            var zk = new org.apache.zookeeper.proto.ConnectResponse(0, 20_000, 0x1234L, passwd, false);
            byte[] oldForm = withoutLastByte(zk(zk));
            assertSameBytes(oldForm, paddock(new ConnectResponse(0, 20_000, 0x1234L, passwd, false, false)));

            ConnectResponse back = read(oldForm, ConnectResponse::read);
            assertFalse(back.writeReadOnly());
            assertFalse(back.readOnly());
            assertEquals(zk.getTimeOut(), back.timeOut());
            assertEquals(zk.getSessionId(), back.sessionId());
            assertArrayEquals(zk.getPasswd(), back.passwd());
        }
    }

    @Test
    void refusedConnectResponseIsWhatZooKeeperSendsForAnUnknownSession() {
        // ZooKeeperServer answers a session it cannot resume with timeout 0, id 0 and 16 zero bytes
        var zk = new org.apache.zookeeper.proto.ConnectResponse(0, 0, 0L, new byte[16], false);
        assertSameBytes(zk(zk), paddock(ConnectResponse.refused(true)));
        assertSameBytes(withoutLastByte(zk(zk)), paddock(ConnectResponse.refused(false)));
    }
}
