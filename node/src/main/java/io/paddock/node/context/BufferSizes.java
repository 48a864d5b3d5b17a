package io.paddock.node.context;

import java.util.concurrent.atomic.LongAccumulator;

/**
 * The last, smallest and largest size of what was sent (replies to clients, a leader's
 * proposals), as ZooKeeper's srvr, stat and mntr report them: -1 before the first, and again
 * after a reset. Recorded on the threads that send, read by the ones that report.
 */
public final class BufferSizes {
    private volatile int last = -1;
    private final LongAccumulator min = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator max = new LongAccumulator(Math::max, -1);

    public void record(int size) {
        last = size;
        min.accumulate(size);
        max.accumulate(size);
    }

    public int last() {
        return last;
    }

    public long min() {
        long m = min.get();
        return m == Long.MAX_VALUE ? -1 : m;
    }

    public long max() {
        return max.get();
    }

    public void reset() {
        last = -1;
        min.reset();
        max.reset();
    }
}
