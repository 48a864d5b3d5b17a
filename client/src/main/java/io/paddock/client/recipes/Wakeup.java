package io.paddock.client.recipes;

import io.paddock.client.SessionEvent;
import io.paddock.client.WatchEvent;
import io.paddock.client.ZkClient;
import io.paddock.protocol.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Waits for something to look at again: a watch event on one path, or a new connection (events
 * may have been missed meanwhile). Fails when the session ends. Register it before the request
 * that sets the watch, so no event can slip past; a recipe always looks again after waking, so
 * waking for an event of another watch on the same path costs a read, never correctness.
 */
final class Wakeup {
    private final CompletableFuture<Void> woken = new CompletableFuture<>();
    private final Consumer<WatchEvent> watch;
    private final Consumer<SessionEvent> session;

    private Wakeup(ZkClient zk, String path) {
        this.watch = event -> {
            if (path.equals(event.path())) {
                woken.complete(null);
            }
        };
        this.session = event -> {
            if (Nodes.connected(event)) {
                woken.complete(null);
            } else if (event.state().isTerminal()) {
                woken.completeExceptionally(Nodes.failure(ErrorCode.SESSIONEXPIRED, path));
            }
        };
        woken.whenComplete((done, failure) -> {
            zk.removeWatchListener(watch);
            zk.removeSessionListener(session);
        });
    }

    static Wakeup on(ZkClient zk, String path) {
        Wakeup w = new Wakeup(zk, path);
        zk.addWatchListener(w.watch);
        zk.addSessionListener(w.session);
        return w;
    }

    CompletableFuture<Void> future() {
        return woken;
    }

    /** Wakes now: the caller looks again (or gives up) at once. */
    void wake() {
        woken.complete(null);
    }
}
