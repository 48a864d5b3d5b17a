package io.paddock.node.role;

import io.paddock.protocol.peer.LearnerMessage;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The OBSERVING role: a learner without a vote. It receives only committed txns (Inform), logs
 * and applies them at once, and acks nothing; it never counts toward a quorum.
 */
final class Observing extends Learner {
    Observing(PeerContext peer, long leader) {
        super(peer, leader, true);
    }

    @Override
    String mode() {
        return "observer";
    }

    @Override
    Behavior<PeerCommand> onBroadcast(LearnerMessage message) {
        if (message instanceof LearnerMessage.Inform inform && !inform.txns().isEmpty()) {
            peer.unapplied.addAll(inform.txns());
            String behind = peer.logTxns(inform.txns());
            applyUpTo(inform.txns().get(inform.txns().size() - 1).zxid());
            return behind == null ? this : end(behind);
        }
        return message instanceof LearnerMessage.Inform ? this
            : end("unexpected " + message.getClass().getSimpleName() + " while observing");
    }

    @Override
    void durableWhileServing(long zxid) {
        // an observer acks nothing
    }
}
