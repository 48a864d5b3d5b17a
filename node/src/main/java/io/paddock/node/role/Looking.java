package io.paddock.node.role;

import io.paddock.node.zab.ElectionTally;
import io.paddock.node.zab.LearnerSync;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.Notification;
import io.paddock.protocol.peer.PeerMessage;
import io.paddock.protocol.peer.ServerState;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The LOOKING role: fast leader election. The node votes with what it has durably logged,
 * exchanges notifications with the other servers (resending while undecided, 200 ms at first and
 * backing off to tickTime, so that a node joining an established ensemble learns its leader
 * quickly), and once the election decides becomes Leading, Following or Observing. It serves no
 * clients meanwhile.
 */
final class Looking extends Role {
    sealed interface Command extends PeerCommand {
    }

    private enum FinalizeWait implements Command { INSTANCE }

    private enum Resend implements Command { INSTANCE }

    /** ZooKeeper's finalizeWait: once a quorum agrees, wait this long for a better vote. */
    private static final Duration FINALIZE_WAIT = Duration.ofMillis(200);
    private static final Duration FIRST_RESEND = Duration.ofMillis(200);

    private final ElectionTally tally;
    /** When this node began to look, to time the election. */
    private final long began = System.nanoTime();
    private Duration resendAfter = FIRST_RESEND;

    static Behavior<PeerCommand> start(PeerContext peer, String why) {
        peer.timers.cancelAll();
        peer.server.stopServing("looking");
        peer.server.metrics().looking();
        peer.announcement = null;
        peer.earlyFollowerInfos.clear();
        peer.actor.getLog().info("LOOKING ({}): voting with last logged zxid 0x{}, current epoch {}", why,
            Long.toHexString(peer.lastLogged), peer.currentEpoch);
        Looking looking = new Looking(peer);
        return looking.act(looking.tally.start());
    }

    private Looking(PeerContext peer) {
        super(peer);
        this.tally = new ElectionTally(peer.serverId(), peer.verifier, peer.logicalClock, peer.lastLogged,
            peer.currentEpoch);
    }

    @Override
    public Receive<PeerCommand> createReceive() {
        return shared(newReceiveBuilder()
            .onMessageEquals(FinalizeWait.INSTANCE, () -> act(tally.finalizeTimeout()))
            .onMessageEquals(Resend.INSTANCE, () -> {
                resendAfter = resendAfter.multipliedBy(2).compareTo(Duration.ofMillis(peer.server.config().tickTime())) > 0
                    ? Duration.ofMillis(peer.server.config().tickTime()) : resendAfter.multipliedBy(2);
                return act(tally.resend());
            })
            // a write from a client that connected just before the election: its connection is closed
            .onMessage(QuorumPeer.Submit.class, s -> this))
            .build();
    }

    @Override
    Behavior<PeerCommand> onPeerMessage(PeerMessage message) {
        if (message instanceof Notification n) {
            return act(tally.receive(n));
        }
        if (message instanceof LearnerMessage.FollowerInfo info) {
            peer.earlyFollowerInfos.put(info.sender(), info); // kept for when the election is decided
        } else if (message instanceof LearnerMessage m) {
            // other learner traffic belongs to an earlier leadership: its learner must look again
            LearnerSync.notLeading(peer.serverId(), m, "it is looking").ifPresent(e -> peer.send(m.sender(), e));
        }
        return this;
    }

    @Override
    Behavior<PeerCommand> onLogDurable(long zxid) {
        return this;
    }

    private Behavior<PeerCommand> act(List<ElectionTally.Action> actions) {
        for (ElectionTally.Action action : actions) {
            if (action instanceof ElectionTally.Send send) {
                peer.send(send.to(), send.notification());
            } else if (action == ElectionTally.StartFinalizeWait.INSTANCE) {
                peer.timers.startSingleTimer(FinalizeWait.INSTANCE, FINALIZE_WAIT);
            } else if (action instanceof ElectionTally.Decision d) {
                peer.logicalClock = tally.logicalClock();
                peer.announcement = d.announcement();
                peer.timers.cancelAll();
                getContext().getLog().info("election decided: server {} leads (election epoch {}); this node is {}",
                    d.leader(), tally.logicalClock(), d.state());
                peer.server.metrics().electionDecided(System.nanoTime() - began);
                if (d.state() == ServerState.LEADING) {
                    return Leading.elected(peer);
                }
                peer.earlyFollowerInfos.values().forEach(info -> LearnerSync.notLeading(peer.serverId(), info,
                    "it follows server " + d.leader()).ifPresent(e -> peer.send(info.sender(), e)));
                peer.earlyFollowerInfos.clear();
                return Learner.follow(peer, d.leader(), d.state() == ServerState.OBSERVING);
            }
        }
        peer.logicalClock = tally.logicalClock();
        if (!peer.timers.isTimerActive(Resend.INSTANCE)) {
            peer.timers.startSingleTimer(Resend.INSTANCE, resendAfter);
        }
        return this;
    }
}
