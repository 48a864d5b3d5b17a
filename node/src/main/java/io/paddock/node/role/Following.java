package io.paddock.node.role;

import io.paddock.protocol.peer.LearnerMessage;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The FOLLOWING role: a voting learner. In the broadcast phase it logs every proposal, acks it
 * (cumulatively) once durable, and applies what the leader commits.
 */
final class Following extends Learner {
    private long acked;

    Following(PeerContext peer, long leader) {
        super(peer, leader, false);
    }

    @Override
    String mode() {
        return "follower";
    }

    @Override
    Behavior<PeerCommand> onBroadcast(LearnerMessage message) {
        if (message instanceof LearnerMessage.Proposal p) {
            peer.unapplied.addAll(p.txns());
            String behind = peer.logTxns(p.txns());
            return behind == null ? this : end(behind);
        }
        if (message instanceof LearnerMessage.Commit c) {
            applyUpTo(c.upToZxid());
            return this;
        }
        return end("unexpected " + message.getClass().getSimpleName() + " while following");
    }

    @Override
    void durableWhileServing(long zxid) {
        if (zxid > acked) {
            acked = zxid;
            peer.send(leader, new LearnerMessage.Ack(peer.serverId(), session(), nextSeq(), zxid));
        }
    }
}
