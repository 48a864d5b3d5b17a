package io.paddock.node.role;

import io.paddock.node.cluster.LearnerLink;
import io.paddock.node.zab.SessionChannel;
import io.paddock.protocol.peer.LearnerMessage;

/**
 * A serving follower's acks, sent from the journal's thread the moment its proposals are durable,
 * as ZooKeeper's follower sends them from its sync thread. The way through the TxnLog actor and
 * the role's dispatcher to the link's writer cost two more thread hand-offs on every write, and
 * waited behind whatever else the dispatcher had queued. The role still acks on LogDurable:
 * whichever comes first sends the Ack, the other finds it sent.
 *
 * <p>Every message of a learner session carries the next sequence number, so numbering a message
 * and queueing it on the link must be one step: the role sends its messages while serving inside
 * {@code synchronized (out)}, the lock this takes on the journal's thread.
 */
final class JournalAcks {
    private static final class Serving {
        final long self;
        final LearnerLink.Link link;
        final SessionChannel.Outgoing out;
        long acked; // guarded by out

        Serving(long self, LearnerLink.Link link, SessionChannel.Outgoing out) {
            this.self = self;
            this.link = link;
            this.out = out;
        }

        void ack(long zxid) {
            synchronized (out) {
                if (zxid > acked) {
                    acked = zxid;
                    link.send(new LearnerMessage.Ack(self, out.session(), out.next(), zxid));
                }
            }
        }
    }

    private volatile Serving serving;

    /** A follower serves on {@code link}: from now on its durable proposals are acked from any thread. */
    void serve(long self, LearnerLink.Link link, SessionChannel.Outgoing out) {
        serving = new Serving(self, link, out);
    }

    /** The session ended: nothing more is acked in it. */
    void stop() {
        serving = null;
    }

    /** The log is durable up to {@code zxid}: acks it in the serving session, unless acked already. Any thread. */
    void durable(long zxid) {
        Serving s = serving;
        if (s != null) {
            s.ack(zxid);
        }
    }
}
