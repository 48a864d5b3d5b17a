package io.paddock.client;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.proto.SetWatches2;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watches a session has left on the server, and who hears each: kept so that each new
 * connection can set them again with SetWatches2 (watches live on the server per connection, so
 * without this a reconnect would silently lose them), and so that an event reaches the watchers
 * its watch was set for, with the rules of ZooKeeper's ZKWatchManager. One-shot watches leave the
 * table when they fire; persistent ones stay until removed. A path is in the table while at least
 * one watcher is; {@link Watcher.Session} stands for a plain {@code watch = true}.
 */
final class WatchTable {
    /** ZooKeeper's client splits setWatches into packets of at most this many bytes of paths. */
    static final int MAX_BATCH_BYTES = 128 * 1024;

    private final Map<String, Set<Watcher>> data = new HashMap<>();
    private final Map<String, Set<Watcher>> exist = new HashMap<>();
    private final Map<String, Set<Watcher>> child = new HashMap<>();
    private final Map<String, Set<Watcher>> persistent = new HashMap<>();
    private final Map<String, Set<Watcher>> recursive = new HashMap<>();

    /** An event the client itself owes a watcher: ZooKeeper's client tells removed watchers so. */
    record Notice(Watcher watcher, WatchEvent event) {
    }

    /** Notes the watch a request with a plain {@code watch = true} left on the server. */
    List<Notice> afterReply(ZkRequest<?> request, ErrorCode code) {
        return afterReply(request, code, Watcher.Session.INSTANCE);
    }

    /**
     * Notes the watch a request left on the server for {@code watcher}, which depends on how it
     * ended. A removeWatches takes the watchers of the named kinds away; the result holds the
     * removal events (DATA_, CHILD_ or PERSISTENT_WATCH_REMOVED, zxid -1) to tell them.
     */
    List<Notice> afterReply(ZkRequest<?> request, ErrorCode code, Watcher watcher) {
        if (request instanceof ZkRequest.GetData r && r.watch() && code == ErrorCode.OK) {
            add(data, r.path(), watcher);
        } else if (request instanceof ZkRequest.Exists r && r.watch()) {
            if (code == ErrorCode.OK) {
                add(data, r.path(), watcher);
            } else if (code == ErrorCode.NONODE) { // the server watches for the node's creation
                add(exist, r.path(), watcher);
            }
        } else if (request instanceof ZkRequest.GetChildren r && r.watch() && code == ErrorCode.OK) {
            add(child, r.path(), watcher);
        } else if (request instanceof ZkRequest.AddWatch r && code == ErrorCode.OK) {
            add(r.mode() == AddWatchMode.PERSISTENT_RECURSIVE ? recursive : persistent, r.path(), watcher);
        } else if (request instanceof ZkRequest.RemoveWatches r
            && (code == ErrorCode.OK || code == ErrorCode.NOWATCHER)) {
            Set<Notice> notices = new LinkedHashSet<>(); // a watcher in data and exist hears one DATA_WATCH_REMOVED
            for (Map<String, Set<Watcher>> kind : kindsOf(r.type())) {
                Set<Watcher> removed = kind.remove(r.path());
                if (removed != null) {
                    WatchEvent notice = new WatchEvent(removalOf(kind), r.path(), -1);
                    removed.stream().filter(w -> w != Watcher.Session.INSTANCE)
                        .forEach(w -> notices.add(new Notice(w, notice)));
                }
            }
            return List.copyOf(notices);
        }
        return List.of();
    }

    private EventType removalOf(Map<String, Set<Watcher>> kind) {
        if (kind == child) {
            return EventType.CHILD_WATCH_REMOVED;
        }
        return kind == data || kind == exist ? EventType.DATA_WATCH_REMOVED : EventType.PERSISTENT_WATCH_REMOVED;
    }

    /**
     * The watchers an event triggers, each once, and drops the one-shot watches it consumed on
     * the server. As in ZooKeeper: data and exist watches fire on created, changed and deleted,
     * child watches on children changed and deleted, persistent ones on every event of their
     * path, recursive ones on every event at or under theirs except children changed.
     */
    Set<Watcher> fired(EventType type, String path) {
        Set<Watcher> triggered = new LinkedHashSet<>();
        switch (type) {
            case NODE_CREATED, NODE_DATA_CHANGED -> {
                addAll(triggered, data.remove(path));
                addAll(triggered, exist.remove(path));
            }
            case NODE_DELETED -> {
                addAll(triggered, data.remove(path));
                addAll(triggered, exist.remove(path));
                addAll(triggered, child.remove(path));
            }
            case NODE_CHILDREN_CHANGED -> addAll(triggered, child.remove(path));
            default -> {
                return triggered; // removal notices and state events consume no watch
            }
        }
        addAll(triggered, persistent.get(path));
        if (type != EventType.NODE_CHILDREN_CHANGED) {
            for (String at = path; at != null; at = parent(at)) {
                addAll(triggered, recursive.get(at));
            }
        }
        triggered.remove(Watcher.Session.INSTANCE); // the session-wide listeners hear every event anyway
        return triggered;
    }

    /**
     * Removes one watcher of {@code type} from {@code path} (ZooKeeper's removeWatches with a
     * watcher) and returns whether the server's watch of that type is left without a watcher,
     * so the caller should remove it there too.
     */
    boolean removeWatcher(String path, WatcherType type, Watcher watcher) {
        boolean removed = false;
        boolean unused = true;
        for (Map<String, Set<Watcher>> kind : kindsOf(type)) {
            Set<Watcher> watchers = kind.get(path);
            if (watchers != null) {
                removed |= watchers.remove(watcher);
                if (watchers.isEmpty()) {
                    kind.remove(path);
                } else {
                    unused = false;
                }
            }
        }
        return removed && unused;
    }

    /** Every watcher in the table, each once. */
    Set<Watcher> watchers() {
        Set<Watcher> all = new LinkedHashSet<>();
        for (Map<String, Set<Watcher>> kind : List.of(data, exist, child, persistent, recursive)) {
            kind.values().forEach(all::addAll);
        }
        return all;
    }

    boolean isEmpty() {
        return data.isEmpty() && exist.isEmpty() && child.isEmpty() && persistent.isEmpty() && recursive.isEmpty();
    }

    /**
     * The SetWatches2 packets that set every watch again, each within {@link #MAX_BATCH_BYTES};
     * the table holds the client's paths, the packets the server's.
     */
    List<SetWatches2> setWatches(long relativeZxid, Chroot chroot) {
        List<Map<String, Set<Watcher>>> kinds = List.of(data, exist, child, persistent, recursive);
        List<SetWatches2> packets = new ArrayList<>();
        List<List<String>> batch = emptyBatch();
        int bytes = 0;
        for (int kind = 0; kind < kinds.size(); kind++) {
            for (String clientPath : kinds.get(kind).keySet()) {
                String path = chroot.prefix(clientPath);
                int size = 4 + path.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > 0 && bytes + size > MAX_BATCH_BYTES) {
                    packets.add(packet(relativeZxid, batch));
                    batch = emptyBatch();
                    bytes = 0;
                }
                batch.get(kind).add(path);
                bytes += size;
            }
        }
        if (bytes > 0) {
            packets.add(packet(relativeZxid, batch));
        }
        return packets;
    }

    private List<Map<String, Set<Watcher>>> kindsOf(WatcherType type) {
        return switch (type) {
            case DATA -> List.of(data, exist);
            case CHILDREN -> List.of(child);
            case PERSISTENT -> List.of(persistent);
            case PERSISTENT_RECURSIVE -> List.of(recursive);
            case ANY -> List.of(data, exist, child, persistent, recursive);
        };
    }

    private static void add(Map<String, Set<Watcher>> kind, String path, Watcher watcher) {
        kind.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(watcher);
    }

    private static void addAll(Set<Watcher> to, Set<Watcher> from) {
        if (from != null) {
            to.addAll(from);
        }
    }

    /** The parent path, or null for the root. */
    private static String parent(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    private static List<List<String>> emptyBatch() {
        return List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    private static SetWatches2 packet(long relativeZxid, List<List<String>> b) {
        return new SetWatches2(relativeZxid, b.get(0), b.get(1), b.get(2), b.get(3), b.get(4));
    }
}
