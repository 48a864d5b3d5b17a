package io.paddock.client.recipes;

import io.paddock.client.Op;
import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A shared int in one node, stored as Curator's {@code SharedCount} stores it (4 bytes, big
 * endian), changed by compare-and-set on the node's version. A set is applied exactly once
 * across connection loss (its receipt tells), so {@link #add} never counts twice or drops one.
 */
public final class SharedCounter {
    /** The counter's value and the node version it was read at: what a compare-and-set compares. */
    public record Versioned(int value, int version) {
    }

    private final ZkClient zk;
    private final String path;
    private final int seed;

    /** A counter at {@code path}, created with {@code seed} unless it exists. */
    public SharedCounter(ZkClient zk, String path, int seed) {
        this.zk = zk;
        this.path = path;
        this.seed = seed;
    }

    public CompletionStage<Versioned> get() {
        return Nodes.recover(Nodes.retry(() -> zk.getData(path, false)), ErrorCode.NONODE, null).thenCompose(read -> read == null
            ? Nodes.ensureNode(zk, path, bytes(seed), CreateMode.PERSISTENT).thenCompose(created -> get())
            : CompletableFuture.completedStage(new Versioned(ByteBuffer.wrap(read.data()).getInt(), read.stat().version())));
    }

    /**
     * Sets {@code value} if the counter is still at {@code expected}'s version; false when someone
     * else changed it first (or it was not applied, its reply lost); fails with the code of a set
     * the server refused.
     */
    public CompletionStage<Boolean> compareAndSet(Versioned expected, int value) {
        return Nodes.applyOnce(zk, path, List.of(Op.setData(path, bytes(value), expected.version())))
            .thenCompose(code -> switch (code) {
                case OK -> CompletableFuture.completedStage(true);
                case BADVERSION, NONODE, CONNECTIONLOSS -> CompletableFuture.completedStage(false);
                default -> CompletableFuture.<Boolean>failedStage(Nodes.failure(code, path));
            });
    }

    /** Adds {@code delta}, retrying on contention; completes with the new value. */
    public CompletionStage<Integer> add(int delta) {
        return get().thenCompose(current -> compareAndSet(current, current.value() + delta)
            .thenCompose(set -> set ? CompletableFuture.completedStage(current.value() + delta) : add(delta)));
    }

    private static byte[] bytes(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }
}
