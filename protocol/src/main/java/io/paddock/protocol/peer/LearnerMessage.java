package io.paddock.protocol.peer;

import io.paddock.protocol.data.Id;
import io.paddock.protocol.txn.Txn;
import java.util.List;

/**
 * The ZAB 1.0 learner protocol between the leader and one follower or observer. Every message
 * belongs to one learner session ({@code session}, chosen at random by the learner per attempt)
 * and is numbered per direction from 1 ({@code seq}) with no gaps, because ZAB needs a FIFO
 * channel and the transport may lose messages when it breaks: a gap or a foreign session ends the
 * session, and the learner syncs again.
 */
public sealed interface LearnerMessage extends PeerMessage {
    long session();

    long seq();

    // ---- learner → leader

    /** Opens a learner session with what the learner has: its accepted epoch and last logged zxid. */
    record FollowerInfo(long sender, long session, long seq, long acceptedEpoch, long lastZxid, boolean observer)
        implements LearnerMessage {
    }

    /** The learner has persisted acceptedEpoch = the leader's new epoch; here is its current epoch and last zxid. */
    record AckEpoch(long sender, long session, long seq, long currentEpoch, long lastZxid) implements LearnerMessage {
    }

    /** The synced txns and the new current epoch are durable on the learner. */
    record AckNewLeader(long sender, long session, long seq, long lastZxid) implements LearnerMessage {
    }

    /** Cumulative: the follower's log is durable up to {@code upToZxid}. */
    record Ack(long sender, long session, long seq, long upToZxid) implements LearnerMessage {
    }

    /**
     * Client writes received by the learner, in the order it received them: those that arrived
     * together travel as one message.
     */
    record ForwardRequest(long sender, long session, long seq, List<Forwarded> requests) implements LearnerMessage {
    }

    /**
     * One forwarded client write: the jute body of op {@code op}, the client's auth ids, and the
     * client connection it came through (its session's owner, on the leader).
     */
    record Forwarded(long sessionId, long connection, int cxid, int op, byte[] body, List<Id> authInfo) {
    }

    /** The {@code sync} op: answered with {@link SyncDone} once everything committed before it was sent. */
    record SyncRequest(long sender, long session, long seq, long token) implements LearnerMessage {
    }

    /** Liveness, and the sessions whose clients this learner heard from since its last ping. */
    record LearnerPing(long sender, long session, long seq, List<Long> touchedSessions) implements LearnerMessage {
    }

    // ---- leader → learner

    /** The epoch the leader proposes (already durable as its accepted epoch). */
    record LeaderInfo(long sender, long session, long seq, long newEpoch) implements LearnerMessage {
    }

    /** Sync: txns the learner lacks, in zxid order. */
    record Diff(long sender, long session, long seq, List<Txn> txns) implements LearnerMessage {
    }

    /** Sync: drop every logged txn above {@code toZxid} (it never committed). */
    record Trunc(long sender, long session, long seq, long toZxid) implements LearnerMessage {
    }

    /** Sync: the leader's whole tree at {@code zxid}. */
    record Snap(long sender, long session, long seq, long zxid, byte[] image) implements LearnerMessage {
    }

    /**
     * One part of a {@link Snap}: an image is sent in parts no larger than a proposal, so that no
     * peer message exceeds the transport's frame size. Parts {@code 0..count-1} arrive in order.
     */
    record SnapPart(long sender, long session, long seq, long zxid, int index, int count, byte[] part)
        implements LearnerMessage {
    }

    /** End of sync: the learner persists currentEpoch = newEpoch and acks once its synced txns are durable. */
    record NewLeader(long sender, long session, long seq, long newEpoch, long lastZxid) implements LearnerMessage {
    }

    /** A quorum acked NEWLEADER: everything up to {@code committedZxid} is committed; start serving. */
    record UpToDate(long sender, long session, long seq, long committedZxid) implements LearnerMessage {
    }

    /** Proposals, as the leader logged them. */
    record Proposal(long sender, long session, long seq, List<Txn> txns) implements LearnerMessage {
    }

    /** Cumulative: everything up to {@code upToZxid} is committed. */
    record Commit(long sender, long session, long seq, long upToZxid) implements LearnerMessage {
    }

    /** Committed txns, for observers (which see no proposals). */
    record Inform(long sender, long session, long seq, List<Txn> txns) implements LearnerMessage {
    }

    /** Liveness from the leader. */
    record LeaderPing(long sender, long session, long seq) implements LearnerMessage {
    }

    /** Everything committed before the learner's SyncRequest {@code token} has been sent; the last of it is {@code zxid}. */
    record SyncDone(long sender, long session, long seq, long token, long zxid) implements LearnerMessage {
    }

    // ---- either way

    /** This learner session is over (a gap, a timeout, a new epoch); the learner syncs again. */
    record EndSession(long sender, long session, long seq, String reason) implements LearnerMessage {
    }
}
