package io.paddock.tests.ensemble.process;

import io.paddock.tests.support.TreeDump;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Writers that keep writing through a failover: each session creates {@code <root>/c<N>/<i>}
 * (every attempt a new path) with up to {@link #WINDOW} creates in flight, and when its connection
 * is lost waits until the client has reconnected (to whichever server it finds) and goes on with
 * the same session. Every attempt is recorded with what came back and when, so a test can tell
 * when the first write was acknowledged after a kill and check that every acknowledged create is
 * in a replica's tree with the Stat the server returned.
 */
final class WritesThroughFailover implements AutoCloseable {
    static final int WINDOW = 8;

    /** One create as sent, and what came back. */
    static final class Attempt {
        final int writer;
        final int index;
        final String path;
        final long sentNanos;
        volatile boolean answered;
        volatile int rc;
        volatile Stat stat;
        volatile long answeredNanos;

        Attempt(int writer, int index, String path, long sentNanos) {
            this.writer = writer;
            this.index = index;
            this.path = path;
            this.sentNanos = sentNanos;
        }

        boolean acked() {
            return answered && rc == KeeperException.Code.OK.intValue();
        }

        byte[] data() {
            return ("c" + writer + ":" + index).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "create " + path + (answered ? " rc=" + KeeperException.Code.get(rc) : " (no answer)");
        }
    }

    private final class Writer {
        final int id;
        final ZooKeeper zk;
        final String base;
        final Semaphore window = new Semaphore(WINDOW);
        final List<Attempt> attempts = java.util.Collections.synchronizedList(new ArrayList<>());
        final Thread thread;
        final Object connection = new Object();

        Writer(int id, ZooKeeper zk) {
            this.id = id;
            this.zk = zk;
            this.base = root + "/c" + id;
            this.thread = new Thread(this::run, "failover-writer-" + id);
        }

        private void run() {
            int i = 0;
            try {
                while (!stop) {
                    if (!zk.getState().isConnected()) {
                        synchronized (connection) {
                            // woken by the session's watcher on SyncConnected (and by stop)
                            while (!stop && !zk.getState().isConnected() && zk.getState().isAlive()) {
                                connection.wait(100);
                            }
                        }
                        if (!zk.getState().isAlive()) {
                            problems.add(base + ": the session ended (" + zk.getState() + ")");
                            return;
                        }
                        continue;
                    }
                    if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    Attempt a = new Attempt(id, i, base + "/" + i, System.nanoTime());
                    i++;
                    attempts.add(a);
                    zk.create(a.path, a.data(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        (AsyncCallback.Create2Callback) (rc, p, ctx, name, stat) -> {
                            a.answeredNanos = System.nanoTime();
                            a.stat = stat;
                            a.rc = rc;
                            a.answered = true;
                            if (rc == KeeperException.Code.OK.intValue()) {
                                acked.incrementAndGet();
                            } else if (rc != KeeperException.Code.CONNECTIONLOSS.intValue()) {
                                problems.add(a + ": " + KeeperException.Code.get(rc));
                            }
                            window.release();
                        }, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void connected() {
            synchronized (connection) {
                connection.notifyAll();
            }
        }
    }

    private final String root;
    private final List<Writer> writers = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private final List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stop;

    private WritesThroughFailover(String root) {
        this.root = root;
    }

    /**
     * A session for writer {@code i}, opened with the watcher given (which must see every state
     * change, so that a disconnected writer learns it is connected again).
     */
    interface Sessions {
        ZooKeeper open(int writer, org.apache.zookeeper.Watcher watcher) throws Exception;
    }

    /** Creates {@code root} and one parent per writer through {@code setup}, then starts {@code count} writers. */
    static WritesThroughFailover start(ZooKeeper setup, String root, int count, Sessions sessions) throws Exception {
        WritesThroughFailover load = new WritesThroughFailover(root);
        setup.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int w = 0; w < count; w++) {
            setup.create(root + "/c" + w, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        try {
            for (int w = 0; w < count; w++) {
                Writer[] self = new Writer[1];
                ZooKeeper zk = sessions.open(w, e -> {
                    if (self[0] != null) {
                        self[0].connected();
                    }
                });
                self[0] = load.new Writer(w, zk);
                load.writers.add(self[0]);
            }
        } catch (Exception e) {
            for (Writer w : load.writers) {
                w.zk.close();
            }
            throw e;
        }
        load.writers.forEach(w -> w.thread.start());
        return load;
    }

    long acked() {
        return acked.get();
    }

    long attempted() {
        return writers.stream().mapToLong(w -> w.attempts.size()).sum();
    }

    /** Acknowledged creates whose zxid is in an epoch after {@code epoch}: written under a later leader. */
    long ackedAfterEpoch(long epoch) {
        return all().stream().filter(a -> a.acked() && (a.stat.getCzxid() >>> 32) > epoch).count();
    }

    /** When the first create of an epoch after {@code epoch} was acknowledged (System.nanoTime), or -1. */
    long firstAckAfterEpoch(long epoch) {
        return all().stream().filter(a -> a.acked() && (a.stat.getCzxid() >>> 32) > epoch)
            .mapToLong(a -> a.answeredNanos).min().orElse(-1);
    }

    /** The latest epoch of any acknowledged create so far. */
    long lastAckedEpoch() {
        return all().stream().filter(Attempt::acked).mapToLong(a -> a.stat.getCzxid() >>> 32).max().orElse(0);
    }

    /** Per writer, the attempts sent before {@code nanos} and not answered yet: writes in flight at that moment. */
    long unansweredAt(long nanos) {
        return all().stream().filter(a -> a.sentNanos < nanos && (!a.answered || a.answeredNanos > nanos)).count();
    }

    private List<Attempt> all() {
        List<Attempt> out = new ArrayList<>();
        for (Writer w : writers) {
            synchronized (w.attempts) {
                out.addAll(w.attempts);
            }
        }
        return out;
    }

    /** Stops sending, waits for every answer, closes the sessions (side by side: a close may wait for a reconnect). */
    void stopAndClose() throws InterruptedException {
        if (stop) {
            return;
        }
        stop = true;
        writers.forEach(Writer::connected);
        List<Thread> closers = new ArrayList<>();
        for (Writer w : writers) {
            Thread t = new Thread(() -> {
                try {
                    w.thread.join(30_000);
                    if (!w.window.tryAcquire(WINDOW, 30, TimeUnit.SECONDS)) {
                        problems.add(w.base + ": creates still unanswered 30 s after the writer stopped");
                    }
                    w.zk.close(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "close-" + w.base);
            t.start();
            closers.add(t);
        }
        for (Thread t : closers) {
            t.join(70_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopAndClose();
    }

    /**
     * Checks a replica's tree: every acknowledged create is there with its data and the Stat that
     * was returned, nothing is there that was not attempted; returns how many creates took effect
     * without an acknowledgement (their answer was lost with a connection).
     */
    int verify(SortedMap<String, TreeDump.Node> dump, List<String> out) {
        out.addAll(problems);
        Map<String, Attempt> byPath = new HashMap<>();
        for (Attempt a : all()) {
            byPath.put(a.path, a);
            if (a.acked()) {
                TreeDump.Node n = dump.get(a.path);
                if (n == null) {
                    out.add(a + ": acknowledged, but not in the tree");
                } else if (!n.stat().equals(a.stat) || !Arrays.equals(n.data(), a.data())) {
                    out.add(a + ": acknowledged with " + a.stat.toString().trim().replace('\n', ' ') + ", but the tree has " + n);
                }
            }
        }
        int appliedUnacked = 0;
        for (String path : dump.keySet()) {
            if (!path.startsWith(root + "/") || path.indexOf('/', root.length() + 1) < 0) {
                continue;
            }
            Attempt a = byPath.get(path);
            if (a == null) {
                out.add(path + ": never attempted");
            } else if (!a.acked()) {
                appliedUnacked++;
            }
        }
        return appliedUnacked;
    }
}
