package io.paddock.client.recipes;

import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A double barrier (ZooKeeper's recipe, Curator's {@code DistributedDoubleBarrier} layout):
 * {@code members} participants each enter with an ephemeral node {@code path/<uuid>}; nobody is
 * through {@link #enter} before all have entered (the last to arrive creates {@code path/ready}),
 * and nobody is through {@link #leave} before all have left. One object is one member.
 *
 * <p>Membership lasts from {@code enter()} to {@code leave()}. An expiry takes the member's node
 * with it, and the others would count one member too few (and might leave too early): a client
 * that renews its session makes the node again in the new session, and a wait goes on there.
 */
public final class DoubleBarrier {
    private static final String READY = "ready";

    private final ZkClient zk;
    private final String path;
    private final int members;
    private final String ours;
    private final Function<ZkClient, CompletionStage<?>> renewal = renewed -> rejoin();

    // guarded by this
    private boolean member;
    /** The last re-creation of our node: a leave deletes it only after that. */
    private CompletionStage<Void> rejoining = CompletableFuture.completedStage(null);

    public DoubleBarrier(ZkClient zk, String path, int members) {
        this.zk = zk;
        this.path = path;
        this.members = members;
        this.ours = path + "/" + Nodes.newId();
    }

    /** Completes once all members have entered. */
    public CompletionStage<Void> enter() {
        synchronized (this) {
            member = true;
        }
        zk.onNewSession(renewal);
        return Nodes.ensureNode(zk, ours, Nodes.EMPTY, CreateMode.EPHEMERAL).thenCompose(done -> awaitReady());
    }

    /** Completes once all members have left. */
    public CompletionStage<Void> leave() {
        CompletionStage<Void> pending;
        synchronized (this) {
            member = false;
            pending = rejoining;
        }
        zk.removeNewSessionHook(renewal);
        return pending.handle((done, failure) -> null)
            .thenCompose(rejoined -> Nodes.recover(Nodes.retry(() -> zk.delete(ours, -1)), ErrorCode.NONODE, null))
            .thenCompose(done -> awaitEmpty())
            // the barrier is over: take ready down for the next round (whoever gets there first)
            .thenCompose(done -> Nodes.recover(Nodes.retry(() -> zk.delete(path + "/" + READY, -1)), ErrorCode.NONODE, null));
    }

    /** A new session after an expiry: our node went with the old one. */
    private synchronized CompletionStage<Void> rejoin() {
        if (member) {
            rejoining = Nodes.ensureNode(zk, ours, Nodes.EMPTY, CreateMode.EPHEMERAL);
        }
        return rejoining;
    }

    private CompletionStage<Void> awaitReady() {
        String ready = path + "/" + READY;
        Wakeup wakeup = Wakeup.on(zk, ready);
        return wakeup.serving(Nodes.retry(() -> zk.exists(ready, true)).thenCompose(stat -> {
            if (stat != null) {
                return CompletableFuture.completedStage(null);
            }
            return Nodes.retry(() -> zk.getChildren(path, false)).thenCompose(listed -> {
                if (memberCount(listed.children()) < members) {
                    return wakeup.future().thenCompose(woken -> awaitReady());
                }
                wakeup.wake();
                return Nodes.ensureNode(zk, ready, Nodes.EMPTY, CreateMode.PERSISTENT);
            });
        }));
    }

    /** Completes once no member is left. */
    private CompletionStage<Void> awaitEmpty() {
        Wakeup wakeup = Wakeup.on(zk, path);
        return wakeup.serving(Nodes.retry(() -> zk.getChildren(path, true)).thenCompose(listed ->
            memberCount(listed.children()) == 0 ? CompletableFuture.completedStage(null)
                : wakeup.future().thenCompose(woken -> awaitEmpty())));
    }

    private static int memberCount(List<String> children) {
        return (int) children.stream().filter(child -> !child.equals(READY) && !Nodes.isReceipt(child)).count();
    }
}
