package io.paddock.client.recipes;

import io.paddock.client.MultiResult;
import io.paddock.client.Op;
import io.paddock.client.ZkClient;
import io.paddock.client.ZkSession;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.data.Acl;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;

/** What every recipe needs of the facade: error codes, parents, retries and writes that happen exactly once. */
final class Nodes {
    static final byte[] EMPTY = new byte[0];
    /** Curator's prefix for a node whose name carries its creator's id, so a lost reply can be checked. */
    static final String PROTECTED_PREFIX = "_c_";
    /** Prefix of the ephemeral receipt a write leaves so a lost reply can be checked. */
    private static final String RECEIPT_PREFIX = "_r_";

    private Nodes() {
    }

    /** The ZooKeeper error code behind a failed stage, or null for any other failure. */
    static ErrorCode code(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return t instanceof KeeperException k ? k.code() : null;
    }

    static CompletionException failure(ErrorCode code, String path) {
        return new CompletionException(KeeperException.create(code, path));
    }

    /** {@code value} unless the stage failed with {@code code}, which yields {@code otherwise}. */
    static <T> CompletionStage<T> recover(CompletionStage<T> stage, ErrorCode code, T otherwise) {
        return stage.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            if (code(failure) == code) {
                return otherwise;
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }

    /**
     * Runs an idempotent request again after CONNECTIONLOSS: the session queues it until it is
     * connected again, and fails it with SESSIONEXPIRED once the session is over.
     */
    static <T> CompletionStage<T> retry(Supplier<CompletionStage<T>> request) {
        return request.get().handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedStage(value);
            }
            if (code(failure) == ErrorCode.CONNECTIONLOSS) {
                return retry(request);
            }
            return CompletableFuture.<T>failedStage(failure);
        }).thenCompose(s -> s);
    }

    /** Creates {@code path} and its missing ancestors as persistent nodes. */
    static CompletionStage<Void> ensurePath(ZkClient zk, String path) {
        CompletionStage<Void> chain = CompletableFuture.completedStage(null);
        for (int i = path.indexOf('/', 1); ; i = path.indexOf('/', i + 1)) {
            String prefix = i < 0 ? path : path.substring(0, i);
            chain = chain.thenCompose(done -> recover(
                retry(() -> zk.create(prefix, EMPTY, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)), ErrorCode.NODEEXISTS, null)
                .thenApply(created -> null));
            if (i < 0) {
                return chain;
            }
        }
    }

    /** Creates the missing ancestors of {@code path}. */
    static CompletionStage<Void> ensureParent(ZkClient zk, String path) {
        int slash = path.lastIndexOf('/');
        return slash > 0 ? ensurePath(zk, path.substring(0, slash)) : CompletableFuture.completedStage(null);
    }

    /** Creates {@code path} (and its ancestors) unless it exists. */
    static CompletionStage<Void> ensureNode(ZkClient zk, String path, byte[] data, CreateMode mode) {
        return ensureParent(zk, path).thenCompose(done -> recover(
            retry(() -> zk.create(path, data, Acl.OPEN_ACL_UNSAFE, mode)), ErrorCode.NODEEXISTS, null))
            .thenApply(created -> null);
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * Creates {@code dir/_c_<id>-<name>} (sequential modes append the sequence) exactly once:
     * after CONNECTIONLOSS it looks for a child carrying {@code id} before trying again, as
     * Curator's protected mode does, but after a sync, so that a server behind the create does not
     * make it look lost (Curator looks without one). Creates {@code dir} when it is missing. Completes with the path.
     */
    static CompletionStage<String> createProtected(ZkClient zk, String dir, String id, String name, byte[] data,
                                                   CreateMode mode) {
        String prefix = PROTECTED_PREFIX + id + "-";
        return zk.create(dir + "/" + prefix + name, data, Acl.OPEN_ACL_UNSAFE, mode).handle((created, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedStage(created.path());
            }
            ErrorCode code = code(failure);
            if (code == ErrorCode.NONODE) {
                return ensurePath(zk, dir).thenCompose(done -> createProtected(zk, dir, id, name, data, mode));
            }
            if (code != ErrorCode.CONNECTIONLOSS) {
                return CompletableFuture.<String>failedStage(failure);
            }
            return readSynced(zk, dir, () -> zk.getChildren(dir, false))
                .thenCompose(children -> children.children().stream()
                    .filter(child -> child.startsWith(prefix)).findFirst()
                    .map(child -> CompletableFuture.completedStage(dir + "/" + child))
                    .orElseGet(() -> createProtected(zk, dir, id, name, data, mode).toCompletableFuture()));
        }).thenCompose(s -> s);
    }

    /**
     * {@code read} of {@code path}, after a sync: how a recipe looks for the outcome of a write whose
     * reply was lost. The write may still be on its way through the ensemble, and the server the
     * client reconnected to may not have it yet (a follower that has not yet seen its leader die).
     */
    static <T> CompletionStage<T> readSynced(ZkClient zk, String path, Supplier<CompletionStage<T>> read) {
        return retry(() -> zk.sync(path)).thenCompose(synced -> retry(read));
    }

    /** A fresh id for a protected node or a receipt. */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Applies {@code ops} atomically and exactly once: OK when they were applied, else the code of
     * the op that rolled the multi back, or CONNECTIONLOSS when they were not applied and the reply
     * that said why was lost. With the ops goes an ephemeral receipt under {@code receiptDir}:
     * after CONNECTIONLOSS the receipt tells whether the ops were applied, so a conditional write
     * (a version check, a delete another client may win) is never mistaken for a lost race, nor a
     * node someone else removed since for one never made. The receipt lives as long as the session: when the client renewed its session meanwhile,
     * a missing receipt proves nothing, and the stage fails with SESSIONEXPIRED.
     */
    static CompletionStage<ErrorCode> applyOnce(ZkClient zk, String receiptDir, List<Op> ops) {
        ActorRef<ZkSession.Command> session = zk.session(); // a renewal replaces it before any request reaches the new session
        String receipt = receiptDir + "/" + RECEIPT_PREFIX + newId();
        List<Op> withReceipt = new ArrayList<>(ops);
        withReceipt.add(Op.create(receipt, EMPTY, Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
        return zk.multi(withReceipt).handle((MultiResult result, Throwable failure) -> {
            if (failure == null) {
                return CompletableFuture.completedStage(result.committed() ? ErrorCode.OK : result.error());
            }
            if (code(failure) != ErrorCode.CONNECTIONLOSS) {
                return CompletableFuture.<ErrorCode>failedStage(failure);
            }
            return readSynced(zk, receipt, () -> zk.exists(receipt, false))
                .thenApply(stat -> {
                    if (stat == null && zk.session() != session) {
                        throw failure(ErrorCode.SESSIONEXPIRED, receipt); // applied or not, the receipt went with the old session
                    }
                    return stat != null ? ErrorCode.OK : ErrorCode.CONNECTIONLOSS;
                });
        }).thenCompose(s -> s).thenCompose(code -> code != ErrorCode.OK ? CompletableFuture.completedStage(code)
            // applied, whatever becomes of the receipt: an ephemeral, it goes with the session at worst
            // (a failure here, such as an expiry, would report an applied write as failed)
            : retry(() -> zk.delete(receipt, -1)).handle((gone, failure) -> code));
    }

    /** True for names of nodes a recipe owns for itself (receipts), which are not the recipe's data. */
    static boolean isReceipt(String name) {
        return name.startsWith(RECEIPT_PREFIX);
    }
}
