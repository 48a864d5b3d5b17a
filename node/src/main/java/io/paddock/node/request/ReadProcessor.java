package io.paddock.node.request;

import io.paddock.node.auth.Acls;
import io.paddock.node.auth.DigestAuth;
import io.paddock.node.tree.DataNode;
import io.paddock.node.tree.DataTree;
import io.paddock.node.watch.WatchManager;
import io.paddock.node.watch.Watcher;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.AddWatchRequest;
import io.paddock.protocol.proto.CheckWatchesRequest;
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
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.MultiResponse;
import io.paddock.protocol.proto.PathRequest;
import io.paddock.protocol.proto.RemoveWatchesRequest;
import io.paddock.protocol.proto.SetWatches;
import io.paddock.protocol.proto.SetWatches2;
import io.paddock.protocol.proto.WhoAmIResponse;
import io.paddock.protocol.jute.MalformedRecordException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers the requests that do not change the tree, against the local tree, as ZooKeeper's
 * FinalRequestProcessor does. The caller holds the tree's read lock, so a read and the watch
 * it sets are atomic with respect to writes.
 *
 * <p>A null path (a string of length -1 on the wire) gets ZooKeeper 3.9.5's answer: a read of it
 * fails with MARSHALLINGERROR (ZooKeeper's processor catches its NullPointerException), and so
 * does setWatches with one in a one-shot list, or with a null list; sync, getEphemerals,
 * addWatch, checkWatches, removeWatches and setWatches2's persistent lists take it as a path
 * nobody uses.
 */
public final class ReadProcessor {

    /** What a read needs to know about the session asking. */
    public interface Context {
        long sessionId();

        List<Id> authInfo();

        Watcher watcher();
    }

    /** The zxid of an event no single txn triggered (ZooKeeper's WatchedEvent.NO_ZXID). */
    private static final long NO_ZXID = -1;
    /** The largest reply a multiRead may have: beyond it the request fails (MARSHALLINGERROR). */
    static final long MAX_MULTI_READ_REPLY = 64L << 20;
    /** A Stat in jute: six longs and five ints. */
    private static final int STAT_BYTES = 6 * 8 + 5 * 4;

    private final DataTree tree;

    public ReadProcessor(DataTree tree) {
        this.tree = tree;
    }

    /** The reply body, or null when the reply has none; failures throw with ZooKeeper's code. */
    public JuteRecord read(int op, JuteRecord body, Context ctx) throws KeeperException {
        WatchManager watches = tree.watches();
        switch (op) {
            case OpCode.EXISTS: {
                ExistsRequest r = (ExistsRequest) body;
                if (Required.present(r.path()).indexOf('\0') >= 0) {
                    throw new KeeperException(ErrorCode.BADARGUMENTS, r.path());
                }
                DataNode n = tree.getNode(r.path());
                if (n != null) {
                    Acls.check(n.acl(), Perms.READ, ctx.authInfo());
                }
                if (r.watch()) {
                    watches.addDataWatch(r.path(), ctx.watcher());
                }
                if (n == null) {
                    throw new KeeperException(ErrorCode.NONODE, r.path());
                }
                return new ExistsResponse(n.stat());
            }
            case OpCode.GET_DATA: {
                GetDataRequest r = (GetDataRequest) body;
                DataNode n = readable(r.path(), Perms.READ, ctx);
                if (r.watch()) {
                    watches.addDataWatch(r.path(), ctx.watcher());
                }
                return new GetDataResponse(n.data(), n.stat());
            }
            case OpCode.GET_CHILDREN: {
                GetChildrenRequest r = (GetChildrenRequest) body;
                DataNode n = readable(r.path(), Perms.READ, ctx);
                if (r.watch()) {
                    watches.addChildWatch(r.path(), ctx.watcher());
                }
                return new GetChildrenResponse(new ArrayList<>(n.children()));
            }
            case OpCode.GET_CHILDREN2: {
                GetChildren2Request r = (GetChildren2Request) body;
                DataNode n = readable(r.path(), Perms.READ, ctx);
                if (r.watch()) {
                    watches.addChildWatch(r.path(), ctx.watcher());
                }
                return new GetChildren2Response(new ArrayList<>(n.children()), n.stat());
            }
            case OpCode.GET_ACL: {
                GetACLRequest r = (GetACLRequest) body;
                DataNode n = readable(r.path(), Perms.READ | Perms.ADMIN, ctx);
                boolean admin = Acls.permits(n.acl(), Perms.ADMIN, ctx.authInfo());
                return new GetACLResponse(admin ? n.acl() : Acls.redactDigests(n.acl()), n.stat());
            }
            case OpCode.GET_ALL_CHILDREN_NUMBER: {
                GetAllChildrenNumberRequest r = (GetAllChildrenNumberRequest) body;
                readable(r.path(), Perms.READ, ctx);
                // ZooKeeper counts the paths that start with path + "/": for "" (the root under its
                // other name) that is every node, the root included
                int count = r.path().isEmpty() ? tree.nodeCount() : tree.countDescendants(r.path());
                return new GetAllChildrenNumberResponse(count);
            }
            case OpCode.GET_EPHEMERALS: {
                String prefix = ((GetEphemeralsRequest) body).prefixPath();
                List<String> out = new ArrayList<>();
                for (String path : tree.ephemeralsOf(ctx.sessionId())) {
                    if (prefix == null || prefix.isEmpty() || prefix.equals("/") || path.startsWith(prefix)) {
                        out.add(path);
                    }
                }
                return new GetEphemeralsResponse(out);
            }
            case OpCode.MULTI_READ:
                return multiRead((MultiRequest) body, ctx);
            case OpCode.WHO_AM_I:
                return whoAmI(ctx.authInfo());
            case OpCode.ADD_WATCH: {
                AddWatchRequest r = (AddWatchRequest) body;
                AddWatchMode mode = AddWatchMode.of(r.mode());
                if (mode == null) {
                    // ZooKeeper fails to map the mode and reports it as a marshalling error
                    throw new KeeperException(ErrorCode.MARSHALLINGERROR, r.path());
                }
                watches.addPersistentWatch(r.path(), ctx.watcher(), mode == AddWatchMode.PERSISTENT_RECURSIVE);
                // the Java client reads an ErrorResponse body from the reply
                return new ErrorResponse(0);
            }
            case OpCode.CHECK_WATCHES: {
                CheckWatchesRequest r = (CheckWatchesRequest) body;
                if (!watches.contains(r.path(), watcherType(r.type()), ctx.watcher())) {
                    throw new KeeperException(ErrorCode.NOWATCHER, r.path());
                }
                return null;
            }
            case OpCode.SET_WATCHES:
                restoreWatches((SetWatches) body, List.of(), List.of(), ctx.watcher());
                return null;
            case OpCode.SET_WATCHES2: {
                SetWatches2 r = (SetWatches2) body;
                SetWatches oneShot = new SetWatches(r.relativeZxid(), r.dataWatches(), r.existWatches(), r.childWatches());
                restoreWatches(oneShot, Required.present(r.persistentWatches()),
                    Required.present(r.persistentRecursiveWatches()), ctx.watcher());
                return null;
            }
            case OpCode.REMOVE_WATCHES: {
                RemoveWatchesRequest r = (RemoveWatchesRequest) body;
                if (!watches.remove(r.path(), watcherType(r.type()), ctx.watcher())) {
                    throw new KeeperException(ErrorCode.NOWATCHER, r.path());
                }
                return null;
            }
            default:
                throw new KeeperException(ErrorCode.UNIMPLEMENTED);
        }
    }

    private DataNode readable(String path, int perm, Context ctx) throws KeeperException {
        DataNode n = tree.getNode(Required.present(path));
        if (n == null) {
            throw new KeeperException(ErrorCode.NONODE, path);
        }
        Acls.check(n.acl(), perm, ctx.authInfo());
        return n;
    }

    /** A one-shot list of setWatches: it and every path in it must be there. */
    private static List<String> paths(List<String> list) throws KeeperException {
        for (String path : Required.present(list)) {
            Required.present(path);
        }
        return list;
    }

    private static WatcherType watcherType(int code) throws KeeperException {
        WatcherType t = WatcherType.of(code);
        if (t == null) {
            // ZooKeeper fails to map the type and reports it as a marshalling error
            throw new KeeperException(ErrorCode.MARSHALLINGERROR);
        }
        return t;
    }

    /**
     * setWatches from a reconnecting client, as ZooKeeper's DataTree.setWatches: a one-shot watch
     * whose node changed after the client's last zxid fires at once (with no zxid, -1), the
     * others are re-armed; persistent watches are only re-armed. The lists are checked before any
     * watch is set.
     */
    private void restoreWatches(SetWatches oneShot, List<String> persistent, List<String> recursive, Watcher w)
        throws KeeperException {
        List<String> data = paths(oneShot.dataWatches());
        List<String> exist = paths(oneShot.existWatches());
        List<String> child = paths(oneShot.childWatches());
        WatchManager watches = tree.watches();
        long relZxid = oneShot.relativeZxid();
        for (String path : data) {
            DataNode n = tree.getNode(path);
            if (n == null) {
                w.process(EventType.NODE_DELETED, path, NO_ZXID);
            } else if (n.mzxid() > relZxid) {
                w.process(EventType.NODE_DATA_CHANGED, path, NO_ZXID);
            } else {
                watches.addDataWatch(path, w);
            }
        }
        for (String path : exist) {
            if (tree.getNode(path) != null) {
                w.process(EventType.NODE_CREATED, path, NO_ZXID);
            } else {
                watches.addDataWatch(path, w);
            }
        }
        for (String path : child) {
            DataNode n = tree.getNode(path);
            if (n == null) {
                w.process(EventType.NODE_DELETED, path, NO_ZXID);
            } else if (n.pzxid() > relZxid) {
                w.process(EventType.NODE_CHILDREN_CHANGED, path, NO_ZXID);
            } else {
                watches.addChildWatch(path, w);
            }
        }
        for (String path : persistent) {
            watches.addPersistentWatch(path, w, false);
        }
        for (String path : recursive) {
            watches.addPersistentWatch(path, w, true);
        }
    }

    /**
     * Each getChildren/getData is answered on its own; one failing does not stop the others. An
     * op with a null path fails the whole request, as in ZooKeeper (whose reply also carries the
     * results of the ops before it; its client ignores them).
     */
    private MultiResponse multiRead(MultiRequest m, Context ctx) throws KeeperException {
        for (MultiRequest.Op op : m.ops()) {
            if (op.type() != OpCode.GET_CHILDREN && op.type() != OpCode.GET_DATA) {
                throw new MalformedRecordException("multiRead cannot carry " + OpCode.name(op.type()));
            }
            Required.present(((PathRequest) op.request()).path());
        }
        List<MultiResponse.OpResult> results = new ArrayList<>(m.ops().size());
        long replyBytes = 0;
        for (MultiRequest.Op op : m.ops()) {
            try {
                JuteRecord result = read(op.type(), op.request(), ctx);
                replyBytes += replySize(result);
                if (replyBytes > MAX_MULTI_READ_REPLY) {
                    // a 1 MiB request of 65,000 reads of a 1 MiB znode would ask for 65 GB
                    throw new MalformedRecordException("a multiRead of " + m.ops().size() + " reads: its reply would be over "
                        + MAX_MULTI_READ_REPLY + " bytes");
                }
                results.add(new MultiResponse.OpResult(op.type(), 0, result));
            } catch (KeeperException e) {
                results.add(MultiResponse.OpResult.error(e.code().code()));
            }
        }
        return new MultiResponse(results);
    }

    /** The bytes a multiRead's result adds to its reply (the few bytes of each result's header aside). */
    private static long replySize(JuteRecord result) {
        if (result instanceof GetDataResponse d) {
            return JuteOutput.bufferSize(d.data()) + STAT_BYTES;
        }
        long bytes = 4;
        if (result instanceof GetChildrenResponse c && c.children() != null) {
            for (String child : c.children()) {
                bytes += JuteOutput.stringSize(child);
            }
        }
        return bytes;
    }

    private static WhoAmIResponse whoAmI(List<Id> authInfo) {
        List<ClientInfo> out = new ArrayList<>(authInfo.size());
        for (Id id : authInfo) {
            String user = DigestAuth.SCHEME.equals(id.scheme()) ? DigestAuth.userOf(id.id()) : id.id();
            out.add(new ClientInfo(id.scheme(), user));
        }
        return new WhoAmIResponse(out);
    }
}
