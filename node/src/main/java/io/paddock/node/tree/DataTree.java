package io.paddock.node.tree;

import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.PathUtils;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.txn.EphemeralType;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The replicated state: every znode by path, the live sessions with their timeouts, the secret
 * their passwords are derived from, and the zxid of the last txn applied.
 *
 * <p>Threading: one applier changes the tree while holding {@link #writeLock()}; readers run
 * concurrently under {@link #readLock()}. Watch events and replies are enqueued while the lock
 * is held, so no client can see a reply that shows a change before that change's event.
 *
 * <p>A snapshot reads a {@link View}: the tree as it was when the view was opened, while the
 * applier goes on. Opening one costs a copy of the paths (references only); from then on, the
 * first change to each node keeps a copy of the node as it was, until the view is closed.
 */
public final class DataTree {
    public static final String ZOOKEEPER = "/zookeeper";
    public static final String QUOTA = "/zookeeper/quota";
    public static final String CONFIG = "/zookeeper/config";

    private final Map<String, DataNode> nodes = new HashMap<>();
    private final Map<Long, Set<String>> ephemerals = new HashMap<>();
    private final Set<String> containers = new HashSet<>();
    private final Set<String> ttls = new HashSet<>();
    private final Map<Long, Integer> sessions = new LinkedHashMap<>();
    /**
     * The shared ACL lists, each kept while a znode holds it: the key is the list the znodes hold,
     * weakly, so one that no znode holds any more goes at the next collection (ZooKeeper counts
     * references for the same purpose). Used under the write lock, or before the tree is shared.
     */
    private final Map<List<Acl>, WeakReference<List<Acl>>> aclCache = new WeakHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final WatchManager watches;
    /** Open views of the tree for snapshots being written; each needs the first version of every node changed meanwhile. */
    private final List<View> views = new ArrayList<>(1);
    private volatile long lastProcessedZxid;
    /** Null until the first leader's SessionSecretTxn is applied; never changes after that. */
    private volatile byte[] sessionSecret;
    private long dataSize;

    public DataTree(WatchManager watches) {
        this.watches = watches;
        nodes.put("/", new DataNode(new byte[0], intern(Acl.OPEN_ACL_UNSAFE), 0, 0, 0));
        dataSize = 1;
        addSystemNode(ZOOKEEPER, Acl.OPEN_ACL_UNSAFE);
        addSystemNode(QUOTA, Acl.OPEN_ACL_UNSAFE);
        // ZooKeeper gives the config node its ACL through setACL with version -1, which stores -1 as its aversion
        addSystemNode(CONFIG, Acl.READ_ACL_UNSAFE).aversion = -1;
    }

    /**
     * Puts the ensemble's configuration into /zookeeper/config, as each ZooKeeper server does for
     * itself when it starts: not a txn, every server writes its own from its config file. Data
     * version -1 and mtime {@code now}, as ZooKeeper's setData with version -1 leaves them.
     */
    public void setEnsembleConfig(byte[] text, long now) {
        lock.writeLock().lock();
        try {
            DataNode n = nodes.get(CONFIG);
            dataSize += text.length - n.dataLength();
            n.data = text;
            n.version = -1;
            n.mtime = now;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** ZooKeeper's built-in nodes are linked without counting as child creations. */
    private DataNode addSystemNode(String path, List<Acl> acl) {
        DataNode node = new DataNode(new byte[0], intern(acl), 0, 0, 0);
        nodes.put(path, node);
        dataSize += path.length();
        nodes.get(PathUtils.normalize(PathUtils.parentOf(path))).addChild(PathUtils.nameOf(path));
        return node;
    }

    /** The paths that can never be deleted. */
    public static boolean isSpecialPath(String path) {
        return path.equals("/") || path.equals(ZOOKEEPER) || path.equals(QUOTA) || path.equals(CONFIG);
    }

    public ReentrantReadWriteLock.ReadLock readLock() {
        return lock.readLock();
    }

    public ReentrantReadWriteLock.WriteLock writeLock() {
        return lock.writeLock();
    }

    public WatchManager watches() {
        return watches;
    }

    public long lastProcessedZxid() {
        return lastProcessedZxid;
    }

    /** The node at {@code path}, or null. "" is the root, as ZooKeeper's parent computation produces it. */
    public DataNode getNode(String path) {
        return nodes.get(path.isEmpty() ? "/" : path);
    }

    public int nodeCount() {
        return nodes.size();
    }

    public long approximateDataSize() {
        return dataSize;
    }

    public Map<Long, Integer> sessions() {
        return Collections.unmodifiableMap(sessions);
    }

    /** The ensemble's session secret, or null if this tree has not applied it yet. Not to be modified. */
    public byte[] sessionSecret() {
        return sessionSecret;
    }

    public Set<String> ephemeralsOf(long sessionId) {
        Set<String> set = ephemerals.get(sessionId);
        return set == null ? Set.of() : set;
    }

    /** Counts under the read lock: the applier changes the sets while a scrape or mntr reads them. */
    public int ephemeralCount() {
        Lock read = lock.readLock();
        read.lock();
        try {
            int n = 0;
            for (Set<String> s : ephemerals.values()) {
                n += s.size();
            }
            return n;
        } finally {
            read.unlock();
        }
    }

    public Set<String> containers() {
        return containers;
    }

    public Set<String> ttlNodes() {
        return ttls;
    }

    /**
     * Number of nodes below {@code path}, not counting itself. Walked with a stack of its own, not
     * by recursion: a chain of znodes thousands deep would overflow the thread's stack, an Error
     * that ends the JVM.
     */
    public int countDescendants(String path) {
        if (path.equals("/")) {
            return nodes.size() - 1; // every node but the root, without the walk
        }
        if (getNode(path) == null) {
            return 0;
        }
        int n = 0;
        ArrayDeque<String> below = new ArrayDeque<>();
        below.push(path);
        while (!below.isEmpty()) {
            String parent = below.pop();
            for (String child : getNode(parent).children()) {
                n++;
                below.push(PathUtils.child(parent, child));
            }
        }
        return n;
    }

    /** Identical ACL lists share one instance, as ZooKeeper's ACL cache does, to keep nodes small. */
    List<Acl> intern(List<Acl> acl) {
        WeakReference<List<Acl>> kept = aclCache.get(acl);
        List<Acl> shared = kept == null ? null : kept.get();
        if (shared == null) {
            shared = List.copyOf(acl);
            aclCache.put(shared, new WeakReference<>(shared));
        }
        return shared;
    }

    /** How many distinct ACL lists {@link #intern} holds. */
    int aclListsKept() {
        return aclCache.size();
    }

    /** Applies one committed txn; the caller holds the write lock. Replays of the same txn are not expected. */
    public ApplyResult apply(Txn txn) {
        ApplyResult result = apply(txn, txn.op());
        lastProcessedZxid = txn.zxid();
        return result;
    }

    private ApplyResult apply(Txn txn, TxnOp op) {
        long zxid = txn.zxid();
        if (op instanceof TxnOp.CreateTxn c) {
            return create(c, zxid, txn.time());
        } else if (op instanceof TxnOp.DeleteTxn d) {
            return delete(d.path(), zxid);
        } else if (op instanceof TxnOp.SetDataTxn s) {
            return setData(s, zxid, txn.time());
        } else if (op instanceof TxnOp.SetAclTxn s) {
            DataNode n = nodes.get(s.path());
            if (n == null) {
                return ApplyResult.error(ErrorCode.NONODE.code());
            }
            beforeChange(s.path(), n);
            n.acl = intern(s.acl());
            n.aversion = s.version();
            return ApplyResult.of(s.path(), n.stat());
        } else if (op instanceof TxnOp.CheckVersionTxn c) {
            DataNode n = nodes.get(c.path());
            return n == null ? ApplyResult.error(ErrorCode.NONODE.code()) : ApplyResult.of(c.path(), n.stat());
        } else if (op instanceof TxnOp.CreateSessionTxn s) {
            sessions.put(txn.sessionId(), s.timeOut());
            return ApplyResult.OK;
        } else if (op instanceof TxnOp.CloseSessionTxn c) {
            for (String path : c.ephemerals()) {
                delete(path, zxid); // a close logged by an earlier version lists them
            }
            // every replica holds the same ephemerals at this zxid; in path order, every replica fires
            // their watches in the same order
            List<String> owned = new ArrayList<>(ephemeralsOf(txn.sessionId()));
            Collections.sort(owned);
            for (String path : owned) {
                delete(path, zxid);
            }
            sessions.remove(txn.sessionId());
            return ApplyResult.OK;
        } else if (op instanceof TxnOp.ErrorTxn e) {
            return ApplyResult.error(e.err());
        } else if (op instanceof TxnOp.SessionSecretTxn s) {
            sessionSecret = s.secret();
            return ApplyResult.OK;
        } else if (op instanceof TxnOp.MultiTxn m) {
            List<ApplyResult> results = new ArrayList<>(m.ops().size());
            for (TxnOp sub : m.ops()) {
                results.add(apply(txn, sub));
            }
            return new ApplyResult(0, null, null, results);
        }
        throw new IllegalArgumentException("unknown txn op " + op);
    }

    private ApplyResult create(TxnOp.CreateTxn c, long zxid, long time) {
        String path = c.path();
        String parentPath = PathUtils.normalize(PathUtils.parentOf(path));
        DataNode parent = nodes.get(parentPath);
        if (parent == null) {
            return ApplyResult.error(ErrorCode.NONODE.code());
        }
        if (nodes.containsKey(path)) {
            return ApplyResult.error(ErrorCode.NODEEXISTS.code());
        }
        DataNode node = new DataNode(c.data(), intern(c.acl()), zxid, time, c.ephemeralOwner());
        beforeChange(parentPath, parent);
        nodes.put(path, node);
        dataSize += path.length() + node.dataLength();
        parent.addChild(PathUtils.nameOf(path));
        if (c.parentCVersion() > parent.cversion) {
            parent.cversion = c.parentCVersion();
        }
        parent.pzxid = zxid;
        index(path, node);
        watches.trigger(path, EventType.NODE_CREATED, zxid);
        watches.trigger(PathUtils.normalize(parentPath), EventType.NODE_CHILDREN_CHANGED, zxid);
        return ApplyResult.of(path, node.stat());
    }

    private ApplyResult delete(String path, long zxid) {
        DataNode node = nodes.get(path);
        if (node == null) {
            return ApplyResult.error(ErrorCode.NONODE.code());
        }
        String parentPath = PathUtils.normalize(PathUtils.parentOf(path));
        DataNode parent = nodes.get(parentPath);
        beforeChange(path, node);
        beforeChange(parentPath, parent);
        nodes.remove(path);
        dataSize -= path.length() + node.dataLength();
        parent.removeChild(PathUtils.nameOf(path));
        if (zxid > parent.pzxid) {
            parent.pzxid = zxid;
        }
        long owner = node.ephemeralOwner;
        if (EphemeralType.isContainer(owner)) {
            containers.remove(path);
        } else if (EphemeralType.isTtl(owner)) {
            ttls.remove(path);
        } else if (owner != 0) {
            Set<String> set = ephemerals.get(owner);
            if (set != null) {
                set.remove(path);
                if (set.isEmpty()) {
                    ephemerals.remove(owner);
                }
            }
        }
        watches.trigger(path, EventType.NODE_DELETED, zxid);
        watches.trigger(parentPath, EventType.NODE_CHILDREN_CHANGED, zxid);
        return ApplyResult.OK;
    }

    private ApplyResult setData(TxnOp.SetDataTxn s, long zxid, long time) {
        DataNode n = nodes.get(s.path());
        if (n == null) {
            return ApplyResult.error(ErrorCode.NONODE.code());
        }
        beforeChange(s.path(), n);
        dataSize -= n.dataLength();
        n.data = s.data();
        dataSize += n.dataLength();
        n.version = s.version();
        n.mzxid = zxid;
        n.mtime = time;
        watches.trigger(s.path(), EventType.NODE_DATA_CHANGED, zxid);
        return ApplyResult.of(s.path(), n.stat());
    }

    /** Every open view keeps the node at {@code path} as it was when the view opened, unless it kept it already. */
    private void beforeChange(String path, DataNode node) {
        for (int i = 0; i < views.size(); i++) {
            views.get(i).keep(path, node);
        }
    }

    /**
     * Opens a view of the tree as it is now, for a snapshot written while the applier goes on.
     * The caller holds the write lock; whoever reads the view closes it.
     */
    public View openView() {
        View view = new View(lastProcessedZxid, sessionSecret, new LinkedHashMap<>(sessions),
            nodes.keySet().toArray(new String[0]));
        views.add(view);
        return view;
    }

    /**
     * The tree as it was when the view was opened: its paths, sessions, secret and zxid, and each
     * node's content (not its children). Read it under the read lock; close it under the write lock.
     */
    public final class View {
        private final long zxid;
        private final byte[] sessionSecret;
        private final Map<Long, Integer> sessions;
        private final String[] paths;
        /** Nodes as they were when the view opened, for those changed since. Guarded by the tree's lock. */
        private final Map<String, DataNode> kept = new HashMap<>();

        private View(long zxid, byte[] sessionSecret, Map<Long, Integer> sessions, String[] paths) {
            this.zxid = zxid;
            this.sessionSecret = sessionSecret;
            this.sessions = sessions;
            this.paths = paths;
        }

        private void keep(String path, DataNode node) {
            if (!kept.containsKey(path)) {
                kept.put(path, node.withoutChildren());
            }
        }

        public long zxid() {
            return zxid;
        }

        public byte[] sessionSecret() {
            return sessionSecret;
        }

        public Map<Long, Integer> sessions() {
            return sessions;
        }

        /** The paths the tree had, in no order; the caller may sort the array. */
        public String[] paths() {
            return paths;
        }

        /** The node at {@code path} as it was; the caller holds the read lock. */
        public DataNode node(String path) {
            DataNode node = kept.get(path);
            return node != null ? node : nodes.get(path);
        }

        /** Ends the view; the caller holds the write lock. */
        public void close() {
            views.remove(this);
        }
    }

    /** Paths in depth-first order, parents before children. */
    public List<String> pathsDepthFirst() {
        List<String> out = new ArrayList<>(nodes.size());
        List<String> stack = new ArrayList<>();
        stack.add("/");
        while (!stack.isEmpty()) {
            String path = stack.remove(stack.size() - 1);
            out.add(path);
            for (String child : nodes.get(path).children()) {
                stack.add(PathUtils.child(path, child));
            }
        }
        return out;
    }

    /** Restores one node read from a snapshot; parents are restored before their children. */
    void restoreNode(String path, DataNode node) {
        DataNode existing = nodes.get(path);
        if (existing != null) {
            // the built-in nodes exist already; keep their links, take the snapshot's content
            dataSize -= path.length() + existing.dataLength();
            for (String child : existing.children()) {
                node.addChild(child);
            }
        } else if (!path.equals("/")) {
            nodes.get(PathUtils.normalize(PathUtils.parentOf(path))).addChild(PathUtils.nameOf(path));
        }
        node.acl = intern(node.acl);
        nodes.put(path, node);
        dataSize += path.length() + node.dataLength();
        index(path, node);
    }

    /** Files a node under the index its kind needs: containers and TTL nodes for reaping, ephemerals by session. */
    private void index(String path, DataNode node) {
        long owner = node.ephemeralOwner;
        if (EphemeralType.isContainer(owner)) {
            containers.add(path);
        } else if (EphemeralType.isTtl(owner)) {
            ttls.add(path);
        } else if (owner != 0) {
            ephemerals.computeIfAbsent(owner, k -> new HashSet<>()).add(path);
        }
    }

    void restoreSession(long id, int timeout) {
        sessions.put(id, timeout);
    }

    void restoreSessionSecret(byte[] secret) {
        sessionSecret = secret;
    }

    void restoreLastProcessedZxid(long zxid) {
        lastProcessedZxid = zxid;
    }
}
