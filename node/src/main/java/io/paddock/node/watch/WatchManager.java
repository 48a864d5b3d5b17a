package io.paddock.node.watch;

import io.paddock.protocol.EventType;
import io.paddock.protocol.PathUtils;
import io.paddock.protocol.WatcherType;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every watch the server holds, by path and kind. One-shot data watches (getData, exists) and
 * child watches (getChildren) are removed when they fire; persistent and persistent-recursive
 * watches (addWatch) stay until removed or their connection closes.
 *
 * <p>Watches are added by readers that run concurrently under the tree's read lock and fired by
 * the applier under the write lock, hence the monitor on every method.
 */
public final class WatchManager {
    private enum Kind { DATA, CHILD, PERSISTENT, RECURSIVE }

    private final Map<Kind, Map<String, Set<Watcher>>> byKind = new HashMap<>();
    private final Map<Watcher, Map<Kind, Set<String>>> byWatcher = new IdentityHashMap<>();
    private int recursiveCount;

    public WatchManager() {
        for (Kind k : Kind.values()) {
            byKind.put(k, new HashMap<>());
        }
    }

    public synchronized void addDataWatch(String path, Watcher w) {
        add(Kind.DATA, path, w);
    }

    public synchronized void addChildWatch(String path, Watcher w) {
        add(Kind.CHILD, path, w);
    }

    public synchronized void addPersistentWatch(String path, Watcher w, boolean recursive) {
        add(recursive ? Kind.RECURSIVE : Kind.PERSISTENT, path, w);
    }

    private void add(Kind kind, String path, Watcher w) {
        boolean added = byKind.get(kind).computeIfAbsent(path, p -> new LinkedHashSet<>(2)).add(w);
        byWatcher.computeIfAbsent(w, x -> new HashMap<>()).computeIfAbsent(kind, k -> new HashSet<>()).add(path);
        if (added && kind == Kind.RECURSIVE) {
            recursiveCount++;
        }
    }

    private boolean remove(Kind kind, String path, Watcher w) {
        Map<String, Set<Watcher>> map = byKind.get(kind);
        Set<Watcher> set = map.get(path);
        if (set == null || !set.remove(w)) {
            return false;
        }
        if (set.isEmpty()) {
            map.remove(path);
        }
        forget(w, kind, path);
        if (kind == Kind.RECURSIVE) {
            recursiveCount--;
        }
        return true;
    }

    /** Drops one (kind, path) entry from a watcher's index. */
    private void forget(Watcher w, Kind kind, String path) {
        Map<Kind, Set<String>> kinds = byWatcher.get(w);
        if (kinds == null) {
            return;
        }
        Set<String> paths = kinds.get(kind);
        if (paths != null) {
            paths.remove(path);
            if (paths.isEmpty()) {
                kinds.remove(kind);
            }
        }
        if (kinds.isEmpty()) {
            byWatcher.remove(w);
        }
    }

    private static Kind[] kindsOf(WatcherType type) {
        switch (type) {
            case CHILDREN: return new Kind[] {Kind.CHILD};
            case DATA: return new Kind[] {Kind.DATA};
            case PERSISTENT: return new Kind[] {Kind.PERSISTENT};
            case PERSISTENT_RECURSIVE: return new Kind[] {Kind.RECURSIVE};
            default: return Kind.values();
        }
    }

    /** Whether {@code w} holds a watch of this type on {@code path} (checkWatches). */
    public synchronized boolean contains(String path, WatcherType type, Watcher w) {
        for (Kind k : kindsOf(type)) {
            Set<Watcher> set = byKind.get(k).get(path);
            if (set != null && set.contains(w)) {
                return true;
            }
        }
        return false;
    }

    /** Removes {@code w}'s watches of this type on {@code path}; false when it had none (NOWATCHER). */
    public synchronized boolean remove(String path, WatcherType type, Watcher w) {
        boolean removed = false;
        for (Kind k : kindsOf(type)) {
            removed |= remove(k, path, w);
        }
        return removed;
    }

    /** Drops every watch of a closed connection. */
    public synchronized void removeWatcher(Watcher w) {
        Map<Kind, Set<String>> kinds = byWatcher.remove(w);
        if (kinds == null) {
            return;
        }
        for (Map.Entry<Kind, Set<String>> e : kinds.entrySet()) {
            Map<String, Set<Watcher>> map = byKind.get(e.getKey());
            for (String path : e.getValue()) {
                Set<Watcher> set = map.get(path);
                if (set != null && set.remove(w)) {
                    if (e.getKey() == Kind.RECURSIVE) {
                        recursiveCount--;
                    }
                    if (set.isEmpty()) {
                        map.remove(path);
                    }
                }
            }
        }
    }

    /**
     * Fires the watches a change of {@code type} at {@code path} triggers, at most one event per
     * watcher. NodeChildrenChanged is fired at the parent and reaches child watches and plain
     * persistent watches, never recursive ones (they see the child's own event instead).
     */
    public synchronized void trigger(String path, EventType type, long zxid) {
        Set<Watcher> targets = null;
        switch (type) {
            case NODE_CREATED:
            case NODE_DATA_CHANGED:
                targets = take(Kind.DATA, path, null);
                break;
            case NODE_DELETED:
                targets = take(Kind.DATA, path, null);
                targets = take(Kind.CHILD, path, targets);
                break;
            case NODE_CHILDREN_CHANGED:
                targets = take(Kind.CHILD, path, null);
                break;
            default:
                return;
        }
        targets = collect(byKind.get(Kind.PERSISTENT).get(path), targets);
        if (type != EventType.NODE_CHILDREN_CHANGED && recursiveCount > 0) {
            Map<String, Set<Watcher>> recursive = byKind.get(Kind.RECURSIVE);
            String p = path;
            while (true) {
                targets = collect(recursive.get(p), targets);
                if (p.equals("/")) {
                    break;
                }
                p = PathUtils.normalize(PathUtils.parentOf(p));
            }
        }
        if (targets != null) {
            for (Watcher w : targets) {
                w.process(type, path, zxid);
            }
        }
    }

    private Set<Watcher> take(Kind kind, String path, Set<Watcher> into) {
        Set<Watcher> set = byKind.get(kind).remove(path);
        if (set == null) {
            return into;
        }
        for (Watcher w : set) {
            forget(w, kind, path);
        }
        return collect(set, into);
    }

    private static Set<Watcher> collect(Set<Watcher> from, Set<Watcher> into) {
        if (from == null || from.isEmpty()) {
            return into;
        }
        if (into == null) {
            into = new LinkedHashSet<>();
        }
        into.addAll(from);
        return into;
    }

    /**
     * mntr's zk_watch_count: the watches in ZooKeeper's data table plus those in its child table
     * (a persistent watch is in both, so it counts twice, as in ZooKeeper).
     */
    public synchronized int watchCount() {
        return count(watchesByPath(false)) + count(watchesByPath(true));
    }

    /** The watches in one table of {@link #watchesByPath}. */
    public static int count(Map<String, Set<Watcher>> table) {
        int n = 0;
        for (Set<Watcher> s : table.values()) {
            n += s.size();
        }
        return n;
    }

    public synchronized int watchedPathCount() {
        Set<String> paths = new HashSet<>();
        for (Map<String, Set<Watcher>> m : byKind.values()) {
            paths.addAll(m.keySet());
        }
        return paths.size();
    }

    public synchronized int watcherCount() {
        return byWatcher.size();
    }

    /**
     * A copy of the watches by path, as ZooKeeper keeps them in one of its two tables, for the
     * four-letter words wchs, wchc, wchp and mntr: the data table holds data and exists watches,
     * the child table child watches; persistent and persistent-recursive watches are in both, as
     * ZooKeeper's addWatch puts them.
     */
    public synchronized Map<String, Set<Watcher>> watchesByPath(boolean childTable) {
        // null first: ZooKeeper takes addWatch (and setWatches2's persistent lists) with a null path
        Map<String, Set<Watcher>> out = new TreeMap<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Kind k : childTable ? new Kind[] {Kind.CHILD, Kind.PERSISTENT, Kind.RECURSIVE}
            : new Kind[] {Kind.DATA, Kind.PERSISTENT, Kind.RECURSIVE}) {
            for (Map.Entry<String, Set<Watcher>> e : byKind.get(k).entrySet()) {
                out.computeIfAbsent(e.getKey(), p -> new LinkedHashSet<>()).addAll(e.getValue());
            }
        }
        return out;
    }
}
