package io.paddock.protocol.compat;

import static io.paddock.protocol.compat.Wire.assertSameBytes;
import static io.paddock.protocol.compat.Wire.assertStat;
import static io.paddock.protocol.compat.Wire.paddock;
import static io.paddock.protocol.compat.Wire.read;
import static io.paddock.protocol.compat.Wire.zk;
import static io.paddock.protocol.compat.Wire.zkAcls;
import static io.paddock.protocol.compat.Wire.zkRead;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.jute.MalformedRecordException;
import io.paddock.protocol.proto.CheckVersionRequest;
import io.paddock.protocol.proto.Create2Response;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.CreateResponse;
import io.paddock.protocol.proto.CreateTTLRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ErrorResponse;
import io.paddock.protocol.proto.GetChildrenRequest;
import io.paddock.protocol.proto.GetChildrenResponse;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.GetDataResponse;
import io.paddock.protocol.proto.MultiHeader;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.MultiResponse;
import io.paddock.protocol.proto.MultiResponse.OpResult;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.proto.SetDataResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.Op;
import org.junit.jupiter.api.Test;

/**
 * multi (14) and multiRead (22) bodies against ZooKeeper's own {@link MultiOperationRecord} and
 * {@link org.apache.zookeeper.MultiResponse}, the classes its client and server use.
 */
class MultiCompatibilityTest {

    private static final byte[] DATA = "dätä".getBytes(StandardCharsets.UTF_8);
    private static final List<Acl> ACL = List.of(new Acl(Perms.ALL, Id.ANYONE),
        new Acl(Perms.READ, new Id("digest", "bob:hash=")));
    private static final Stat STAT = new Stat(0x2_0000_0001L, 0x2_0000_0005L, 1_700_000_000_000L,
        1_700_000_000_999L, 3, 9, 1, 0, DATA.length, 2, 0x2_0000_0004L);
    private static final String UNICODE = Samples.NON_ASCII_PATH;

    // ---- requests ----

    @Test
    void writeMultiWithEveryWriteOp() {
        var zkAcl = zkAcls(ACL);
        MultiOperationRecord zk = new MultiOperationRecord(List.of(
            Op.create("/a", DATA, zkAcl, CreateMode.PERSISTENT),
            Op.create("/b-", DATA, CreateOptions.newBuilder(zkAcl, CreateMode.EPHEMERAL_SEQUENTIAL).build()),
            Op.create("/c", DATA, zkAcl, CreateMode.CONTAINER),
            Op.create("/d", null, zkAcl, CreateMode.PERSISTENT_WITH_TTL, 60_000L),
            Op.create(UNICODE, new byte[0], zkAcl, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 1L),
            Op.delete("/e", 3),
            Op.delete(UNICODE, -1),
            Op.setData("/f", DATA, -1),
            Op.setData("/g", null, 7),
            Op.check("/h", 12),
            Op.check(UNICODE, -1)));
        assertEquals(List.of(OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER, OpCode.CREATE_TTL,
                OpCode.CREATE_TTL, OpCode.DELETE, OpCode.DELETE, OpCode.SET_DATA, OpCode.SET_DATA, OpCode.CHECK,
                OpCode.CHECK),
            zkTypes(zk), "the ops ZooKeeper's client builds");

        MultiRequest paddock = new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/a", DATA, ACL, 0)),
            new MultiRequest.Op(OpCode.CREATE2, new CreateRequest("/b-", DATA, ACL, 3)),
            new MultiRequest.Op(OpCode.CREATE_CONTAINER, new CreateRequest("/c", DATA, ACL, 4)),
            new MultiRequest.Op(OpCode.CREATE_TTL, new CreateTTLRequest("/d", null, ACL, 5, 60_000L)),
            new MultiRequest.Op(OpCode.CREATE_TTL, new CreateTTLRequest(UNICODE, new byte[0], ACL, 6, 1L)),
            new MultiRequest.Op(OpCode.DELETE, new DeleteRequest("/e", 3)),
            new MultiRequest.Op(OpCode.DELETE, new DeleteRequest(UNICODE, -1)),
            new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest("/f", DATA, -1)),
            new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest("/g", null, 7)),
            new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest("/h", 12)),
            new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest(UNICODE, -1))));

        assertSameRequest(zk, paddock);
    }

    @Test
    void readMultiWithGetChildrenAndGetData() {
        MultiOperationRecord zk = new MultiOperationRecord(List.of(
            Op.getChildren("/"), Op.getData("/a"), Op.getChildren(UNICODE), Op.getData(UNICODE)));
        MultiRequest paddock = new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.GET_CHILDREN, new GetChildrenRequest("/", false)),
            new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest("/a", false)),
            new MultiRequest.Op(OpCode.GET_CHILDREN, new GetChildrenRequest(UNICODE, false)),
            new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest(UNICODE, false))));
        assertSameRequest(zk, paddock);
    }

    @Test
    void emptyMultiIsJustTheEndMarker() {
        MultiOperationRecord zk = new MultiOperationRecord();
        assertSameRequest(zk, new MultiRequest(List.of()));
        assertSameBytes(zk(new org.apache.zookeeper.proto.MultiHeader(-1, true, -1)),
            paddock(new MultiRequest(List.of())));
    }

    @Test
    void everyOpIsHeaderNotDoneErrMinusOneThenItsRecord() {
        // the layout written out by hand from ZooKeeper's MultiHeader and request records
        byte[] expected = concat(
            zk(new org.apache.zookeeper.proto.MultiHeader(OpCode.CREATE, false, -1)),
            zk(new org.apache.zookeeper.proto.CreateRequest("/x", DATA, zkAcls(ACL), 1)),
            zk(new org.apache.zookeeper.proto.MultiHeader(OpCode.CHECK, false, -1)),
            zk(new org.apache.zookeeper.proto.CheckVersionRequest("/x", 0)),
            zk(new org.apache.zookeeper.proto.MultiHeader(-1, true, -1)));
        MultiRequest paddock = new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/x", DATA, ACL, 1)),
            new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest("/x", 0))));
        assertSameBytes(expected, paddock(paddock));
    }

    @Test
    void zooKeeperReadsPaddocksMultiRequest() {
        MultiRequest paddock = new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/a", DATA, ACL, 0)),
            new MultiRequest.Op(OpCode.CREATE_TTL, new CreateTTLRequest("/t", DATA, ACL, 5, 10L)),
            new MultiRequest.Op(OpCode.DELETE, new DeleteRequest("/a", 0))));
        MultiOperationRecord zk = zkRead(paddock(paddock), new MultiOperationRecord());
        assertEquals(List.of(OpCode.CREATE, OpCode.CREATE_TTL, OpCode.DELETE), zkTypes(zk));
        assertSameBytes(zk(zk), paddock(paddock));
    }

    @Test
    void unknownOpTypeInMultiIsMalformed() {
        byte[] bytes = concat(
            zk(new org.apache.zookeeper.proto.MultiHeader(OpCode.EXISTS, false, -1)),
            zk(new org.apache.zookeeper.proto.ExistsRequest("/a", false)),
            zk(new org.apache.zookeeper.proto.MultiHeader(-1, true, -1)));
        assertThrows(MalformedRecordException.class, () -> MultiRequest.read(new JuteInput(bytes)));
    }

    @Test
    void multiRequestWithoutEndMarkerIsMalformed() {
        byte[] full = paddock(new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.DELETE, new DeleteRequest("/a", 0)))));
        byte[] noEnd = Arrays.copyOf(full, full.length - 9);
        assertThrows(MalformedRecordException.class, () -> MultiRequest.read(new JuteInput(noEnd)));
    }

    private static void assertSameRequest(MultiOperationRecord zk, MultiRequest paddock) {
        byte[] expected = zk(zk);
        assertSameBytes(expected, paddock(paddock));

        MultiRequest back = read(expected, MultiRequest::read);
        List<Op> zkOps = zkOps(zk);
        assertEquals(zkOps.size(), back.ops().size(), "op count");
        for (int i = 0; i < zkOps.size(); i++) {
            Op zkOp = zkOps.get(i);
            MultiRequest.Op op = back.ops().get(i);
            assertEquals(zkOp.getType(), op.type(), "type of op " + i);
            assertEquals(zkOp.getPath(), pathOf(op.request()), "path of op " + i);
            assertSameBytes(zk(zkOp.toRequestRecord()), paddock(op.request()));
        }
        assertSameBytes(expected, paddock(back));
    }

    private static String pathOf(JuteRecord request) {
        if (request instanceof CreateRequest r) {
            return r.path();
        } else if (request instanceof CreateTTLRequest r) {
            return r.path();
        } else if (request instanceof DeleteRequest r) {
            return r.path();
        } else if (request instanceof SetDataRequest r) {
            return r.path();
        } else if (request instanceof CheckVersionRequest r) {
            return r.path();
        } else if (request instanceof GetChildrenRequest r) {
            return r.path();
        } else if (request instanceof GetDataRequest r) {
            return r.path();
        }
        throw new AssertionError("unexpected op record " + request);
    }

    private static List<Op> zkOps(MultiOperationRecord zk) {
        List<Op> ops = new ArrayList<>();
        zk.forEach(ops::add);
        return ops;
    }

    private static List<Integer> zkTypes(MultiOperationRecord zk) {
        return zkOps(zk).stream().map(Op::getType).toList();
    }

    // ---- responses ----

    @Test
    void successfulMultiResponseWithEveryResultKind() {
        var zkStat = zk(STAT);
        org.apache.zookeeper.MultiResponse zk = new org.apache.zookeeper.MultiResponse();
        zk.add(new org.apache.zookeeper.OpResult.CreateResult("/a"));
        zk.add(new org.apache.zookeeper.OpResult.CreateResult("/b-0000000007", zkStat));
        zk.add(new org.apache.zookeeper.OpResult.CreateResult(UNICODE, zkStat));
        zk.add(new org.apache.zookeeper.OpResult.DeleteResult());
        zk.add(new org.apache.zookeeper.OpResult.SetDataResult(zkStat));
        zk.add(new org.apache.zookeeper.OpResult.CheckResult());

        MultiResponse paddock = new MultiResponse(List.of(
            new OpResult(OpCode.CREATE, 0, new CreateResponse("/a")),
            new OpResult(OpCode.CREATE2, 0, new Create2Response("/b-0000000007", STAT)),
            new OpResult(OpCode.CREATE2, 0, new Create2Response(UNICODE, STAT)),
            new OpResult(OpCode.DELETE, 0, null),
            new OpResult(OpCode.SET_DATA, 0, new SetDataResponse(STAT)),
            new OpResult(OpCode.CHECK, 0, null)));

        MultiResponse back = assertSameResponse(zk, paddock);
        assertEquals("/a", ((CreateResponse) back.results().get(0).body()).path());
        Create2Response created = (Create2Response) back.results().get(1).body();
        assertEquals("/b-0000000007", created.path());
        assertStat(zkStat, created.stat());
        assertEquals(UNICODE, ((Create2Response) back.results().get(2).body()).path());
        assertNull(back.results().get(3).body());
        assertStat(zkStat, ((SetDataResponse) back.results().get(4).body()).stat());
        assertNull(back.results().get(5).body());
    }

    @Test
    void containerAndTtlCreateResultsTravelAsCreate2() {
        // ZooKeeper's FinalRequestProcessor answers createContainer and createTTL inside a multi with
        // CreateResult(path, stat), whose type is create2; its client's MultiResponse knows no other
        // create type and fails on 19 or 21. Deleting a container answers as delete.
        org.apache.zookeeper.MultiResponse zk = new org.apache.zookeeper.MultiResponse();
        zk.add(new org.apache.zookeeper.OpResult.CreateResult("/container", zk(STAT)));
        zk.add(new org.apache.zookeeper.OpResult.CreateResult("/ttl", zk(STAT)));
        zk.add(new org.apache.zookeeper.OpResult.DeleteResult());

        MultiResponse paddock = new MultiResponse(List.of(
            new OpResult(OpCode.CREATE_CONTAINER, 0, new Create2Response("/container", STAT)),
            new OpResult(OpCode.CREATE_TTL, 0, new Create2Response("/ttl", STAT)),
            new OpResult(OpCode.DELETE_CONTAINER, 0, null)));

        MultiResponse back = assertSameResponse(zk, paddock);
        assertEquals(List.of(OpCode.CREATE2, OpCode.CREATE2, OpCode.DELETE),
            back.results().stream().map(OpResult::type).toList());
        // and ZooKeeper's client can read it
        var zkBack = zkRead(paddock(paddock), new org.apache.zookeeper.MultiResponse());
        assertEquals(zk, zkBack);
    }

    @Test
    void failedMultiResponseIsAllErrorResults() {
        // ops before the failing one report 0, the failing one its code, later ones RUNTIMEINCONSISTENCY
        int[] errs = {ErrorCode.OK.code(), ErrorCode.OK.code(), ErrorCode.NONODE.code(),
            ErrorCode.RUNTIMEINCONSISTENCY.code(), ErrorCode.RUNTIMEINCONSISTENCY.code()};
        org.apache.zookeeper.MultiResponse zk = new org.apache.zookeeper.MultiResponse();
        for (int err : errs) {
            zk.add(new org.apache.zookeeper.OpResult.ErrorResult(err));
        }
        MultiResponse paddock = new MultiResponse(Arrays.stream(errs).mapToObj(OpResult::error).toList());

        MultiResponse back = assertSameResponse(zk, paddock);
        for (int i = 0; i < errs.length; i++) {
            OpResult r = back.results().get(i);
            assertEquals(OpCode.ERROR, r.type());
            assertEquals(errs[i], r.err());
            assertEquals(errs[i], assertInstanceOf(ErrorResponse.class, r.body()).err());
        }
    }

    @Test
    void multiReadResponseWithDataChildrenAndErrors() {
        var zkStat = zk(STAT);
        List<String> children = Arrays.asList("a", UNICODE, "", "lock-0000000001");
        org.apache.zookeeper.MultiResponse zk = new org.apache.zookeeper.MultiResponse();
        zk.add(new org.apache.zookeeper.OpResult.GetChildrenResult(children));
        zk.add(new org.apache.zookeeper.OpResult.GetChildrenResult(List.of()));
        zk.add(new org.apache.zookeeper.OpResult.GetDataResult(DATA, zkStat));
        zk.add(new org.apache.zookeeper.OpResult.GetDataResult(null, zkStat));
        zk.add(new org.apache.zookeeper.OpResult.GetDataResult(new byte[0], zkStat));
        zk.add(new org.apache.zookeeper.OpResult.ErrorResult(ErrorCode.NONODE.code()));
        zk.add(new org.apache.zookeeper.OpResult.ErrorResult(ErrorCode.NOAUTH.code()));

        MultiResponse paddock = new MultiResponse(List.of(
            new OpResult(OpCode.GET_CHILDREN, 0, new GetChildrenResponse(children)),
            new OpResult(OpCode.GET_CHILDREN, 0, new GetChildrenResponse(List.of())),
            new OpResult(OpCode.GET_DATA, 0, new GetDataResponse(DATA, STAT)),
            new OpResult(OpCode.GET_DATA, 0, new GetDataResponse(null, STAT)),
            new OpResult(OpCode.GET_DATA, 0, new GetDataResponse(new byte[0], STAT)),
            OpResult.error(ErrorCode.NONODE.code()),
            OpResult.error(ErrorCode.NOAUTH.code())));

        MultiResponse back = assertSameResponse(zk, paddock);
        assertEquals(children, ((GetChildrenResponse) back.results().get(0).body()).children());
        assertEquals(List.of(), ((GetChildrenResponse) back.results().get(1).body()).children());
        GetDataResponse data = (GetDataResponse) back.results().get(2).body();
        assertArrayEquals(DATA, data.data());
        assertStat(zkStat, data.stat());
        assertNull(((GetDataResponse) back.results().get(3).body()).data());
        assertArrayEquals(new byte[0], ((GetDataResponse) back.results().get(4).body()).data());
        assertEquals(ErrorCode.NONODE.code(), back.results().get(5).err());
        assertEquals(ErrorCode.NOAUTH.code(), back.results().get(6).err());
    }

    @Test
    void emptyMultiResponseIsJustTheEndMarker() {
        assertSameResponse(new org.apache.zookeeper.MultiResponse(), new MultiResponse(List.of()));
        assertSameBytes(zk(new org.apache.zookeeper.proto.MultiHeader(-1, true, -1)),
            paddock(new MultiResponse(List.of())));
    }

    @Test
    void resultHeaderCarriesErrZeroForSuccessAndTheCodeForErrors() {
        // the layout written out by hand from ZooKeeper's MultiHeader and response records
        byte[] expected = concat(
            zk(new org.apache.zookeeper.proto.MultiHeader(OpCode.SET_DATA, false, 0)),
            zk(new org.apache.zookeeper.proto.SetDataResponse(zk(STAT))),
            zk(new org.apache.zookeeper.proto.MultiHeader(OpCode.ERROR, false, ErrorCode.BADVERSION.code())),
            zk(new org.apache.zookeeper.proto.ErrorResponse(ErrorCode.BADVERSION.code())),
            zk(new org.apache.zookeeper.proto.MultiHeader(-1, true, -1)));
        MultiResponse paddock = new MultiResponse(List.of(
            new OpResult(OpCode.SET_DATA, 0, new SetDataResponse(STAT)),
            OpResult.error(ErrorCode.BADVERSION.code())));
        assertSameBytes(expected, paddock(paddock));
    }

    @Test
    void unknownResultTypeIsMalformed() {
        JuteOutput out = new JuteOutput();
        new MultiHeader(OpCode.EXISTS, false, 0).write(out);
        new MultiHeader(-1, true, -1).write(out);
        assertThrows(MalformedRecordException.class, () -> MultiResponse.read(new JuteInput(out.toByteArray())));
    }

    private static MultiResponse assertSameResponse(org.apache.zookeeper.MultiResponse zk, MultiResponse paddock) {
        byte[] expected = zk(zk);
        assertSameBytes(expected, paddock(paddock));
        MultiResponse back = read(expected, MultiResponse::read);
        List<org.apache.zookeeper.OpResult> zkResults = zk.getResultList();
        assertEquals(zkResults.size(), back.results().size(), "result count");
        for (int i = 0; i < zkResults.size(); i++) {
            org.apache.zookeeper.OpResult expectedResult = zkResults.get(i);
            OpResult result = back.results().get(i);
            assertEquals(expectedResult.getType(), result.type(), "type of result " + i);
            int expectedErr = expectedResult instanceof org.apache.zookeeper.OpResult.ErrorResult e ? e.getErr() : 0;
            assertEquals(expectedErr, result.err(), "err of result " + i);
        }
        assertSameBytes(expected, paddock(back));
        return back;
    }

    private static byte[] concat(byte[]... parts) {
        JuteOutput out = new JuteOutput();
        for (byte[] p : parts) {
            out.writeRaw(p, 0, p.length);
        }
        return out.toByteArray();
    }
}
