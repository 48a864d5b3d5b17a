package io.paddock.client.recipes;

import io.paddock.client.SessionEvent;
import io.paddock.client.ZkClient;
import io.paddock.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Leader election as Curator's {@code LeaderLatch} does it: every participant queues an
 * ephemeral sequential {@code _c_<uuid>-latch-<seq>} node (its data is the participant id)
 * under the path, the first is the leader, each other one watches its predecessor. A
 * disconnect ends leadership at once (before the server could expire the session and let
 * another lead); after a reconnect the latch looks again and leads again if still first.
 * Closing gives leadership up. Listeners run on the session's event thread, in order, with
 * the latch's monitor held: do not block in them.
 */
public final class LeaderLatch {
    /** Told when this participant becomes leader and when it stops being leader. */
    public interface Listener {
        void isLeader();

        void notLeader();
    }

    private static final String LATCH_NAME = "latch-";

    private final ZkClient zk;
    private final String path;
    private final String participantId;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<SessionEvent> sessionWatch = this::sessionChanged;

    // guarded by this
    private QueuePlace place;
    private CompletionStage<String> entered;
    private boolean contending;
    private boolean leader;
    private boolean closed;
    private boolean expired;
    private int disconnects;

    public LeaderLatch(ZkClient zk, String path, String participantId) {
        this.zk = zk;
        this.path = path;
        this.participantId = participantId;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Joins the election; completes once this participant is in the queue. */
    public synchronized CompletionStage<Void> start() {
        if (entered != null) {
            throw new IllegalStateException("already started");
        }
        zk.addSessionListener(sessionWatch);
        return join().thenApply(node -> null);
    }

    public synchronized boolean hasLeadership() {
        return leader;
    }

    /** The participant id this latch stands for. */
    public String participantId() {
        return participantId;
    }

    /** Leaves the election (giving leadership up); completes once its node is deleted. */
    public CompletionStage<Void> close() {
        QueuePlace leaving;
        CompletionStage<String> joined;
        synchronized (this) {
            if (closed || entered == null) {
                closed = true;
                return CompletableFuture.completedStage(null);
            }
            closed = true;
            stepDown();
            leaving = place;
            joined = entered;
            leaving.cancel();
        }
        zk.removeSessionListener(sessionWatch);
        return joined.handle((node, failure) -> null).thenCompose(node -> leaving.leave());
    }

    private synchronized CompletionStage<String> join() {
        place = new QueuePlace(zk, path, LATCH_NAME, LockOrder.EXCLUSIVE, List.of(LATCH_NAME));
        entered = place.enter(participantId.getBytes(StandardCharsets.UTF_8));
        entered.thenRun(this::contend);
        return entered;
    }

    private void contend() {
        QueuePlace current;
        synchronized (this) {
            if (contending || closed || leader || place.path() == null) {
                return; // a node still being created is looked at once it exists
            }
            contending = true;
            current = place;
        }
        current.awaitTurn(new QueuePlace.Turn() {
            @Override
            public int disconnects() {
                synchronized (LeaderLatch.this) {
                    return disconnects;
                }
            }

            @Override
            public boolean take(int before) {
                synchronized (LeaderLatch.this) {
                    if (before != disconnects || closed || current != place) {
                        return false;
                    }
                    leader = true;
                    contending = false; // now, not when the stage completes: a reconnect may need a new look first
                    listeners.forEach(Listener::isLeader);
                    return true;
                }
            }
        }).exceptionally(failure -> {
            boolean again;
            synchronized (this) {
                contending = false;
                // our node was deleted under us while the session lives: queue again, as Curator does
                again = failure != null && Nodes.code(failure) == ErrorCode.NONODE && !closed && current == place;
            }
            if (again) {
                join();
            }
            return null;
        });
    }

    private void sessionChanged(SessionEvent event) {
        if (Nodes.connected(event)) {
            boolean rejoin;
            synchronized (this) {
                rejoin = expired && !closed;
                expired = false;
            }
            if (rejoin) {
                join(); // a new session after an expiry: our node went with the old one
            } else {
                contend(); // look again: still first, or someone's turn came while we were away
            }
            return;
        }
        synchronized (this) {
            disconnects++;
            stepDown();
            // an expiry ends the place, not the latch: a client that renews its session joins again
            expired |= event.state() == SessionEvent.State.EXPIRED;
            closed |= event.state().isTerminal() && !expired;
        }
    }

    private void stepDown() {
        if (leader) {
            leader = false;
            listeners.forEach(Listener::notLeader);
        }
    }
}
