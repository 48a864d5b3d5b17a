package io.paddock.node.inspect;

import io.paddock.node.context.ServerContext;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.DataTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;

/** What dump shows: when the sessions expire, and each session's ephemeral znodes. */
public final class SessionDump {
    private SessionDump() {
    }

    /** Per session with ephemerals (in id order), its ephemeral paths in name order. */
    public static Map<Long, List<String>> ephemerals(DataTree tree) {
        Map<Long, List<String>> out = new TreeMap<>();
        Lock lock = tree.readLock(); // the applier changes these maps under the write lock
        lock.lock();
        try {
            for (Long id : tree.sessions().keySet()) {
                var paths = tree.ephemeralsOf(id);
                if (!paths.isEmpty()) {
                    out.put(id, new ArrayList<>(new TreeSet<>(paths)));
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    /**
     * The live sessions by the tick at which each expires unless it is heard from, on the node's
     * monotonic clock (ms, as ZooKeeper's, whose buckets are on its elapsed-time clock too). Only
     * the node that expires sessions (the leader, a standalone node) knows this; on the others it
     * is empty, as on ZooKeeper's followers.
     */
    public static SortedMap<Long, List<Long>> expiryBuckets(ServerContext ctx) {
        SortedMap<Long, List<Long>> buckets = new TreeMap<>();
        if (ctx.leading() == null) {
            return buckets;
        }
        long tick = ctx.config().tickTime();
        for (SessionTracker.Session s : ctx.sessions().all()) {
            if (!s.closing()) {
                // grouped by tick as ZooKeeper groups them: checked every tick, a session expires
                // within a tick after its deadline
                long deadline = s.lastSeenMillis() + s.timeout();
                buckets.computeIfAbsent((deadline / tick + 1) * tick, t -> new ArrayList<>()).add(s.id());
            }
        }
        buckets.values().forEach(ids -> ids.sort(Long::compareUnsigned));
        return buckets;
    }
}
