package io.paddock.node.role;

import io.paddock.node.cluster.PeerDirectory;
import io.paddock.protocol.peer.Notification;
import io.paddock.protocol.peer.PeerMessage;
import io.paddock.node.zab.ElectionTally;
import io.paddock.persistence.TxnLog;
import java.time.Duration;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;

/**
 * What every role does alike: keep the peer directory, note where the log is durable, answer
 * LOOKING peers with this node's current vote, report snapshot results, and stop the node if its
 * log stops.
 */
abstract class Role extends AbstractBehavior<PeerCommand> {
    protected final PeerContext peer;

    Role(PeerContext peer) {
        super(peer.actor);
        this.peer = peer;
        peer.actor.setLoggerName(getClass());
    }

    /** How long a log command may take before the node gives up on its disk. */
    static final Duration LOG_TIMEOUT = Duration.ofSeconds(60);

    /** Asks the log to persist {@code what}; {@code reply} comes back to this actor once it is durable. A failure stops the node. */
    void persist(Object what, Function<ActorRef<Done>, TxnLog.Command> command, PeerCommand reply) {
        getContext().ask(Done.class, peer.log, LOG_TIMEOUT, command::apply, (done, failure) -> {
            if (failure != null) {
                throw new IllegalStateException("the transaction log did not persist the " + what + ": " + failure);
            }
            return reply;
        });
    }

    /** The role's own handling of a peer's message (after the shared handling of notifications). */
    abstract Behavior<PeerCommand> onPeerMessage(PeerMessage message);

    /** The log is now durable up to {@code zxid}. */
    abstract Behavior<PeerCommand> onLogDurable(long zxid);

    /** A peer became (un)reachable according to the cluster's failure detector. */
    Behavior<PeerCommand> onReachability(long id, boolean reachable) {
        return this;
    }

    /** A snapshot the node asked for was saved (or not). */
    Behavior<PeerCommand> onSnapshotSaved(io.paddock.persistence.TxnLog.SnapshotResult result) {
        if (peer.purgeAfterSnapshot) {
            peer.purgeAfterSnapshot = false;
            purge();
        }
        peer.applier.snapshotSaved(result);
        if (result.saved()) {
            peer.server.stats().snapshotStored(result.zxid());
        }
        return this;
    }

    /**
     * The node serves (again): with autopurge on, it purges now, as ZooKeeper's DatadirCleanupManager
     * does on every server when it starts (after the snapshot being taken, so that it counts), and
     * every purgeInterval hours while it serves. Each role that serves calls this.
     */
    void startPurging() {
        int hours = peer.server.config().purgeIntervalHours();
        if (hours <= 0) {
            return;
        }
        if (peer.applier.snapshotInFlight()) {
            peer.purgeAfterSnapshot = true;
        } else {
            purge();
        }
        peer.timers.startTimerAtFixedRate(QuorumPeer.PurgeTick.INSTANCE, Duration.ofHours(hours));
    }

    private void purge() {
        peer.log.tell(new TxnLog.Purge(peer.server.config().snapRetainCount(), getContext().getSystem().ignoreRef()));
    }

    /** Learner {@code learner}'s link for {@code session} ended (its process, or its side, closed it). */
    Behavior<PeerCommand> onLearnerLinkLost(long learner, long session) {
        return this;
    }

    /** The handlers every role has; a role adds its own before calling this. */
    ReceiveBuilder<PeerCommand> shared(ReceiveBuilder<PeerCommand> builder) {
        return builder
            .onMessage(QuorumPeer.FromPeer.class, m -> {
                if (m.message() instanceof Notification n && !(this instanceof Looking)) {
                    // a restarted or lagging voter learns the established leader from the answers;
                    // observers never answer (two observers would answer each other for ever)
                    if (peer.announcement != null && peer.verifier.isVoter(peer.serverId())) {
                        ElectionTally.answerWhileNotLooking(peer.announcement, n)
                            .ifPresent(send -> peer.send(send.to(), send.notification()));
                    }
                    return this;
                }
                return onPeerMessage(m.message());
            })
            .onMessage(QuorumPeer.FromLearnerLink.class, m -> {
                peer.learnerLinkUsed(m.link());
                return onPeerMessage(m.message());
            })
            .onMessage(QuorumPeer.LearnerLinkLost.class, l -> peer.learnerLinkLost(l.link())
                ? onLearnerLinkLost(l.link().learner(), l.link().session()) : this)
            .onMessage(QuorumPeer.LogDurable.class, d -> {
                peer.logWritten();
                peer.lastLogged = Math.max(peer.lastLogged, d.lastZxid());
                peer.applier.logDurable(peer.lastLogged);
                peer.server.stats().logDurableTo(peer.lastLogged);
                return onLogDurable(d.lastZxid());
            })
            .onMessage(QuorumPeer.Directory.class, d -> {
                PeerDirectory.Event e = d.event();
                if (e instanceof PeerDirectory.PeerUp up) {
                    peer.peerUp(up.id(), up.ref());
                } else if (e instanceof PeerDirectory.PeerGone gone) {
                    peer.peerGone(gone.id());
                } else if (e instanceof PeerDirectory.Reachability r) {
                    return onReachability(r.id(), r.reachable());
                }
                return this;
            })
            .onMessage(QuorumPeer.SnapshotSaved.class, s -> onSnapshotSaved(s.result()))
            .onMessageEquals(QuorumPeer.PurgeTick.INSTANCE, () -> {
                purge();
                return this;
            })
            .onMessage(QuorumPeer.SnapshotSerialized.class, s -> {
                peer.applier.serialized(s.serialized());
                return this;
            })
            .onSignal(Terminated.class, t -> QuorumPeer.stop(peer,
                t.getRef().path().name() + " stopped; refusing to acknowledge any more writes" + QuorumPeer.rootCause(t)));
    }
}
