package io.paddock.client.recipes;

import io.paddock.client.Op;
import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A FIFO queue (ZooKeeper's recipe): each item is a persistent sequential node
 * {@code _c_<uuid>-qn-<seq>} under the path, taken in sequence order by deleting it. Both ends
 * act exactly once across connection loss: an offer finds its node by its uuid, a take knows by
 * its receipt whether its delete was applied, so no item is lost or handed out twice.
 */
public final class DistributedQueue {
    private static final String ITEM_NAME = "qn-";
    private static final List<String> NAMES = List.of(ITEM_NAME);

    private final ZkClient zk;
    private final String path;

    public DistributedQueue(ZkClient zk, String path) {
        this.zk = zk;
        this.path = path;
    }

    /** Appends an item; completes once it is in the queue. */
    public CompletionStage<Void> offer(byte[] data) {
        return Nodes.createProtected(zk, path, Nodes.newId(), ITEM_NAME, data, CreateMode.PERSISTENT_SEQUENTIAL)
            .thenApply(created -> null);
    }

    /** Removes and returns the head, waiting for an item when the queue is empty. */
    public CompletionStage<byte[]> take() {
        return next(true);
    }

    /** Removes and returns the head, or null when the queue is empty. */
    public CompletionStage<byte[]> poll() {
        return next(false);
    }

    private CompletionStage<byte[]> next(boolean wait) {
        Wakeup wakeup = Wakeup.on(zk, path);
        return wakeup.serving(Nodes.recover(Nodes.retry(() -> zk.getChildren(path, wait)), ErrorCode.NONODE, null).thenCompose(listed -> {
            List<String> items = listed == null ? List.of()
                : LockOrder.sort(listed.children().stream().filter(child -> child.contains(ITEM_NAME)).toList(), NAMES);
            if (items.isEmpty() && wait && listed == null) { // nothing to watch yet: make the queue, then look again
                wakeup.wake();
                return Nodes.ensurePath(zk, path).thenCompose(done -> next(true));
            }
            if (items.isEmpty() && wait) {
                return wakeup.future().thenCompose(woken -> next(true));
            }
            wakeup.wake();
            return items.isEmpty() ? CompletableFuture.completedStage(null) : takeFirst(items, 0, wait);
        }));
    }

    /** Takes {@code items[i]}, or the next one when another consumer took it first. */
    private CompletionStage<byte[]> takeFirst(List<String> items, int i, boolean wait) {
        if (i == items.size()) {
            return next(wait);
        }
        String item = path + "/" + items.get(i);
        return Nodes.recover(Nodes.retry(() -> zk.getData(item, false)), ErrorCode.NONODE, null).thenCompose(read -> {
            if (read == null) {
                return takeFirst(items, i + 1, wait);
            }
            return Nodes.applyOnce(zk, path, List.of(Op.delete(item, -1)))
                .thenCompose(taken -> taken ? CompletableFuture.completedStage(read.data()) : takeFirst(items, i + 1, wait));
        });
    }
}
