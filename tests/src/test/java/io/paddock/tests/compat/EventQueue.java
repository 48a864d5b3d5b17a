package io.paddock.tests.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** A watcher that queues what it receives, for tests to take in order, with timeouts instead of sleeps. */
public final class EventQueue implements Watcher {
    private static final long WAIT_SECONDS = 15;

    private final BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void process(WatchedEvent event) {
        events.add(event);
    }

    /** The next event; fails when none comes within 15 s. */
    public WatchedEvent next() throws InterruptedException {
        WatchedEvent e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no watch event within " + WAIT_SECONDS + " s");
        }
        return e;
    }

    /** The next event that is not a connection-state change. */
    public WatchedEvent nextNodeEvent() throws InterruptedException {
        WatchedEvent e;
        do {
            e = next();
        } while (e.getType() == Event.EventType.None);
        return e;
    }

    /** Waits for the given connection state, skipping node events and other states. */
    public void awaitState(Event.KeeperState state) throws InterruptedException {
        WatchedEvent e;
        do {
            e = next();
        } while (e.getType() != Event.EventType.None || e.getState() != state);
    }

    /**
     * Every event {@code zk}'s session has received so far. The client runs callbacks on the
     * thread that delivers events, in arrival order, and a server sends a change's events before
     * any later reply; so once an async call's callback has run, every earlier event is here.
     */
    public List<WatchedEvent> drainAfterRoundTrip(ZooKeeper zk) throws InterruptedException {
        roundTrip(zk);
        return drainNow();
    }

    /** What has arrived so far, without waiting (for use inside a callback, after the events it must follow). */
    public List<WatchedEvent> drainNow() {
        List<WatchedEvent> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** An async exists whose callback runs after every event received before its reply. */
    public static void roundTrip(ZooKeeper zk) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        zk.exists("/", false, (rc, path, ctx, stat) -> done.countDown(), null);
        if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no reply within " + WAIT_SECONDS + " s");
        }
    }
}
