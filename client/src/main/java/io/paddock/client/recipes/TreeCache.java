package io.paddock.client.recipes;

import io.paddock.client.DataResult;
import io.paddock.client.SessionEvent;
import io.paddock.client.WatchEvent;
import io.paddock.client.ZkClient;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Stat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A local mirror of the subtree at {@code root}, kept up to date through one persistent
 * recursive watch: each created or changed node is read again, each deleted one dropped. A
 * stale read never overwrites a newer one (nodes are compared by mzxid, deletes by the
 * event's zxid). The watch misses changes made while the session is disconnected, so after
 * every reconnect the tree is walked again and the differences reported. An expiry drops the
 * watch on the server: a client that renews its session sets it again in the new session and
 * walks the tree again the same way.
 */
public final class TreeCache {
    public enum Type { ADDED, CHANGED, REMOVED, INITIALIZED }

    /** A cached node. */
    public record Node(String path, byte[] data, Stat stat) {
    }

    /** A change of the mirror; {@code node} is null for INITIALIZED (the first walk is done). */
    public record Event(Type type, Node node) {
    }

    private final ZkClient zk;
    private final String root;
    private final List<Consumer<? super Event>> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<WatchEvent> watch = this::watched;
    private final Consumer<SessionEvent> session = this::sessionChanged;
    private final Function<ZkClient, CompletionStage<?>> renewal = renewed -> rewalk();

    // guarded by this
    private final SortedMap<String, Entry> nodes = new TreeMap<>();
    /** The zxid each path was last deleted at: reads of an older incarnation are stale. */
    private final Map<String, Long> deletedAt = new HashMap<>();
    private int reading;
    private long touches;
    private boolean walking;
    private boolean walkAgain;
    private boolean closed;

    private record Entry(Node node, long touched) {
    }

    public TreeCache(ZkClient zk, String root) {
        this.zk = zk;
        this.root = root;
    }

    /**
     * Listeners are called with the cache's monitor held, so they see the changes in the order
     * they were applied, on the session's event thread or a reply's: do not block in them.
     */
    public void addListener(Consumer<? super Event> listener) {
        listeners.add(listener);
    }

    /** Sets the watch and walks the tree; completes (after INITIALIZED) once the first walk is done. */
    public CompletionStage<Void> start() {
        zk.addWatchListener(watch);
        zk.addSessionListener(session);
        zk.onNewSession(renewal);
        synchronized (this) {
            walking = true;
        }
        return walk().thenRun(() -> {
                synchronized (this) {
                    notify(new Event(Type.INITIALIZED, null));
                }
            });
    }

    /** The cached node at {@code path}, or null. */
    public synchronized Node current(String path) {
        Entry e = nodes.get(path);
        return e == null ? null : e.node();
    }

    /** Every cached node by path. */
    public synchronized SortedMap<String, Node> snapshot() {
        SortedMap<String, Node> copy = new TreeMap<>();
        nodes.forEach((path, e) -> copy.put(path, e.node()));
        return copy;
    }

    /**
     * Stops the cache: listeners hear nothing more, a walk under way reads no further, and the
     * watch is removed from the server. A walk sets its watch and close removes it each holding
     * the monitor, so the server sees them in that order and none is left behind.
     */
    public CompletionStage<Void> close() {
        zk.removeWatchListener(watch);
        zk.removeSessionListener(session);
        zk.removeNewSessionHook(renewal);
        CompletionStage<Void> removed;
        synchronized (this) {
            closed = true;
            removed = zk.removeWatches(root, WatcherType.PERSISTENT_RECURSIVE).handle((done, failure) -> null);
        }
        return removed;
    }

    private boolean inTree(String path) {
        return path.equals(root) || path.startsWith(root.equals("/") ? "/" : root + "/");
    }

    private void watched(WatchEvent event) {
        if (event.path() == null || !inTree(event.path())) {
            return;
        }
        switch (event.type()) {
            case NODE_CREATED, NODE_DATA_CHANGED -> read(event.path());
            case NODE_DELETED -> deleted(event.path(), event.zxid());
            default -> { }
        }
    }

    /** After a reconnect of the same session; a new session's walk is the new-session hook's. */
    private void sessionChanged(SessionEvent event) {
        if (event.state() == SessionEvent.State.RECONNECTED) {
            rewalk();
        }
    }

    /** Walks the tree again now, or after the walk under way. */
    private CompletionStage<Void> rewalk() {
        synchronized (this) {
            walkAgain = walking;
            if (walking) {
                return CompletableFuture.completedStage(null);
            }
            walking = true;
        }
        return walk();
    }

    /** Reads a node and applies what it finds; completes with whether it exists. */
    private CompletionStage<Boolean> read(String path) {
        synchronized (this) {
            reading++;
        }
        return Nodes.recover(Nodes.retry(() -> zk.getData(path, false)), ErrorCode.NONODE, null)
            .thenApply(read -> read != null && apply(path, read))
            .whenComplete((exists, failure) -> {
                synchronized (this) {
                    // a read sent after a delete was seen cannot see what was deleted: with no read
                    // in flight, no read can be stale, and the deletes need not be remembered
                    if (--reading == 0) {
                        deletedAt.clear();
                    }
                }
            });
    }

    /**
     * Sets the watch (again: a renewed session has none) and walks the whole tree, then drops
     * what the walk did not find and nothing touched meanwhile. Runs again when a reconnect or
     * a new session came during it, even when it failed (e.g. with the expired session's
     * SESSIONEXPIRED); otherwise a failure ends it (the client is over).
     */
    private CompletionStage<Void> walk() {
        long start;
        synchronized (this) {
            start = touches;
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        return Nodes.retry(this::setWatch).thenCompose(watching -> visit(root, seen)).handle((done, failure) -> {
            boolean again;
            synchronized (this) {
                if (failure == null) {
                    nodes.entrySet().removeIf(e -> {
                        boolean gone = !seen.contains(e.getKey()) && e.getValue().touched() <= start;
                        if (gone) {
                            notify(new Event(Type.REMOVED, e.getValue().node()));
                        }
                        return gone;
                    });
                }
                again = walkAgain && !closed;
                walkAgain = false;
                walking = again;
            }
            return again;
        }).thenCompose(again -> again ? walk() : CompletableFuture.completedStage(null));
    }

    /** The walk's watch, unless the cache is closed (then nothing is sent and the walk finds nothing). */
    private synchronized CompletionStage<Void> setWatch() {
        return closed ? CompletableFuture.completedStage(null) : zk.addWatch(root, AddWatchMode.PERSISTENT_RECURSIVE);
    }

    /** Reads {@code path} and lists its children, and so on down, until the cache is closed. */
    private CompletionStage<Void> visit(String path, Set<String> seen) {
        if (isClosed()) {
            return CompletableFuture.completedStage(null);
        }
        return read(path).thenCompose(exists -> {
            if (!exists || isClosed()) {
                return CompletableFuture.completedStage(null);
            }
            seen.add(path);
            return Nodes.recover(Nodes.retry(() -> zk.getChildren(path, false)), ErrorCode.NONODE, null).thenCompose(listed -> {
                if (listed == null) {
                    return CompletableFuture.completedStage(null);
                }
                String prefix = path.equals("/") ? "/" : path + "/";
                return CompletableFuture.allOf(listed.children().stream()
                    .map(child -> visit(prefix + child, seen).toCompletableFuture()).toArray(CompletableFuture[]::new));
            });
        });
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Applies a read unless something newer is known; true (the node exists) either way. */
    private boolean apply(String path, DataResult read) {
        Node node = new Node(path, read.data(), read.stat());
        synchronized (this) {
            Long deleted = deletedAt.get(path);
            if (deleted != null && read.stat().mzxid() <= deleted) {
                return true; // an incarnation whose deletion was already applied
            }
            deletedAt.remove(path);
            Entry old = nodes.get(path);
            if (old != null && old.node().stat().mzxid() >= read.stat().mzxid()) {
                nodes.put(path, new Entry(old.node(), ++touches));
                return true;
            }
            nodes.put(path, new Entry(node, ++touches));
            notify(new Event(old == null ? Type.ADDED : Type.CHANGED, node));
        }
        return true;
    }

    private void deleted(String path, long zxid) {
        Entry old;
        synchronized (this) {
            old = nodes.get(path);
            if (zxid >= 0) {
                deletedAt.put(path, zxid);
            }
            // zxid -1: a server before 3.9 does not say when; the delete is the newest we know of
            if (old == null || (zxid >= 0 && old.node().stat().mzxid() > zxid)) {
                return;
            }
            nodes.remove(path);
            ++touches;
            notify(new Event(Type.REMOVED, old.node()));
        }
    }

    /** Called with the monitor held; a closed cache reports nothing. */
    private void notify(Event event) {
        if (!closed) {
            listeners.forEach(listener -> listener.accept(event));
        }
    }
}
