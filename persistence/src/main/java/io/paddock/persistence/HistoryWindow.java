package io.paddock.persistence;

import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;

/**
 * How many recent txns a node keeps in memory to bring a learner that is a little behind up to
 * date by DIFF: the TxnLog's ring and the leader's history. At most {@code txns} of them, and at
 * most {@code bytes} of their encoded size: counted in txns alone, 10,000 writes of 1 MB would pin
 * 10 GB of heap. A learner further behind gets a SNAP.
 */
public record HistoryWindow(int txns, long bytes) {
    /** What the bytes bound is by default: a few large values' worth, small beside a heap of a few GiB. */
    public static final long DEFAULT_BYTES = 64L << 20;

    public HistoryWindow {
        if (txns < 0 || bytes < 0) {
            throw new IllegalArgumentException("a history window cannot be negative: " + txns + " txns, " + bytes + " bytes");
        }
    }

    /** {@code txns} recent txns, at most {@link #DEFAULT_BYTES} of them. */
    public static HistoryWindow of(int txns) {
        return new HistoryWindow(txns, DEFAULT_BYTES);
    }

    /** The size a txn counts for: its encoded length. */
    public static long sizeOf(Txn txn) {
        return TxnCodec.size(txn);
    }

    /** True when {@code count} txns of {@code size} bytes are more than the window keeps. */
    public boolean exceededBy(int count, long size) {
        return count > txns || size > bytes;
    }
}
