package io.paddock.node.zab;

/**
 * How long a peer has been silent, as the liveness rules (syncLimit, initLimit) need it: the time
 * since it was last heard from, counting only the time this node itself ran on schedule.
 *
 * <p>The owner calls {@link #heard()} on every message from the peer and {@link #tick(long)} on
 * a periodic timer, with the time of a monotonic clock. A tick that comes late means this node
 * was not running (a starved dispatcher, a GC pause, the machine overloaded): the peer's
 * messages may be waiting in a socket or a queue here, unread. Such a gap counts as at most
 * {@code maxStep} of silence, so a node that stalls does not blame its peer when it wakes up;
 * only silence that lasts while this node runs normally ends a session.
 */
public final class Silence {
    private final long maxStep;
    private long lastTick;
    private boolean heardSinceTick = true;
    private long silent;

    /**
     * @param now     the time of the start, ms
     * @param maxStep the most one tick can add to the silence: a little more than the tick interval
     */
    public Silence(long now, long maxStep) {
        this.lastTick = now;
        this.maxStep = maxStep;
    }

    /** A message from the peer arrived. */
    public void heard() {
        heardSinceTick = true;
    }

    /** The periodic check at {@code now}; returns the silence so far, ms. */
    public long tick(long now) {
        long elapsed = Math.max(0, now - lastTick);
        lastTick = now;
        silent = heardSinceTick ? 0 : silent + Math.min(elapsed, maxStep);
        heardSinceTick = false;
        return silent;
    }

    /** The silence as of the last tick, ms. */
    public long silent() {
        return silent;
    }
}
