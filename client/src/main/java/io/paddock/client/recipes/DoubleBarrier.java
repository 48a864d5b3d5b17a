package io.paddock.client.recipes;

import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A double barrier (ZooKeeper's recipe, Curator's {@code DistributedDoubleBarrier} layout):
 * {@code members} participants each enter with an ephemeral node {@code path/<uuid>}; nobody is
 * through {@link #enter} before all have entered (the last to arrive creates {@code path/ready}),
 * and nobody is through {@link #leave} before all have left. One object is one member.
 */
public final class DoubleBarrier {
    private static final String READY = "ready";

    private final ZkClient zk;
    private final String path;
    private final int members;
    private final String ours;

    public DoubleBarrier(ZkClient zk, String path, int members) {
        this.zk = zk;
        this.path = path;
        this.members = members;
        this.ours = path + "/" + Nodes.newId();
    }

    /** Completes once all members have entered. */
    public CompletionStage<Void> enter() {
        return Nodes.ensureNode(zk, ours, Nodes.EMPTY, CreateMode.EPHEMERAL).thenCompose(done -> awaitReady());
    }

    /** Completes once all members have left. */
    public CompletionStage<Void> leave() {
        return Nodes.recover(Nodes.retry(() -> zk.delete(ours, -1)), ErrorCode.NONODE, null)
            .thenCompose(done -> awaitEmpty())
            // the barrier is over: take ready down for the next round (whoever gets there first)
            .thenCompose(done -> Nodes.recover(Nodes.retry(() -> zk.delete(path + "/" + READY, -1)), ErrorCode.NONODE, null));
    }

    private CompletionStage<Void> awaitReady() {
        String ready = path + "/" + READY;
        Wakeup wakeup = Wakeup.on(zk, ready);
        return Nodes.retry(() -> zk.exists(ready, true)).thenCompose(stat -> {
            if (stat != null) {
                wakeup.wake();
                return wakeup.future();
            }
            return Nodes.retry(() -> zk.getChildren(path, false)).thenCompose(listed -> {
                if (memberCount(listed.children()) < members) {
                    return wakeup.future().thenCompose(woken -> awaitReady());
                }
                wakeup.wake();
                return Nodes.ensureNode(zk, ready, Nodes.EMPTY, CreateMode.PERSISTENT);
            });
        });
    }

    /** Completes once no member is left. */
    private CompletionStage<Void> awaitEmpty() {
        Wakeup wakeup = Wakeup.on(zk, path);
        return Nodes.retry(() -> zk.getChildren(path, true)).thenCompose(listed -> {
            if (memberCount(listed.children()) == 0) {
                wakeup.wake();
                return CompletableFuture.completedStage(null);
            }
            return wakeup.future().thenCompose(woken -> awaitEmpty());
        });
    }

    private static int memberCount(List<String> children) {
        return (int) children.stream().filter(child -> !child.equals(READY) && !Nodes.isReceipt(child)).count();
    }
}
