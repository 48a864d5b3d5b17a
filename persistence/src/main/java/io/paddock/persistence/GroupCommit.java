package io.paddock.persistence;

import io.paddock.protocol.Batches;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit in front of {@link TxnLog}, as plain rules for whoever sends it Appends. Typed
 * persistence handles one command at a time and stashes the rest while a write is in flight, so
 * each Append would cost its own fsync. This keeps exactly one Append in flight and gathers every
 * txn that arrives meanwhile into the next one: at most {@code maxBatch} txns and
 * {@code maxBatchBytes} bytes of encoded txns each (a larger txn alone), so that one journal
 * record stays a few MiB even when every txn carries 1 MB. It does not bound what it gathers, but
 * counts its bytes ({@link #waitingBytes}): a node whose disk falls that far behind gives up its
 * role instead of filling its heap.
 */
public final class GroupCommit {
    private final int maxBatch;
    private final long maxBatchBytes;
    /** Each waiting txn with its encoded size, counted once for the batch's bound and for {@link #waitingBytes}. */
    private record Waiting(Txn txn, long bytes) {
    }

    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private boolean writing;

    public GroupCommit(int maxBatch, long maxBatchBytes) {
        if (maxBatch < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("maxBatch and maxBatchBytes must be positive: " + maxBatch + ", "
                + maxBatchBytes);
        }
        this.maxBatch = maxBatch;
        this.maxBatchBytes = maxBatchBytes;
    }

    /**
     * Txns to log, in zxid order, following those given before. Returns the txns to append now
     * (empty while an Append is in flight: they wait for the next).
     */
    public List<Txn> add(List<Txn> txns) {
        for (Txn t : txns) {
            Waiting w = new Waiting(t, TxnCodec.size(t));
            waiting.add(w);
            waitingBytes += w.bytes();
        }
        return writing ? List.of() : next();
    }

    /** The Append in flight is durable. Returns the txns to append next, empty when none wait. */
    public List<Txn> written() {
        writing = false;
        return next();
    }

    /** Encoded bytes of the txns that wait for the next Append (not those of the Append in flight). */
    public long waitingBytes() {
        return waitingBytes;
    }

    private List<Txn> next() {
        if (waiting.isEmpty()) {
            return List.of();
        }
        int count = Batches.fitting(waiting, Waiting::bytes, maxBatchBytes, maxBatch);
        List<Txn> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Waiting w = waiting.poll();
            waitingBytes -= w.bytes();
            batch.add(w.txn());
        }
        writing = true;
        return batch;
    }
}
