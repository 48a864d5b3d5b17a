package io.paddock.client.recipes;

import io.paddock.client.SessionEvent;
import io.paddock.client.WatchEvent;
import io.paddock.client.ZkClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Waits for something to look at again: a watch event on one path, a new connection (events
 * may have been missed meanwhile), or the end of the session. After an expiry the next look
 * fails with SESSIONEXPIRED when the client has ended, and runs in the new session when the
 * client renewed it, so a wait goes on across a renewal. Register it before the request
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
            if (event.state() != SessionEvent.State.DISCONNECTED) {
                woken.complete(null);
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

    /**
     * {@code wait}, the wait this wakeup serves: once it ends, however it ends, the wakeup stops
     * listening, so a look that failed leaves no listener behind.
     */
    <T> CompletionStage<T> serving(CompletionStage<T> wait) {
        return wait.whenComplete((done, failure) -> wake());
    }

    /** Wakes now: the caller looks again (or gives up) at once. */
    void wake() {
        woken.complete(null);
    }
}
