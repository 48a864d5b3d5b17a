package io.paddock.tests.robustness;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.AddWatchRequest;
import io.paddock.protocol.proto.CheckVersionRequest;
import io.paddock.protocol.proto.CheckWatchesRequest;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.CreateTTLRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.GetACLRequest;
import io.paddock.protocol.proto.GetAllChildrenNumberRequest;
import io.paddock.protocol.proto.GetChildren2Request;
import io.paddock.protocol.proto.GetChildrenRequest;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.GetEphemeralsRequest;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.RemoveWatchesRequest;
import io.paddock.protocol.proto.SetACLRequest;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.proto.SetWatches;
import io.paddock.protocol.proto.SetWatches2;
import io.paddock.protocol.proto.SyncRequest;
import io.paddock.tests.support.RawClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Requests whose path (a jute string of length -1) is null, for every op that takes a path, with
 * what Apache ZooKeeper 3.9.5 answers: reads and the multis fail with MARSHALLINGERROR (its
 * request processors catch the NullPointerException), creates and deletes too but with a zxid
 * taken, setData, setACL and check refuse the path as BADARGUMENTS, and the ops that only look a
 * path up (sync, getEphemerals, addWatch, the persistent lists of setWatches2, checkWatches,
 * removeWatches) answer as for any path nobody uses. setWatches with a null list fails. Observed
 * on ZooKeeper 3.9.5 and checked against it again by {@link ZooKeeperParityTest}.
 */
final class NullPathCases {
    /** @param zxids how many zxids the request takes (1: a failed write, as in ZooKeeper) */
    record Case(String name, int opCode, JuteRecord body, ErrorCode expected, int zxids) {
        /** What the server answers, and whether the connection still serves afterwards. */
        String expectedOutcome() {
            return ErrorCode.of(expected.code()) + " +" + zxids + " zxid, then serving";
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private NullPathCases() {
    }

    /** Sends {@code c}'s request on a connected client and describes the outcome as {@link Case#expectedOutcome} does. */
    static String outcome(RawClient client, Case c, int xid) throws IOException {
        RawClient.Reply before = client.call(xid, OpCode.EXISTS, new ExistsRequest("/", false));
        RawClient.Reply r = client.call(xid + 1, c.opCode(), c.body());
        if (before == null || r == null) {
            return "closed";
        }
        RawClient.Reply after = client.call(xid + 2, OpCode.EXISTS, new ExistsRequest("/", false));
        return ErrorCode.of(r.err()) + " +" + (r.header().zxid() - before.header().zxid()) + " zxid, then "
            + (after != null && after.err() == 0 ? "serving" : "closed");
    }

    private static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;

    private static MultiRequest multi(MultiRequest.Op... ops) {
        return new MultiRequest(List.of(ops));
    }

    private static List<String> nullIn(String... paths) {
        return Arrays.asList(paths);
    }

    static List<Case> all() {
        ErrorCode marshalling = ErrorCode.MARSHALLINGERROR;
        ErrorCode bad = ErrorCode.BADARGUMENTS;
        ErrorCode ok = ErrorCode.OK;
        List<Case> c = new ArrayList<>();
        c.add(new Case("create", OpCode.CREATE, new CreateRequest(null, new byte[0], OPEN, 0), marshalling, 1));
        c.add(new Case("create2", OpCode.CREATE2, new CreateRequest(null, new byte[0], OPEN, 0), marshalling, 1));
        c.add(new Case("createContainer", OpCode.CREATE_CONTAINER, new CreateRequest(null, new byte[0], OPEN, 4), marshalling, 1));
        // with TTL nodes disabled (the default) the mode is refused first
        c.add(new Case("createTTL", OpCode.CREATE_TTL, new CreateTTLRequest(null, new byte[0], OPEN, 5, 1000),
            ErrorCode.UNIMPLEMENTED, 1));
        c.add(new Case("delete", OpCode.DELETE, new DeleteRequest(null, -1), marshalling, 1));
        c.add(new Case("setData", OpCode.SET_DATA, new SetDataRequest(null, new byte[0], -1), bad, 1));
        c.add(new Case("setACL", OpCode.SET_ACL, new SetACLRequest(null, OPEN, -1), bad, 1));
        c.add(new Case("exists", OpCode.EXISTS, new ExistsRequest(null, false), marshalling, 0));
        c.add(new Case("exists with a watch", OpCode.EXISTS, new ExistsRequest(null, true), marshalling, 0));
        c.add(new Case("getData", OpCode.GET_DATA, new GetDataRequest(null, false), marshalling, 0));
        c.add(new Case("getData with a watch", OpCode.GET_DATA, new GetDataRequest(null, true), marshalling, 0));
        c.add(new Case("getChildren", OpCode.GET_CHILDREN, new GetChildrenRequest(null, true), marshalling, 0));
        c.add(new Case("getChildren2", OpCode.GET_CHILDREN2, new GetChildren2Request(null, true), marshalling, 0));
        c.add(new Case("getACL", OpCode.GET_ACL, new GetACLRequest(null), marshalling, 0));
        c.add(new Case("getAllChildrenNumber", OpCode.GET_ALL_CHILDREN_NUMBER, new GetAllChildrenNumberRequest(null), marshalling, 0));
        c.add(new Case("sync", OpCode.SYNC, new SyncRequest(null), ok, 0));
        c.add(new Case("getEphemerals", OpCode.GET_EPHEMERALS, new GetEphemeralsRequest(null), ok, 0));
        // the watch ops take null as a path: the watch it set is found and removed
        c.add(new Case("checkWatches", OpCode.CHECK_WATCHES, new CheckWatchesRequest(null, 3), ErrorCode.NOWATCHER, 0));
        c.add(new Case("removeWatches", OpCode.REMOVE_WATCHES, new RemoveWatchesRequest(null, 3), ErrorCode.NOWATCHER, 0));
        c.add(new Case("addWatch persistent", OpCode.ADD_WATCH, new AddWatchRequest(null, 0), ok, 0));
        c.add(new Case("addWatch recursive", OpCode.ADD_WATCH, new AddWatchRequest(null, 1), ok, 0));
        c.add(new Case("checkWatches after addWatch", OpCode.CHECK_WATCHES, new CheckWatchesRequest(null, 3), ok, 0));
        c.add(new Case("removeWatches after addWatch", OpCode.REMOVE_WATCHES, new RemoveWatchesRequest(null, 3), ok, 0));
        // a multi with a null path anywhere fails as a whole, with a zxid taken and nothing applied
        c.add(new Case("multi: create", OpCode.MULTI, multi(
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/null-multi", new byte[0], OPEN, 0)),
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest(null, new byte[0], OPEN, 0))), marshalling, 1));
        c.add(new Case("multi: create2", OpCode.MULTI, multi(
            new MultiRequest.Op(OpCode.CREATE2, new CreateRequest(null, new byte[0], OPEN, 0))), marshalling, 1));
        c.add(new Case("multi: createContainer", OpCode.MULTI, multi(
            new MultiRequest.Op(OpCode.CREATE_CONTAINER, new CreateRequest(null, new byte[0], OPEN, 4))), marshalling, 1));
        c.add(new Case("multi: delete", OpCode.MULTI, multi(
            new MultiRequest.Op(OpCode.DELETE, new DeleteRequest(null, -1))), marshalling, 1));
        c.add(new Case("multi: setData", OpCode.MULTI, multi(
            new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest(null, new byte[0], -1))), marshalling, 1));
        c.add(new Case("multi: check", OpCode.MULTI, multi(
            new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest(null, -1))), marshalling, 1));
        c.add(new Case("multiRead: getData", OpCode.MULTI_READ, multi(
            new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest("/", false)),
            new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest(null, false))), marshalling, 0));
        c.add(new Case("multiRead: getChildren", OpCode.MULTI_READ, multi(
            new MultiRequest.Op(OpCode.GET_CHILDREN, new GetChildrenRequest(null, false))), marshalling, 0));
        // setWatches: a null path in a one-shot list, or a null list, fails; in a persistent list it is kept
        c.add(new Case("setWatches: data", OpCode.SET_WATCHES, new SetWatches(0, nullIn("/", null), List.of(), List.of()), marshalling, 0));
        c.add(new Case("setWatches: exist", OpCode.SET_WATCHES, new SetWatches(0, List.of(), nullIn((String) null), List.of()), marshalling, 0));
        c.add(new Case("setWatches: child", OpCode.SET_WATCHES, new SetWatches(0, List.of(), List.of(), nullIn((String) null)), marshalling, 0));
        c.add(new Case("setWatches: a null list", OpCode.SET_WATCHES, new SetWatches(0, List.of("/"), null, List.of()), marshalling, 0));
        c.add(new Case("setWatches2: data", OpCode.SET_WATCHES2, new SetWatches2(0, nullIn((String) null), List.of(), List.of(),
            List.of(), List.of()), marshalling, 0));
        c.add(new Case("setWatches2: persistent", OpCode.SET_WATCHES2, new SetWatches2(0, List.of(), List.of(), List.of(),
            nullIn((String) null), List.of()), ok, 0));
        c.add(new Case("setWatches2: recursive", OpCode.SET_WATCHES2, new SetWatches2(0, List.of(), List.of(), List.of(),
            List.of(), nullIn((String) null)), ok, 0));
        c.add(new Case("setWatches2: a null list", OpCode.SET_WATCHES2, new SetWatches2(0, List.of(), List.of(), List.of(),
            List.of(), null), marshalling, 0));
        return c;
    }

    /**
     * check, which a standalone ZooKeeper answers UNIMPLEMENTED (README, "Differences"); in an
     * ensemble ZooKeeper validates its path first, as for setData.
     */
    static final Case CHECK = new Case("check", OpCode.CHECK, new CheckVersionRequest(null, -1), ErrorCode.BADARGUMENTS, 1);
}
