package io.paddock.client.recipes;

import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A barrier as in Curator's {@code DistributedBarrier}: while its node exists, waiters wait;
 * removing the node lets them all through.
 */
public final class Barrier {
    private final ZkClient zk;
    private final String path;

    public Barrier(ZkClient zk, String path) {
        this.zk = zk;
        this.path = path;
    }

    /** Raises the barrier (creating its parents); raising a raised barrier is fine. */
    public CompletionStage<Void> set() {
        return Nodes.ensureNode(zk, path, Nodes.EMPTY, CreateMode.PERSISTENT);
    }

    /** Lowers the barrier; lowering a lowered one is fine. */
    public CompletionStage<Void> remove() {
        return Nodes.recover(Nodes.retry(() -> zk.delete(path, -1)), ErrorCode.NONODE, null);
    }

    /** Completes once the barrier is down (at once when it is not up). */
    public CompletionStage<Void> await() {
        Wakeup wakeup = Wakeup.on(zk, path);
        return wakeup.serving(Nodes.retry(() -> zk.exists(path, true)).thenCompose(stat -> stat == null
            ? CompletableFuture.completedStage(null)
            : wakeup.future().thenCompose(woken -> await())));
    }
}
