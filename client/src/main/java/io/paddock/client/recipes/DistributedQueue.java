package io.paddock.client.recipes;

import io.paddock.client.Op;
import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.ErrorCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A FIFO queue (ZooKeeper's recipe): each item is a persistent sequential node {@code qn-<seq>}
 * under the path, taken in sequence order by deleting it. Both ends act exactly once across
 * connection loss: each leaves a receipt with its write ({@link Nodes#applyOnce}), which tells
 * whether a write whose reply was lost was applied, so no item is lost or handed out twice. (An
 * offer cannot look for its item instead, as a protected create looks for its node: a consumer
 * may have taken it before the client looks.)
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
        Op item = Op.create(path + "/" + ITEM_NAME, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
        return Nodes.applyOnce(zk, path, List.of(item)).thenCompose(code -> switch (code) {
            case OK -> CompletableFuture.<Void>completedStage(null);
            case NONODE -> Nodes.ensurePath(zk, path).thenCompose(made -> offer(data));
            case CONNECTIONLOSS -> offer(data); // not applied
            default -> CompletableFuture.<Void>failedStage(Nodes.failure(code, path));
        });
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

    /**
     * Takes {@code items[i]}, or the next one when another consumer took it first (or the delete
     * was not applied, its reply lost); fails with the code of a delete the server refused.
     */
    private CompletionStage<byte[]> takeFirst(List<String> items, int i, boolean wait) {
        if (i == items.size()) {
            return next(wait);
        }
        String item = path + "/" + items.get(i);
        return Nodes.recover(Nodes.retry(() -> zk.getData(item, false)), ErrorCode.NONODE, null).thenCompose(read -> {
            if (read == null) {
                return takeFirst(items, i + 1, wait);
            }
            return Nodes.applyOnce(zk, path, List.of(Op.delete(item, -1))).thenCompose(code -> switch (code) {
                case OK -> CompletableFuture.completedStage(read.data());
                case NONODE, CONNECTIONLOSS -> takeFirst(items, i + 1, wait);
                default -> CompletableFuture.<byte[]>failedStage(Nodes.failure(code, item));
            });
        });
    }
}
