package io.paddock.node.metrics;

import io.paddock.protocol.txn.Txn;
import java.util.ArrayDeque;
import java.util.List;

/**
 * When the leader proposed its batches of txns, to time each txn from its proposal to its
 * commit. Used by the leader's role alone (one thread); the times are passed in.
 */
public final class ProposalTimes {
    /** One batch: the zxid of its last txn, how many txns it has, and when it was proposed. */
    private record Batch(long lastZxid, int txns, long proposedAt) {
    }

    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private final NodeMetrics metrics;

    public ProposalTimes(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    /** The leader proposed (logs) {@code txns} at {@code nanos}. */
    public void proposed(List<Txn> txns, long nanos) {
        if (!txns.isEmpty()) {
            proposed(txns.get(txns.size() - 1).zxid(), txns.size(), nanos);
        }
    }

    /** {@code txns} txns up to {@code lastZxid} were proposed at {@code nanos}. */
    public void proposed(long lastZxid, int txns, long nanos) {
        metrics.proposed(txns);
        batches.addLast(new Batch(lastZxid, txns, nanos));
    }

    /** Every txn up to {@code zxid} is committed at {@code nanos}: the batches it completes are timed. */
    public void committed(long zxid, long nanos) {
        while (!batches.isEmpty() && batches.peekFirst().lastZxid() <= zxid) {
            Batch b = batches.removeFirst();
            for (int i = 0; i < b.txns(); i++) {
                metrics.committed(nanos - b.proposedAt());
            }
        }
    }

    /** Batches still waiting for their commit. */
    int waiting() {
        return batches.size();
    }
}
