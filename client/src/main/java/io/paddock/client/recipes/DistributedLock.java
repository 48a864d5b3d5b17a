package io.paddock.client.recipes;

import io.paddock.client.SessionEvent;
import io.paddock.client.ZkClient;
import io.paddock.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fair, re-entrant distributed lock: Curator's {@code InterProcessMutex} layout (ephemeral
 * sequential {@code _c_<uuid>-lock-<seq>} nodes under the lock's path, each waiting on its
 * predecessor only), so it excludes Curator's mutexes on the same path and vice versa.
 *
 * <p>One object is one holder: acquiring it again while it holds the lock only counts up, and
 * it is free again after as many releases. Threads that must exclude each other use one object each.
 *
 * <p>A holding ends when the session can no longer vouch for it: on a disconnect (the client
 * sees it at 2/3 of the session timeout of silence; the server expires the session only after
 * the whole timeout, and only then can another holder be granted), on expiry or on close. The
 * lost listeners are called then, and the lock gives up its node as soon as it can.
 */
public final class DistributedLock {
    private final ZkClient zk;
    private final String path;
    private final String lockName;
    private final LockOrder order;
    private final List<String> lockNames;
    private final List<Runnable> lostListeners = new CopyOnWriteArrayList<>();
    private final Consumer<SessionEvent> sessionWatch = this::sessionChanged;

    // guarded by this
    private int disconnects;
    private int holds;
    private QueuePlace held;
    private CompletableFuture<Boolean> acquiring;
    /** True while a grant is being handed to the caller: a loss meanwhile is told right after. */
    private boolean granting;
    private QueuePlace lostWhileGranting;

    /** A mutex on {@code path}, as Curator's {@code InterProcessMutex(client, path)}. */
    public DistributedLock(ZkClient zk, String path) {
        this(zk, path, LockOrder.MUTEX_NAME, LockOrder.EXCLUSIVE, List.of(LockOrder.MUTEX_NAME));
    }

    DistributedLock(ZkClient zk, String path, String lockName, LockOrder order, List<String> lockNames) {
        this.zk = zk;
        this.path = path;
        this.lockName = lockName;
        this.order = order;
        this.lockNames = lockNames;
        zk.addSessionListener(sessionWatch);
    }

    /**
     * Calls {@code listener} when a holding is lost, on the session's event thread or the one
     * that completed the acquire (do not block): always after the acquire's stage completed, so
     * a holder that reads {@link #isHeld()} once it starts work cannot miss a loss.
     */
    public void addLostListener(Runnable listener) {
        lostListeners.add(listener);
    }

    /** Waits as long as it takes; fails only when the session ends. */
    public CompletionStage<Void> acquire() {
        return acquire(null).thenApply(granted -> null);
    }

    /**
     * True once held, false when {@code timeout} passed first (the place in the queue is then
     * given up); a null timeout waits as long as it takes.
     */
    public synchronized CompletionStage<Boolean> acquire(Duration timeout) {
        if (holds > 0) {
            holds++;
            return CompletableFuture.completedStage(true);
        }
        if (acquiring != null) { // this holder is already queueing: share that attempt, counting one more hold
            return acquiring.thenApply(granted -> {
                synchronized (this) {
                    if (granted) {
                        holds++;
                    }
                }
                return granted;
            });
        }
        QueuePlace place = new QueuePlace(zk, path, lockName, order, lockNames);
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        acquiring = result;
        QueuePlace.Turn turn = new QueuePlace.Turn() {
            @Override
            public int disconnects() {
                synchronized (DistributedLock.this) {
                    return disconnects;
                }
            }

            @Override
            public boolean take(int before) {
                synchronized (DistributedLock.this) {
                    if (before != disconnects || acquiring != result) {
                        return false;
                    }
                    holds = 1;
                    held = place;
                    acquiring = null;
                    granting = true;
                    return true;
                }
            }
        };
        queue(place, turn, result).whenComplete((granted, failure) -> {
            if (failure == null) {
                result.complete(true);
                QueuePlace lost;
                synchronized (this) {
                    granting = false;
                    lost = lostWhileGranting;
                    lostWhileGranting = null;
                }
                if (lost != null) {
                    lose(lost);
                }
                return;
            }
            place.leave(); // timed out, failed or cancelled: give the place up
            synchronized (this) {
                if (acquiring == result) {
                    acquiring = null;
                }
            }
            result.completeExceptionally(failure);
        });
        if (timeout != null) {
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
                synchronized (this) {
                    if (acquiring != result) {
                        return;
                    }
                    acquiring = null;
                }
                result.complete(false);
                place.cancel();
            });
        }
        return result;
    }

    /**
     * Enters the queue and waits for the turn. When the node vanished (an expiry the client
     * renewed took it, or someone deleted it) while this acquire still waits, queues again, as
     * Curator does: nothing was held, so nothing is lost.
     */
    private CompletionStage<Void> queue(QueuePlace place, QueuePlace.Turn turn, CompletableFuture<Boolean> result) {
        return place.enter(Nodes.EMPTY).thenCompose(node -> place.awaitTurn(turn)).handle((granted, failure) -> {
            if (failure == null) {
                return CompletableFuture.<Void>completedStage(null);
            }
            boolean again;
            synchronized (this) {
                again = Nodes.code(failure) == ErrorCode.NONODE && acquiring == result;
            }
            return again ? queue(place, turn, result) : CompletableFuture.<Void>failedStage(failure);
        }).thenCompose(s -> s);
    }

    /** Counts one hold down; the last one deletes the lock node. Completes at once when not held. */
    public CompletionStage<Void> release() {
        QueuePlace place;
        synchronized (this) {
            if (holds == 0 || --holds > 0) {
                return CompletableFuture.completedStage(null);
            }
            place = held;
            held = null;
        }
        return place.leave();
    }

    public synchronized boolean isHeld() {
        return holds > 0;
    }

    /** Stops listening to the session (the lock is released first if held). */
    public CompletionStage<Void> close() {
        QueuePlace place;
        synchronized (this) {
            holds = 0;
            place = held;
            held = null;
        }
        zk.removeSessionListener(sessionWatch);
        return place == null ? CompletableFuture.completedStage(null) : place.leave();
    }

    private void sessionChanged(SessionEvent event) {
        if (event.state() != SessionEvent.State.DISCONNECTED && !event.state().isTerminal()) {
            return; // a connection: what was lost stays lost
        }
        QueuePlace lost;
        synchronized (this) {
            disconnects++;
            lost = held;
            holds = 0;
            held = null;
            if (lost != null && granting) { // the caller has not heard of the grant yet: tell it first
                lostWhileGranting = lost;
                return;
            }
        }
        if (lost != null) {
            lose(lost);
        }
    }

    private void lose(QueuePlace lost) {
        lostListeners.forEach(Runnable::run);
        lost.leave(); // once reconnected, if the session survived: let the next one have it
    }
}
