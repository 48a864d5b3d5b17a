package io.paddock.client.recipes;

import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One place in a lock's queue: an ephemeral sequential node {@code _c_<id>-<lockName><seq>}
 * under {@code dir} (Curator's naming), and the wait for its turn under a {@link LockOrder}.
 * Used by the locks and the leader latch.
 */
final class QueuePlace {
    private final ZkClient zk;
    private final String dir;
    private final String lockName;
    private final LockOrder order;
    private final List<String> lockNames;
    private final String id = Nodes.newId();
    private volatile String path;
    private volatile CompletionStage<String> entered = CompletableFuture.completedStage(null);
    private volatile boolean cancelled;
    private volatile Wakeup waiting;

    QueuePlace(ZkClient zk, String dir, String lockName, LockOrder order, List<String> lockNames) {
        this.zk = zk;
        this.dir = dir;
        this.lockName = lockName;
        this.order = order;
        this.lockNames = lockNames;
    }

    /**
     * Joins the queue; completes with this place's node. Entering again (once the node is gone,
     * e.g. with the session that owned it) makes a new node at the back of the queue.
     */
    CompletionStage<String> enter(byte[] data) {
        CompletionStage<String> entering = Nodes.createProtected(zk, dir, id, lockName, data, CreateMode.EPHEMERAL_SEQUENTIAL)
            .thenApply(created -> path = created);
        entered = entering;
        return entering;
    }

    String path() {
        return path;
    }

    /** The owner's side of a turn: it takes the lock only if the session stayed connected throughout. */
    interface Turn {
        /** A count of the session's disconnects so far. */
        int disconnects();

        /** Takes the lock if {@link #disconnects()} is still {@code before}, atomically with that check. */
        boolean take(int before);
    }

    /**
     * Completes once {@code turn} took the lock, after a look at the queue with no disconnect
     * between that request and the taking. Fails with NONODE when the node is gone, with
     * CancellationException after {@link #cancel}.
     */
    CompletionStage<Void> awaitTurn(Turn turn) {
        if (cancelled) {
            return CompletableFuture.failedStage(new CancellationException("left the queue " + dir));
        }
        int before = turn.disconnects();
        String ours = Nodes.name(path);
        return Nodes.retry(() -> zk.getChildren(dir, false)).thenCompose(listed -> {
            if (!listed.children().contains(ours)) {
                throw Nodes.failure(ErrorCode.NONODE, path);
            }
            String ahead = order.waitFor(LockOrder.sort(listed.children(), lockNames), ours);
            if (ahead == null) {
                return turn.take(before) ? CompletableFuture.completedStage(null) : awaitTurn(turn);
            }
            String aheadPath = dir + "/" + ahead;
            Wakeup wakeup = Wakeup.on(zk, aheadPath);
            waiting = wakeup;
            if (cancelled) {
                wakeup.wake();
            }
            return wakeup.serving(Nodes.retry(() -> zk.exists(aheadPath, true)).thenCompose(stat -> {
                if (stat == null) {
                    wakeup.wake();
                }
                return wakeup.future();
            })).thenCompose(woken -> awaitTurn(turn));
        });
    }

    /** Stops a pending {@link #awaitTurn}. */
    void cancel() {
        cancelled = true;
        Wakeup w = waiting;
        if (w != null) {
            w.wake();
        }
    }

    /**
     * Deletes this place's node, once a create still in flight has made it (else it would stay in
     * the queue, owned by nobody's wait); retried across connection loss, done when the node or
     * the session is gone.
     */
    CompletionStage<Void> leave() {
        return entered.handle((created, failure) -> path).thenCompose(node -> node == null
            ? CompletableFuture.completedStage(null)
            : Nodes.retry(() -> zk.delete(node, -1)).handle((done, failure) -> null));
    }
}
