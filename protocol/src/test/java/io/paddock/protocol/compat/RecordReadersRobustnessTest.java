package io.paddock.protocol.compat;

import static io.paddock.protocol.compat.Wire.zk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.MalformedRecordException;
import io.paddock.protocol.proto.AddWatchRequest;
import io.paddock.protocol.proto.AuthPacket;
import io.paddock.protocol.proto.CheckVersionRequest;
import io.paddock.protocol.proto.CheckWatchesRequest;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.protocol.proto.Create2Response;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.CreateResponse;
import io.paddock.protocol.proto.CreateTTLRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ErrorResponse;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.ExistsResponse;
import io.paddock.protocol.proto.GetACLRequest;
import io.paddock.protocol.proto.GetACLResponse;
import io.paddock.protocol.proto.GetAllChildrenNumberRequest;
import io.paddock.protocol.proto.GetAllChildrenNumberResponse;
import io.paddock.protocol.proto.GetChildren2Request;
import io.paddock.protocol.proto.GetChildren2Response;
import io.paddock.protocol.proto.GetChildrenRequest;
import io.paddock.protocol.proto.GetChildrenResponse;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.GetDataResponse;
import io.paddock.protocol.proto.GetEphemeralsRequest;
import io.paddock.protocol.proto.GetEphemeralsResponse;
import io.paddock.protocol.proto.MultiHeader;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.MultiResponse;
import io.paddock.protocol.proto.ReconfigRequest;
import io.paddock.protocol.proto.RemoveWatchesRequest;
import io.paddock.protocol.proto.ReplyHeader;
import io.paddock.protocol.proto.RequestHeader;
import io.paddock.protocol.proto.SetACLRequest;
import io.paddock.protocol.proto.SetACLResponse;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.proto.SetDataResponse;
import io.paddock.protocol.proto.SetWatches;
import io.paddock.protocol.proto.SetWatches2;
import io.paddock.protocol.proto.SyncRequest;
import io.paddock.protocol.proto.SyncResponse;
import io.paddock.protocol.proto.WatcherEvent;
import io.paddock.protocol.proto.WhoAmIResponse;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Paddock reader, fed ZooKeeper's bytes for a valid record that were then cut short or had a
 * length field replaced by a hostile value, or fed random bytes: it either decodes or throws
 * {@link MalformedRecordException}, never another exception, and never allocates what a length
 * field merely claims.
 */
class RecordReadersRobustnessTest {

    /** A record's bytes as ZooKeeper writes them, with the Paddock reader for them. */
    record Sample(String name, byte[] bytes, Function<JuteInput, ?> reader, boolean lastByteOptional) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Sample sample(Record zk, Function<JuteInput, ?> reader) {
        return new Sample(zk.getClass().getSimpleName(), zk(zk), reader, false);
    }

    private static final byte[] DATA = "dätä".getBytes(StandardCharsets.UTF_8);
    private static final String PATH = "/zoo/ünï/日本";

    static Stream<Sample> samples() {
        var stat = zk(new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
        var acl = Wire.zkAcls(List.of(new Acl(31, Id.ANYONE), new Acl(1, new Id("digest", "u:p"))));
        var children = List.of("a", "ü", "");
        org.apache.zookeeper.MultiResponse multiResponse = new org.apache.zookeeper.MultiResponse();
        multiResponse.add(new OpResult.CreateResult(PATH));
        multiResponse.add(new OpResult.CreateResult(PATH, stat));
        multiResponse.add(new OpResult.DeleteResult());
        multiResponse.add(new OpResult.SetDataResult(stat));
        multiResponse.add(new OpResult.CheckResult());
        multiResponse.add(new OpResult.ErrorResult(-101));
        org.apache.zookeeper.MultiResponse multiReadResponse = new org.apache.zookeeper.MultiResponse();
        multiReadResponse.add(new OpResult.GetChildrenResult(children));
        multiReadResponse.add(new OpResult.GetDataResult(DATA, stat));
        return Stream.of(
            sample(new org.apache.zookeeper.data.Id("digest", "bob:x"), Id::read),
            sample(acl.get(1), Acl::read),
            sample(stat, Stat::read),
            sample(new org.apache.zookeeper.data.ClientInfo("ip", "127.0.0.1"), ClientInfo::read),
            new Sample("ConnectRequest", zk(new org.apache.zookeeper.proto.ConnectRequest(0, 5L, 30_000, 6L,
                new byte[16], false)), ConnectRequest::read, true),
            new Sample("ConnectResponse", zk(new org.apache.zookeeper.proto.ConnectResponse(0, 30_000, 6L,
                new byte[16], true)), ConnectResponse::read, true),
            sample(new org.apache.zookeeper.proto.RequestHeader(7, 1), RequestHeader::read),
            sample(new org.apache.zookeeper.proto.ReplyHeader(7, 8L, -101), ReplyHeader::read),
            sample(new org.apache.zookeeper.proto.MultiHeader(1, false, -1), MultiHeader::read),
            sample(new org.apache.zookeeper.proto.AuthPacket(0, "digest", DATA), AuthPacket::read),
            sample(new org.apache.zookeeper.proto.CreateRequest(PATH, DATA, acl, 3), CreateRequest::read),
            sample(new org.apache.zookeeper.proto.CreateTTLRequest(PATH, DATA, acl, 5, 9L), CreateTTLRequest::read),
            sample(new org.apache.zookeeper.proto.CreateResponse(PATH), CreateResponse::read),
            sample(new org.apache.zookeeper.proto.Create2Response(PATH, stat), Create2Response::read),
            sample(new org.apache.zookeeper.proto.DeleteRequest(PATH, 1), DeleteRequest::read),
            sample(new org.apache.zookeeper.proto.CheckVersionRequest(PATH, 1), CheckVersionRequest::read),
            sample(new org.apache.zookeeper.proto.ErrorResponse(-110), ErrorResponse::read),
            sample(new org.apache.zookeeper.proto.ExistsRequest(PATH, true), ExistsRequest::read),
            sample(new org.apache.zookeeper.proto.ExistsResponse(stat), ExistsResponse::read),
            sample(new org.apache.zookeeper.proto.GetDataRequest(PATH, true), GetDataRequest::read),
            sample(new org.apache.zookeeper.proto.GetDataResponse(DATA, stat), GetDataResponse::read),
            sample(new org.apache.zookeeper.proto.SetDataRequest(PATH, DATA, 2), SetDataRequest::read),
            sample(new org.apache.zookeeper.proto.SetDataResponse(stat), SetDataResponse::read),
            sample(new org.apache.zookeeper.proto.GetACLRequest(PATH), GetACLRequest::read),
            sample(new org.apache.zookeeper.proto.GetACLResponse(acl, stat), GetACLResponse::read),
            sample(new org.apache.zookeeper.proto.SetACLRequest(PATH, acl, 3), SetACLRequest::read),
            sample(new org.apache.zookeeper.proto.SetACLResponse(stat), SetACLResponse::read),
            sample(new org.apache.zookeeper.proto.GetChildrenRequest(PATH, false), GetChildrenRequest::read),
            sample(new org.apache.zookeeper.proto.GetChildrenResponse(children), GetChildrenResponse::read),
            sample(new org.apache.zookeeper.proto.GetChildren2Request(PATH, true), GetChildren2Request::read),
            sample(new org.apache.zookeeper.proto.GetChildren2Response(children, stat), GetChildren2Response::read),
            sample(new org.apache.zookeeper.proto.GetAllChildrenNumberRequest(PATH), GetAllChildrenNumberRequest::read),
            sample(new org.apache.zookeeper.proto.GetAllChildrenNumberResponse(4), GetAllChildrenNumberResponse::read),
            sample(new org.apache.zookeeper.proto.GetEphemeralsRequest(PATH), GetEphemeralsRequest::read),
            sample(new org.apache.zookeeper.proto.GetEphemeralsResponse(children), GetEphemeralsResponse::read),
            sample(new org.apache.zookeeper.proto.SyncRequest(PATH), SyncRequest::read),
            sample(new org.apache.zookeeper.proto.SyncResponse(PATH), SyncResponse::read),
            sample(new org.apache.zookeeper.proto.WatcherEvent(1, 3, PATH), WatcherEvent::read),
            sample(new org.apache.zookeeper.proto.AddWatchRequest(PATH, 1), AddWatchRequest::read),
            sample(new org.apache.zookeeper.proto.CheckWatchesRequest(PATH, 3), CheckWatchesRequest::read),
            sample(new org.apache.zookeeper.proto.RemoveWatchesRequest(PATH, 3), RemoveWatchesRequest::read),
            sample(new org.apache.zookeeper.proto.SetWatches(9L, children, List.of(PATH), List.of()), SetWatches::read),
            sample(new org.apache.zookeeper.proto.SetWatches2(9L, children, List.of(PATH), List.of(), List.of("/p"),
                List.of("/r")), SetWatches2::read),
            sample(new org.apache.zookeeper.proto.ReconfigRequest("server.4=h:1:2", null, "", -1L),
                ReconfigRequest::read),
            sample(new org.apache.zookeeper.proto.WhoAmIResponse(List.of(
                new org.apache.zookeeper.data.ClientInfo("ip", "::1"))), WhoAmIResponse::read),
            sample(new MultiOperationRecord(List.of(
                Op.create(PATH, DATA, acl, CreateMode.PERSISTENT),
                Op.create("/ttl", DATA, acl, CreateMode.PERSISTENT_WITH_TTL, 10L),
                Op.delete(PATH, 1), Op.setData(PATH, DATA, 2), Op.check(PATH, 3))), MultiRequest::read),
            sample(new MultiOperationRecord(List.of(Op.getChildren(PATH), Op.getData(PATH))), MultiRequest::read),
            sample(multiResponse, MultiResponse::read),
            sample(multiReadResponse, MultiResponse::read));
    }

    /** Hostile values written over each 4-byte window of a valid record. */
    private static final int[] HOSTILE_INTS = {-2, -1, 0, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30, 0x0000_FFFF,
        0x7FFF_0000};

    @ParameterizedTest
    @MethodSource("samples")
    void theUntouchedBytesDecode(Sample s) {
        JuteInput in = new JuteInput(s.bytes());
        s.reader().apply(in);
        assertEquals(0, in.remaining());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyTruncationIsMalformed(Sample s) {
        for (int length = 0; length < s.bytes().length; length++) {
            byte[] cut = Arrays.copyOf(s.bytes(), length);
            if (s.lastByteOptional() && length == s.bytes().length - 1) {
                assertDecodesOrIsMalformed(s, cut); // the old client's form, tested in the handshake test
                continue;
            }
            try {
                s.reader().apply(new JuteInput(cut));
                fail(s + " cut to " + length + " of " + s.bytes().length + " bytes decoded");
            } catch (MalformedRecordException expected) {
                // what a broken frame must produce
            }
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void hostileIntsAtEveryOffsetDecodeOrAreMalformed(Sample s) {
        for (int at = 0; at + 4 <= s.bytes().length; at++) {
            for (int v : HOSTILE_INTS) {
                byte[] b = s.bytes().clone();
                b[at] = (byte) (v >>> 24);
                b[at + 1] = (byte) (v >>> 16);
                b[at + 2] = (byte) (v >>> 8);
                b[at + 3] = (byte) v;
                assertDecodesOrIsMalformed(s, b);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void randomBytesDecodeOrAreMalformed(Sample s) {
        Random random = new Random(s.name().hashCode());
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[random.nextInt(80)];
            random.nextBytes(b);
            assertDecodesOrIsMalformed(s, b);
        }
        for (int i = 0; i < 300; i++) {
            byte[] b = s.bytes().clone();
            b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
            assertDecodesOrIsMalformed(s, b);
        }
    }

    private static void assertDecodesOrIsMalformed(Sample s, byte[] bytes) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            JuteInput in = new JuteInput(bytes);
            s.reader().apply(in);
            assertTrue(in.remaining() >= 0);
        } catch (MalformedRecordException expected) {
            // fine: the frame is broken and says so
        } catch (Throwable t) {
            throw new AssertionError(s + " threw " + t + " on " + Wire.hex(bytes), t);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertFalse(allocated > 256 * 1024 + 64L * bytes.length,
            s + " allocated " + allocated + " bytes reading " + bytes.length + " bytes");
    }
}
