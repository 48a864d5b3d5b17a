package io.paddock.node.cnxn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The frames a connection reads while its connect still looks the session up (a resume of a
 * session this server has not seen yet). As ZooKeeper, which reads nothing more until the session
 * is set up, they are handled only once the lookup ends, in the order they came, each as soon as
 * the one before it has been handed on (not answered: a held read behind a held write must not
 * wait for the write's reply, nor for its own stage, which only completes once it has run).
 * Frames keep being held until every held one has been handed on, so none overtakes them.
 */
final class HeldFrames {
    /** Completes once the lookup has ended and every frame held so far has been handed on. */
    private volatile CompletableFuture<Void> handedOn = CompletableFuture.completedFuture(null);

    /** From now on, frames are held until {@code lookedUp} completes. */
    void holdUntil(CompletableFuture<Void> lookedUp) {
        handedOn = lookedUp;
    }

    boolean holding() {
        return !handedOn.isDone();
    }

    /**
     * Runs {@code handle} after the lookup and the frames held before this one; the stage returned
     * completes as the one {@code handle} returns does (failed, if it throws: as a frame not held).
     */
    synchronized CompletionStage<Void> hold(Supplier<CompletionStage<Void>> handle) {
        CompletableFuture<Void> handled = new CompletableFuture<>();
        handedOn = handedOn.thenRun(() -> {
            try {
                handle.get().whenComplete((ok, failure) -> {
                    if (failure != null) {
                        handled.completeExceptionally(failure);
                    } else {
                        handled.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                handled.completeExceptionally(e); // and the frames behind it still run
            }
        });
        return handled;
    }
}
