package io.paddock.node.request;

import io.paddock.node.auth.Acls;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.DataNode;
import io.paddock.node.tree.DataTree;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.PathUtils;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.CheckVersionRequest;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.CreateTTLRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.PathRequest;
import io.paddock.protocol.proto.SetACLRequest;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.txn.EphemeralType;
import io.paddock.protocol.txn.TxnCodec;
import io.paddock.protocol.txn.TxnOp;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a write request into the txn the log records (ZooKeeper's PrepRequestProcessor). It
 * validates against the applied tree plus every txn prepared but not yet applied, so a burst
 * of dependent writes (create /a, then create /a/b) is judged as if applied in order. A request
 * that fails validation becomes an {@link TxnOp.ErrorTxn}: it still takes a zxid.
 *
 * <p>A null path (a string of length -1 on the wire) gets ZooKeeper 3.9.5's answer: create and
 * delete fail with MARSHALLINGERROR (ZooKeeper's processor catches its NullPointerException), a
 * multi with one anywhere fails as a whole with it, and setData, setACL and check refuse it as
 * BADARGUMENTS, as any invalid path.
 *
 * <p>Single-threaded: the leader calls it, and tells it about each applied zxid.
 */
public final class RequestPreparer {
    private static final Logger log = LoggerFactory.getLogger(RequestPreparer.class);
    /**
     * Paddock's own opcode for a leader's request that the ensemble get its session secret. It is
     * no ZooKeeper opcode, so no client can send it: the client port refuses unknown opcodes.
     */
    public static final int CREATE_SESSION_SECRET = -100;
    /**
     * Paddock's own opcode, as {@link #CREATE_SESSION_SECRET}: a client resumed its session (the
     * ConnectRequest is the body) on the request's connection. The leader makes that connection the
     * session's owner ({@link SessionTracker#claim}) and answers it as a sync; it makes no txn.
     */
    public static final int REVALIDATE = -101;

    private final DataTree tree;
    private final SessionTracker sessions;
    private final boolean extendedTypesEnabled;
    private final long maxTxnBytes;
    private final Map<String, NodeRecord> pending = new HashMap<>();
    private final ArrayDeque<PendingTxn> pendingOrder = new ArrayDeque<>();

    private record PendingTxn(long zxid, Set<String> paths) {
    }

    /** @param maxTxnBytes the largest txn ({@link TxnCodec#size}) the ensemble can carry in one peer message */
    public RequestPreparer(DataTree tree, SessionTracker sessions, boolean extendedTypesEnabled, long maxTxnBytes) {
        this.tree = tree;
        this.sessions = sessions;
        this.extendedTypesEnabled = extendedTypesEnabled;
        this.maxTxnBytes = maxTxnBytes;
    }

    /** Prepares {@code r} as the txn with zxid {@code zxid} at leader time {@code now} (wall clock: mtime, ctime, TTLs); never throws. */
    public TxnOp prepare(Request r, long zxid, long now) {
        Map<String, NodeRecord> changes = new HashMap<>();
        TxnOp op;
        try {
            op = prepareOp(r, zxid, now, changes);
            if (TxnCodec.size(op) > maxTxnBytes) {
                // a request within jute.maxbuffer can still make a larger txn (an "auth" ACL expands to
                // every id of the session): no learner could receive it, so it fails before it is logged
                throw new KeeperException(ErrorCode.BADARGUMENTS);
            }
        } catch (KeeperException e) {
            return new TxnOp.ErrorTxn(e.code().code());
        } catch (RuntimeException e) {
            // a bug, but a client's request must not stop the leader: as ZooKeeper's PrepRequestProcessor,
            // fail it with MARSHALLINGERROR
            log.error("preparing {} of session 0x{} failed; answering MARSHALLINGERROR", OpCode.name(r.op()),
                Long.toHexString(r.sessionId()), e);
            return new TxnOp.ErrorTxn(ErrorCode.MARSHALLINGERROR.code());
        }
        if (!changes.isEmpty()) {
            pending.putAll(changes);
            pendingOrder.add(new PendingTxn(zxid, changes.keySet()));
        }
        return op;
    }

    /** Forgets what txns up to {@code zxid} changed: the tree now shows it. */
    public void applied(long zxid) {
        while (!pendingOrder.isEmpty() && pendingOrder.peek().zxid() <= zxid) {
            for (String path : pendingOrder.poll().paths()) {
                NodeRecord rec = pending.get(path);
                if (rec != null && rec.zxid() <= zxid) {
                    pending.remove(path);
                }
            }
        }
    }

    /** Drops everything pending, e.g. when the log failed and prepared txns will never apply. */
    public void clear() {
        pending.clear();
        pendingOrder.clear();
    }

    private TxnOp prepareOp(Request r, long zxid, long now, Map<String, NodeRecord> changes) throws KeeperException {
        switch (r.op()) {
            case OpCode.CREATE_SESSION: {
                int timeout = ((ConnectRequest) r.body()).timeOut();
                sessions.add(r.sessionId(), timeout);
                sessions.claim(r.sessionId(), r.connection());
                return new TxnOp.CreateSessionTxn(timeout);
            }
            case OpCode.CLOSE_SESSION:
                return closeSession(r.sessionId(), zxid, changes);
            case OpCode.DELETE_CONTAINER:
                return deleteContainer(((DeleteRequest) r.body()).path(), zxid, now, changes);
            case CREATE_SESSION_SECRET:
                return new TxnOp.SessionSecretTxn(SessionTracker.newSecret());
            default:
                break;
        }
        if (r.sessionId() != 0 && !sessions.isActive(r.sessionId())) {
            throw new KeeperException(ErrorCode.SESSIONEXPIRED);
        }
        if (r.sessionId() != 0 && r.connection() != Request.SERVER && !sessions.claim(r.sessionId(), r.connection())) {
            throw new KeeperException(ErrorCode.SESSIONMOVED);
        }
        if (r.op() == OpCode.MULTI) {
            return multi(r, zxid, now, changes);
        }
        return prepareSingle(r.op(), r.body(), r, zxid, now, changes);
    }

    private TxnOp prepareSingle(int op, JuteRecord body, Request r, long zxid, long now,
                                Map<String, NodeRecord> changes) throws KeeperException {
        switch (op) {
            case OpCode.CREATE:
            case OpCode.CREATE2:
            case OpCode.CREATE_CONTAINER: {
                CreateRequest c = (CreateRequest) body;
                return create(op, c.path(), c.data(), c.acl(), c.flags(), -1, r, zxid, changes);
            }
            case OpCode.CREATE_TTL: {
                CreateTTLRequest c = (CreateTTLRequest) body;
                return create(op, c.path(), c.data(), c.acl(), c.flags(), c.ttl(), r, zxid, changes);
            }
            case OpCode.DELETE:
                return delete((DeleteRequest) body, r.authInfo(), zxid, changes);
            case OpCode.SET_DATA:
                return setData((SetDataRequest) body, r.authInfo(), zxid, now, changes);
            case OpCode.SET_ACL:
                return setAcl((SetACLRequest) body, r.authInfo(), zxid, changes);
            case OpCode.CHECK:
                return check((CheckVersionRequest) body, r.authInfo(), changes);
            case OpCode.RECONFIG:
                // disabled, as by default in ZooKeeper; the refusal is a failed write, so it takes a zxid
                throw new KeeperException(ErrorCode.RECONFIGDISABLED);
            default:
                throw new KeeperException(ErrorCode.UNIMPLEMENTED);
        }
    }

    /**
     * All ops are judged against the changes of the ops before them; on the first failure the
     * earlier ops report OK, the failing one its error, the later ones RUNTIMEINCONSISTENCY,
     * and none of the changes is kept.
     */
    private TxnOp multi(Request r, long zxid, long now, Map<String, NodeRecord> changes) throws KeeperException {
        List<MultiRequest.Op> ops = ((MultiRequest) r.body()).ops();
        for (MultiRequest.Op op : ops) {
            Required.present(((PathRequest) op.request()).path());
        }
        List<TxnOp> txns = new ArrayList<>(ops.size());
        Map<String, NodeRecord> scratch = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            MultiRequest.Op op = ops.get(i);
            try {
                txns.add(prepareSingle(op.type(), op.request(), r, zxid, now, scratch));
            } catch (KeeperException e) {
                List<TxnOp> failed = new ArrayList<>(ops.size());
                for (int j = 0; j < ops.size(); j++) {
                    int code = j < i ? 0 : j == i ? e.code().code() : ErrorCode.RUNTIMEINCONSISTENCY.code();
                    failed.add(new TxnOp.ErrorTxn(code));
                }
                return new TxnOp.MultiTxn(failed);
            }
        }
        changes.putAll(scratch);
        return new TxnOp.MultiTxn(txns);
    }

    private NodeRecord lookup(String path, Map<String, NodeRecord> changes) throws KeeperException {
        NodeRecord rec = find(path, changes);
        if (rec == null) {
            throw new KeeperException(ErrorCode.NONODE, path);
        }
        return rec;
    }

    private NodeRecord find(String path, Map<String, NodeRecord> changes) {
        NodeRecord rec = changes.get(path);
        if (rec == null) {
            rec = pending.get(path);
        }
        if (rec != null) {
            return rec.exists() ? rec : null;
        }
        DataNode n = tree.getNode(path);
        return n == null ? null : NodeRecord.of(n);
    }

    private static void validatePath(String path) throws KeeperException {
        if (!PathUtils.isValid(path)) {
            throw new KeeperException(ErrorCode.BADARGUMENTS, path);
        }
    }

    /** The parent of a path to create or delete; BADARGUMENTS for paths with no slash or a NUL. */
    private static String parentForWrite(String path) throws KeeperException {
        if (path == null || path.lastIndexOf('/') < 0 || path.indexOf('\0') >= 0) {
            throw new KeeperException(ErrorCode.BADARGUMENTS, path);
        }
        return PathUtils.normalize(PathUtils.parentOf(path));
    }

    private static int checkAndIncVersion(int current, int expected, String path) throws KeeperException {
        if (expected != -1 && expected != current) {
            throw new KeeperException(ErrorCode.BADVERSION, path);
        }
        return current + 1;
    }

    private TxnOp create(int op, String path, byte[] data, List<Acl> acl, int flags, long ttl, Request r, long zxid,
                         Map<String, NodeRecord> changes) throws KeeperException {
        CreateMode mode = CreateMode.fromFlag(flags);
        if (mode == null) {
            throw new KeeperException(ErrorCode.BADARGUMENTS, path);
        }
        validateModeAndTtl(op, mode, ttl, path);
        String parentPath = parentForWrite(Required.present(path));
        List<Acl> fixed = Acls.fixup(acl, r.authInfo());
        NodeRecord parent = lookup(parentPath, changes);
        Acls.check(parent.acl(), Perms.CREATE, r.authInfo());
        String finalPath = mode.isSequential() ? path + String.format(Locale.ROOT, "%010d", parent.cversion()) : path;
        validatePath(finalPath);
        if (find(finalPath, changes) != null) {
            throw new KeeperException(ErrorCode.NODEEXISTS, finalPath);
        }
        if (EphemeralType.isSessionOwned(parent.ephemeralOwner())) {
            throw new KeeperException(ErrorCode.NOCHILDRENFOREPHEMERALS, finalPath);
        }
        int newCversion = parent.cversion() + 1;
        // as in ZooKeeper, the opcode decides what a container is: createContainer makes one whatever
        // its (non-TTL) flags say, and create with the container flag makes a plain persistent node
        long owner = op == OpCode.CREATE_CONTAINER ? EphemeralType.CONTAINER
            : mode.isTtl() ? EphemeralType.ttl(ttl)
            : mode.isEphemeral() ? r.sessionId() : 0;
        changes.put(parentPath, parent.withChildAdded(zxid, newCversion));
        changes.put(finalPath, new NodeRecord(zxid, true, 0, 0, 0, owner, 0, 0, fixed));
        return new TxnOp.CreateTxn(finalPath, data, fixed, owner, newCversion);
    }

    private void validateModeAndTtl(int op, CreateMode mode, long ttl, String path) throws KeeperException {
        if (mode.isTtl()) {
            if (!extendedTypesEnabled) {
                throw new KeeperException(ErrorCode.UNIMPLEMENTED, path);
            }
            if (ttl <= 0 || ttl > EphemeralType.MAX_TTL) {
                throw new KeeperException(ErrorCode.BADARGUMENTS, path);
            }
        } else if (ttl >= 0 || op == OpCode.CREATE_TTL) {
            // ZooKeeper 3.9.5 lets createTTL with a negative TTL and a non-TTL mode through, and then
            // cannot apply it (its server stops); Paddock refuses it
            throw new KeeperException(ErrorCode.BADARGUMENTS, path);
        }
    }

    private TxnOp delete(DeleteRequest d, List<Id> auth, long zxid, Map<String, NodeRecord> changes)
        throws KeeperException {
        String path = Required.present(d.path());
        String parentPath = parentForWrite(path);
        if (DataTree.isSpecialPath(path)) {
            throw new KeeperException(ErrorCode.BADARGUMENTS, path);
        }
        // ZooKeeper's order: the parent and its DELETE permission first, so a session without it
        // learns NOAUTH, not whether the child exists
        NodeRecord parent = lookup(parentPath, changes);
        Acls.check(parent.acl(), Perms.DELETE, auth);
        NodeRecord node = lookup(path, changes);
        checkAndIncVersion(node.version(), d.version(), path);
        if (node.childCount() > 0) {
            throw new KeeperException(ErrorCode.NOTEMPTY, path);
        }
        changes.put(path, NodeRecord.deleted(zxid));
        changes.put(parentPath, parent.withChildRemoved(zxid));
        return new TxnOp.DeleteTxn(path);
    }

    /** The server's own delete of an empty container or an expired TTL node; re-checked here because a child may have arrived. */
    private TxnOp deleteContainer(String path, long zxid, long now, Map<String, NodeRecord> changes)
        throws KeeperException {
        String parentPath = parentForWrite(path);
        NodeRecord node = lookup(path, changes);
        long owner = node.ephemeralOwner();
        if (node.childCount() > 0) {
            throw new KeeperException(ErrorCode.NOTEMPTY, path);
        }
        boolean reapable = EphemeralType.isContainer(owner)
            || EphemeralType.isTtl(owner) && now - node.mtime() > EphemeralType.ttlMillis(owner);
        if (!reapable) {
            throw new KeeperException(ErrorCode.BADARGUMENTS, path);
        }
        NodeRecord parent = lookup(parentPath, changes);
        changes.put(path, NodeRecord.deleted(zxid));
        changes.put(parentPath, parent.withChildRemoved(zxid));
        return new TxnOp.DeleteTxn(path);
    }

    private TxnOp setData(SetDataRequest s, List<Id> auth, long zxid, long now, Map<String, NodeRecord> changes)
        throws KeeperException {
        validatePath(s.path());
        NodeRecord node = lookup(s.path(), changes);
        Acls.check(node.acl(), Perms.WRITE, auth);
        int newVersion = checkAndIncVersion(node.version(), s.version(), s.path());
        changes.put(s.path(), node.withVersion(zxid, newVersion, now));
        return new TxnOp.SetDataTxn(s.path(), s.data(), newVersion);
    }

    private TxnOp setAcl(SetACLRequest s, List<Id> auth, long zxid, Map<String, NodeRecord> changes)
        throws KeeperException {
        validatePath(s.path());
        List<Acl> fixed = Acls.fixup(s.acl(), auth);
        NodeRecord node = lookup(s.path(), changes);
        Acls.check(node.acl(), Perms.ADMIN, auth);
        int newAversion = checkAndIncVersion(node.aversion(), s.version(), s.path());
        changes.put(s.path(), node.withAcl(zxid, newAversion, fixed));
        return new TxnOp.SetAclTxn(s.path(), fixed, newAversion);
    }

    private TxnOp check(CheckVersionRequest c, List<Id> auth, Map<String, NodeRecord> changes)
        throws KeeperException {
        validatePath(c.path());
        NodeRecord node = lookup(c.path(), changes);
        Acls.check(node.acl(), Perms.READ, auth);
        return new TxnOp.CheckVersionTxn(c.path(), checkAndIncVersion(node.version(), c.version(), c.path()));
    }

    /**
     * Closes a session: its ephemerals, applied or still pending, are deleted with it. The txn
     * names none of them (see {@link TxnOp.CloseSessionTxn}): applying it deletes those the tree
     * holds then, which are exactly the ones recorded here for the txns prepared after it.
     */
    private TxnOp closeSession(long sessionId, long zxid, Map<String, NodeRecord> changes) throws KeeperException {
        if (!sessions.startClosing(sessionId)) {
            throw new KeeperException(ErrorCode.SESSIONEXPIRED);
        }
        Set<String> ephemerals = new LinkedHashSet<>(tree.ephemeralsOf(sessionId));
        for (Map.Entry<String, NodeRecord> e : pending.entrySet()) {
            NodeRecord rec = e.getValue();
            if (!rec.exists()) {
                ephemerals.remove(e.getKey());
            } else if (rec.ephemeralOwner() == sessionId) {
                ephemerals.add(e.getKey());
            }
        }
        for (String path : ephemerals) {
            String parentPath = PathUtils.normalize(PathUtils.parentOf(path));
            NodeRecord parent = find(parentPath, changes);
            changes.put(path, NodeRecord.deleted(zxid));
            if (parent != null) {
                changes.put(parentPath, parent.withChildRemoved(zxid));
            }
        }
        return new TxnOp.CloseSessionTxn(List.of());
    }
}
