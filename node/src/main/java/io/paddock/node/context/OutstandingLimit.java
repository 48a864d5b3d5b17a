package io.paddock.node.context;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests received from all client connections and not yet answered, bounded in number
 * (globalOutstandingLimit) and in bytes. A connection asks to admit each request it has read;
 * while the server is at a bound, the request waits, and so does the reading of its connection,
 * until answered requests make room. Waiting requests are admitted in the order they asked, so
 * none waits for ever behind later ones. A request larger than the byte bound on its own is
 * admitted once nothing else is outstanding.
 *
 * <p>Thread-safe; the callbacks of admitted waiters run on the thread that made the room, outside
 * the lock.
 */
public final class OutstandingLimit {
    /**
     * The bytes of requests outstanding at once. 64 MiB keeps the requests a node holds small
     * beside its tree in a heap of a few GiB, yet lets 64 writes of 1 MiB (jute.maxbuffer's
     * default) be under way together, more than a group commit needs to keep the disk busy; it is
     * 4 times the largest jute.maxbuffer Paddock accepts.
     */
    public static final long MAX_BYTES = 64L << 20;
    private final int maxRequests;
    private final long maxBytes;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private int requests;
    private long bytes;
    private int peakRequests;
    private long peakBytes;

    /** A request waiting to be admitted; {@code admitted} runs once it is. */
    public static final class Waiter {
        private final long size;
        private final Runnable admitted;

        private Waiter(long size, Runnable admitted) {
            this.size = size;
            this.admitted = admitted;
        }
    }

    public OutstandingLimit(int maxRequests, long maxBytes) {
        if (maxRequests < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxRequests + " requests, " + maxBytes + " bytes");
        }
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
    }

    /**
     * Admits a request of {@code size} bytes now (null), or queues it and returns its waiter:
     * {@code admitted} runs once the request is admitted, unless {@link #withdraw} comes first.
     */
    public synchronized Waiter admit(long size, Runnable admitted) {
        if (waiting.isEmpty() && fits(size)) {
            take(size);
            return null;
        }
        Waiter w = new Waiter(size, admitted);
        waiting.add(w);
        return w;
    }

    /** An admitted request was answered (or will never be): its room goes to the waiters, in order. */
    public void release(long size) {
        List<Runnable> toRun = new ArrayList<>();
        synchronized (this) {
            requests--;
            bytes -= size;
            while (!waiting.isEmpty() && fits(waiting.peek().size)) {
                Waiter w = waiting.poll();
                take(w.size);
                toRun.add(w.admitted);
            }
        }
        toRun.forEach(Runnable::run);
    }

    /**
     * The waiter's connection ended before its request ran. True when it was still waiting (and
     * now is not); false when it had been admitted already, so its caller must {@link #release}.
     */
    public synchronized boolean withdraw(Waiter w) {
        return waiting.remove(w);
    }

    private boolean fits(long size) {
        return requests < maxRequests && (bytes + size <= maxBytes || requests == 0);
    }

    private void take(long size) {
        requests++;
        bytes += size;
        peakRequests = Math.max(peakRequests, requests);
        peakBytes = Math.max(peakBytes, bytes);
    }

    public synchronized int requests() {
        return requests;
    }

    public synchronized long bytes() {
        return bytes;
    }

    /** The most requests outstanding at once so far. */
    public synchronized int peakRequests() {
        return peakRequests;
    }

    /** The most bytes outstanding at once so far. */
    public synchronized long peakBytes() {
        return peakBytes;
    }

    public synchronized int waiting() {
        return waiting.size();
    }
}
