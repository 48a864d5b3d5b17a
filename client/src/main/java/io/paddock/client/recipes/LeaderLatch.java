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
import java.util.function.Function;

/**
 * Leader election as Curator's {@code LeaderLatch} does it: every participant queues an
 * ephemeral sequential {@code _c_<uuid>-latch-<seq>} node (its data is the participant id)
 * under the path, the first is the leader, each other one watches its predecessor. A
 * disconnect ends leadership at once (before the server could expire the session and let
 * another lead); after a reconnect the latch looks again and leads again if still first. An
 * expiry takes the node with it: a client that renews its session queues the latch again (at
 * the back) in the new session. Closing gives leadership up. Listeners run on the session's
 * event thread, in order, with the latch's monitor held: do not block in them.
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
    private final Function<ZkClient, CompletionStage<?>> renewal = renewed -> rejoin();

    // guarded by this
    private QueuePlace place;
    private CompletionStage<String> entered;
    /** The place whose turn is being awaited, if any. */
    private QueuePlace contending;
    private boolean leader;
    private boolean closed;
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
        zk.onNewSession(renewal);
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
        synchronized (this) {
            if (closed || entered == null) {
                closed = true;
                return CompletableFuture.completedStage(null);
            }
            closed = true;
            stepDown();
            leaving = place;
            leaving.cancel();
        }
        zk.removeSessionListener(sessionWatch);
        zk.removeNewSessionHook(renewal);
        return leaving.leave();
    }

    /** Queues a new place; the one it replaces is given up, with its node if it has or gets one. */
    private synchronized CompletionStage<String> join() {
        QueuePlace previous = place;
        place = new QueuePlace(zk, path, LATCH_NAME, LockOrder.EXCLUSIVE, List.of(LATCH_NAME));
        if (previous != null) {
            previous.cancel();
            previous.leave();
        }
        entered = place.enter(participantId.getBytes(StandardCharsets.UTF_8));
        entered.thenRun(this::contend);
        return entered;
    }

    /** A new session after an expiry: the old one's node is gone, queue again. */
    private synchronized CompletionStage<?> rejoin() {
        return closed ? CompletableFuture.completedStage(null) : join();
    }

    private void contend() {
        QueuePlace current;
        synchronized (this) {
            if (contending == place || closed || leader || place.path() == null) {
                return; // a node still being created is looked at once it exists
            }
            contending = place;
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
                    contending = null; // now, not when the stage completes: a reconnect may need a new look first
                    listeners.forEach(Listener::isLeader);
                    return true;
                }
            }
        }).exceptionally(failure -> {
            boolean again;
            synchronized (this) {
                if (contending == current) {
                    contending = null;
                }
                // our node was deleted under us (by hand, or with an expired session): queue again, as Curator does
                again = Nodes.code(failure) == ErrorCode.NONODE && !closed && current == place;
            }
            if (again) {
                join();
            }
            return null;
        });
    }

    private void sessionChanged(SessionEvent event) {
        switch (event.state()) {
            case RECONNECTED -> contend(); // look again: still first, or someone's turn came while we were away
            case CONNECTED -> { } // a new session: the new-session hook queues again
            default -> {
                synchronized (this) {
                    disconnects++;
                    stepDown();
                }
            }
        }
    }

    private void stepDown() {
        if (leader) {
            leader = false;
            listeners.forEach(Listener::notLeader);
        }
    }
}
