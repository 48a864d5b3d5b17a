package io.paddock.node.context;

import io.paddock.node.metrics.NodeMetrics;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** Counters behind srvr, stat and mntr (and their AdminServer commands). */
public final class ServerStats {
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder latencyTotal = new LongAdder();
    private final LongAdder latencyCount = new LongAdder();
    private final LongAccumulator latencyMax = new LongAccumulator(Math::max, 0);
    private final LongAccumulator latencyMin = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final AtomicLong outstanding = new AtomicLong();
    private final LongAccumulator peakOutstanding = new LongAccumulator(Math::max, 0);
    /** Learner syncs this node ran as leader, by kind (ZooKeeper's diff_count and snap_count, plus truncations). */
    private final LongAdder diffSyncs = new LongAdder();
    private final LongAdder truncSyncs = new LongAdder();
    private final LongAdder snapSyncs = new LongAdder();
    private final LongAdder authFailed = new LongAdder();
    /** The replies and watch events sent to clients (without their length prefix). */
    private final BufferSizes clientResponses = new BufferSizes();
    /** The proposals this node sent while it led (since it last became leader). */
    private final BufferSizes proposals = new BufferSizes();
    private final long startMillis = System.currentTimeMillis();
    private final NodeMetrics metrics;
    /** The zxid this node's log is durable up to. */
    private volatile long lastLogged;
    /** The newest snapshot stored (recovered from, taken, or installed from a leader); null while none is known. */
    private volatile Snapshot lastSnapshot;

    /** A stored snapshot: its zxid, and when it was stored (wall clock ms). */
    public record Snapshot(long zxid, long storedMillis) {
    }

    public ServerStats(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    public void received() {
        packetsReceived.increment();
    }

    public void sent() {
        packetsSent.increment();
    }

    /** A reply or watch event of {@code size} bytes (after the length prefix) went to a client. */
    public void responded(int size) {
        clientResponses.record(size);
    }

    public BufferSizes clientResponses() {
        return clientResponses;
    }

    /** The proposals of this node's current (or last) leadership. */
    public BufferSizes proposals() {
        return proposals;
    }

    /** A client's authentication failed (an unsupported scheme, too many identities). */
    public void authFailed() {
        authFailed.increment();
    }

    public long authFailedCount() {
        return authFailed.sum();
    }

    public void requestStarted() {
        peakOutstanding.accumulate(outstanding.incrementAndGet());
    }

    /** A request of {@code op} (a write or a read) finished {@code nanos} after it arrived. */
    public void requestFinished(int op, boolean write, long nanos) {
        metrics.requestAnswered(op, write, nanos);
        long millis = nanos / 1_000_000;
        outstanding.decrementAndGet();
        latencyTotal.add(millis);
        latencyCount.increment();
        latencyMax.accumulate(millis);
        latencyMin.accumulate(millis);
    }

    /** How a leader brought one learner up to date. */
    public enum SyncKind { DIFF, TRUNC, SNAP }

    /** This node, leading, synced a learner by {@code kind} (TRUNC: truncated, then sent a diff). */
    public void learnerSynced(SyncKind kind) {
        switch (kind) {
            case DIFF -> diffSyncs.increment();
            case TRUNC -> truncSyncs.increment();
            case SNAP -> snapSyncs.increment();
        }
    }

    public long learnerSyncs(SyncKind kind) {
        return switch (kind) {
            case DIFF -> diffSyncs.sum();
            case TRUNC -> truncSyncs.sum();
            case SNAP -> snapSyncs.sum();
        };
    }

    /** ZooKeeper's diff_count: a sync by truncation sends a diff too, so it counts. */
    public long diffCount() {
        return diffSyncs.sum() + truncSyncs.sum();
    }

    /** This node's log is now durable up to {@code zxid} (lower after a truncation). */
    public void logDurableTo(long zxid) {
        lastLogged = zxid;
    }

    public long lastLoggedZxid() {
        return lastLogged;
    }

    /** A snapshot at {@code zxid} is stored, now. */
    public void snapshotStored(long zxid) {
        snapshotStored(zxid, System.currentTimeMillis());
    }

    /** The snapshot at {@code zxid}, stored at {@code storedMillis} (one recovered from), is the newest. */
    public void snapshotStored(long zxid, long storedMillis) {
        lastSnapshot = new Snapshot(zxid, storedMillis);
    }

    public long lastSnapshotZxid() {
        Snapshot s = lastSnapshot;
        return s == null ? 0 : s.zxid();
    }

    /** The newest stored snapshot, or null when this node has none. */
    public Snapshot lastSnapshot() {
        return lastSnapshot;
    }

    public long packetsReceived() {
        return packetsReceived.sum();
    }

    public long packetsSent() {
        return packetsSent.sum();
    }

    public long outstanding() {
        return outstanding.get();
    }

    /** The most requests outstanding at once since the node started (srvr's Outstanding at its highest). */
    public long peakOutstanding() {
        return peakOutstanding.get();
    }

    public long minLatency() {
        long min = latencyMin.get();
        return min == Long.MAX_VALUE ? 0 : min;
    }

    public double avgLatency() {
        long n = latencyCount.sum();
        return n == 0 ? 0 : (double) latencyTotal.sum() / n;
    }

    public long maxLatency() {
        return latencyMax.get();
    }

    public long uptimeMillis() {
        return System.currentTimeMillis() - startMillis;
    }

    /** srst: forget latency, packet counts and reply sizes. */
    public void reset() {
        clientResponses.reset();
        packetsReceived.reset();
        packetsSent.reset();
        latencyTotal.reset();
        latencyCount.reset();
        latencyMax.reset();
        latencyMin.reset();
    }
}
