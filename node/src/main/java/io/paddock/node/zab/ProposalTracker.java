package io.paddock.node.zab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's book of proposals: which zxids are outstanding, how far each voter has durably
 * logged, and how far the log is committed. Acks are cumulative ("durable up to zxid Z"),
 * which is sound because every follower's log is a zxid-ordered prefix of the leader's. A zxid
 * commits once a quorum of voters has acked it or a later one, and commits never go backwards.
 */
public final class ProposalTracker {
    private final QuorumVerifier quorum;
    private final Map<Long, Long> ackedUpTo = new HashMap<>();
    private long lastProposed;
    private long committed;

    public ProposalTracker(QuorumVerifier quorum, long committed) {
        this.quorum = quorum;
        this.committed = committed;
        this.lastProposed = committed;
    }

    /** Registers a new proposal; zxids must grow. */
    public void propose(long zxid) {
        if (zxid <= lastProposed) {
            throw new IllegalArgumentException("proposal zxid 0x" + Long.toHexString(zxid)
                + " is not after 0x" + Long.toHexString(lastProposed));
        }
        lastProposed = zxid;
    }

    /**
     * Records that {@code serverId} has logged everything up to {@code upToZxid}; returns the
     * commit point after it (unchanged when no new quorum formed). Acks from non-voters and
     * acks beyond the last proposal are ignored.
     */
    public long ack(long serverId, long upToZxid) {
        if (!quorum.isVoter(serverId) || upToZxid > lastProposed) {
            return committed;
        }
        ackedUpTo.merge(serverId, upToZxid, Math::max);
        List<Long> acks = new ArrayList<>(ackedUpTo.values());
        if (acks.size() < quorum.quorumSize()) {
            return committed;
        }
        acks.sort(Collections.reverseOrder());
        long quorumAcked = acks.get(quorum.quorumSize() - 1);
        if (quorumAcked > committed) {
            committed = quorumAcked;
        }
        return committed;
    }

    /**
     * Drops what {@code serverId} acked, when its learner session ends: its next session may sync
     * it by a snapshot of the leader's committed tree, below proposals it had acked, and until it
     * has logged those again its old acks would count copies it no longer holds. It counts again
     * from the acks of its next session. The commit point stays: a commit is final.
     */
    public void forget(long serverId) {
        ackedUpTo.remove(serverId);
    }

    public long committed() {
        return committed;
    }

    public long lastProposed() {
        return lastProposed;
    }
}
