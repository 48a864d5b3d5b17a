package io.paddock.node.context;

/**
 * One client connection's counters, as ZooKeeper's cons shows them: packets each way, and the
 * last request answered (its opcode, cxid, zxid, when, and how long it took) with the latencies
 * so far. Updated by the connection as it answers, read by cons and stat; crst resets them.
 */
public final class ConnectionStats {
    /** No request answered since the connection opened or its counters were reset. */
    public static final int NO_OP = Integer.MIN_VALUE;

    private long received;
    private long sent;
    private int lastOp = NO_OP;
    private long lastCxid = -1;
    private long lastZxid = -1;
    private long lastResponseTime;
    private long lastLatency;
    private long minLatency = Long.MAX_VALUE;
    private long maxLatency;
    private long count;
    private long totalLatency;

    /**
     * A request's counters at one moment. {@code lastResponseTime} is on the node's monotonic
     * clock (ms), as ZooKeeper's; latencies are in ms, the average rounded down.
     */
    public record Snapshot(long received, long sent, int lastOp, long lastCxid, long lastZxid, long lastResponseTime,
                           long lastLatency, long minLatency, long avgLatency, long maxLatency) {
    }

    public synchronized void received() {
        received++;
    }

    public synchronized void sent() {
        sent++;
    }

    /**
     * The request {@code cxid} ({@code op}) was answered at {@code now} (monotonic ms), after
     * {@code latency} ms, with {@code zxid}. Pings and other special xids (negative) leave the
     * last cxid as it was: it is the client's last real request.
     */
    public synchronized void answered(int op, long cxid, long zxid, long now, long latency) {
        if (cxid >= 0) {
            lastCxid = cxid;
        }
        lastOp = op;
        lastZxid = zxid;
        lastResponseTime = now;
        lastLatency = latency;
        minLatency = Math.min(minLatency, latency);
        maxLatency = Math.max(maxLatency, latency);
        count++;
        totalLatency += latency;
    }

    /** crst: forgets everything counted so far. */
    public synchronized void reset() {
        received = 0;
        sent = 0;
        lastOp = NO_OP;
        lastCxid = -1;
        lastZxid = -1;
        lastResponseTime = 0;
        lastLatency = 0;
        minLatency = Long.MAX_VALUE;
        maxLatency = 0;
        count = 0;
        totalLatency = 0;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(received, sent, lastOp, lastCxid, lastZxid, lastResponseTime, lastLatency,
            minLatency == Long.MAX_VALUE ? 0 : minLatency, count == 0 ? 0 : totalLatency / count, maxLatency);
    }
}
