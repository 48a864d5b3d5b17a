package io.paddock.tests.support;

import io.paddock.protocol.Zxid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Concurrent writers, one ZooKeeper session each, every one in its own subtree
 * {@code <root>/w<N>}, each keeping up to {@code window} async writes in flight until told to
 * stop. A writer whose connection is lost waits until its client has reconnected (to whichever
 * server it finds, with the same session) and writes on, so that writes across a failover are
 * checked too. Every attempt is recorded in send order with what the server answered and when:
 * the returned path and Stat of creates (create2), the Stat of setData, the results of multis.
 * An attempt answered with connection loss is <em>indeterminate</em>: it may or may not have
 * taken effect.
 *
 * <p>Writer N's i-th attempt, by {@code i % 10}: 0–5 create {@code n<i>}; 6 setData on
 * {@code counter}; 7 a sequential create {@code s-}; 8 delete {@code n<i-8>}; 9 a multi that
 * creates {@code m<i>a} and {@code m<i>b} and sets {@code counter2}. Every znode's data names the
 * attempt that wrote it, so a recovered tree can be matched against what was attempted.
 * {@link WriteCheck} checks a tree against the record.
 */
public final class WriteLoad implements AutoCloseable {
    static final int WINDOW = 32;

    enum Kind { CREATE, SET, SEQ, DELETE, MULTI }

    /** One write as sent, and what came back. */
    static final class Attempt {
        final int index;
        final Kind kind;
        final String path;
        final byte[] data;
        final long sentNanos;
        /** The session's connection it went out on, as far as the writer knew (connections are counted from 1). */
        final int connection;
        volatile boolean answered;
        volatile int rc = Integer.MIN_VALUE;
        volatile long answeredNanos;
        /** For a connection loss: the last connection its session had made by then. */
        volatile int lostWith = -1;
        volatile Stat stat;
        volatile String createdPath;
        volatile List<OpResult> results;

        Attempt(int index, Kind kind, String path, byte[] data, long sentNanos, int connection) {
            this.index = index;
            this.kind = kind;
            this.path = path;
            this.data = data;
            this.sentNanos = sentNanos;
            this.connection = connection;
        }

        boolean acked() {
            return answered && rc == KeeperException.Code.OK.intValue();
        }

        /** No answer, or connection loss: it may or may not have taken effect. */
        boolean indeterminate() {
            return !answered || rc == KeeperException.Code.CONNECTIONLOSS.intValue();
        }

        /** Answered with an error from the server: it did not take effect. */
        boolean failed() {
            return !acked() && !indeterminate();
        }

        /** The zxid an acknowledged write was applied at; -1 if not acknowledged, or a delete (its reply has none). */
        long zxid() {
            if (!acked()) {
                return -1;
            }
            return switch (kind) {
                case CREATE, SEQ -> stat.getCzxid();
                case SET -> stat.getMzxid();
                case MULTI -> setResult().getMzxid();
                case DELETE -> -1;
            };
        }

        /** The Stat a multi's setData of counter2 was acknowledged with. */
        Stat setResult() {
            return ((OpResult.SetDataResult) results.get(2)).getStat();
        }

        @Override
        public String toString() {
            return kind + " #" + index + " " + path
                + (answered ? " " + KeeperException.Code.get(rc) : " (no answer)")
                + (lostWith >= 0 ? " (sent on connection " + connection + ", lost with " + lostWith + ")" : "");
        }
    }

    /** One session writing into its own subtree. */
    public static final class Writer {
        final int id;
        final String base;
        private final int window;
        private final AtomicLong ackedTotal;
        private final Semaphore permits;
        private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        private final Object wake = new Object(); // notified when the connection changes, and on stop
        private final Thread thread;
        private ZooKeeper zk; // set before the thread starts
        /**
         * SyncConnected events seen so far, and whether the last event said connected. The client
         * answers the writes lost with a connection before it reports the loss, and reports every
         * new connection once (it drops a repeated Disconnected, so those cannot be counted).
         */
        private volatile int connections;
        private volatile boolean connected;
        private volatile boolean stop;

        Writer(int id, String base, int window, AtomicLong ackedTotal) {
            this.id = id;
            this.base = base;
            this.window = window;
            this.ackedTotal = ackedTotal;
            this.permits = new Semaphore(window);
            this.thread = new Thread(this::run, "writer-" + base);
        }

        /** The session's watcher: counts connections, and wakes the writer when it is connected again. */
        void onEvent(WatchedEvent e) {
            if (e.getType() != Watcher.Event.EventType.None) {
                return;
            }
            switch (e.getState()) {
                case SyncConnected -> {
                    connections++; // only the client's event thread writes it
                    connected = true;
                }
                case Disconnected, Expired, Closed, AuthFailed -> connected = false;
                default -> {
                    return;
                }
            }
            synchronized (wake) {
                wake.notifyAll();
            }
        }

        private byte[] dataOf(int i) {
            return ("w" + id + ":" + i).getBytes(StandardCharsets.UTF_8);
        }

        private void run() {
            int i = 0;
            try {
                while (!stop) {
                    if (!connected) {
                        awaitConnection();
                        continue;
                    }
                    if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    if (stop) {
                        permits.release();
                        break;
                    }
                    issue(i++);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until the client has a connection again; stops the writer if its session is over. */
        private void awaitConnection() throws InterruptedException {
            synchronized (wake) {
                while (!stop && !connected && zk.getState().isAlive()) {
                    wake.wait(100);
                }
            }
            if (!stop && !zk.getState().isAlive()) {
                unexpected.add(base + ": the session ended (" + zk.getState() + ")");
                stop = true;
            }
        }

        private void issue(int i) {
            byte[] data = dataOf(i);
            Attempt a;
            switch (i % 10) {
                case 6 -> {
                    a = sent(i, Kind.SET, base + "/counter", data);
                    zk.setData(a.path, data, -1, (AsyncCallback.StatCallback) (rc, p, ctx, stat) -> {
                        a.stat = stat;
                        answered(a, rc);
                    }, null);
                }
                case 7 -> create(sent(i, Kind.SEQ, base + "/s-", data), CreateMode.PERSISTENT_SEQUENTIAL);
                case 8 -> {
                    a = sent(i, Kind.DELETE, base + "/n" + (i - 8), data);
                    zk.delete(a.path, 0, (AsyncCallback.VoidCallback) (rc, p, ctx) -> answered(a, rc), null);
                }
                case 9 -> {
                    a = sent(i, Kind.MULTI, base + "/m" + i, data);
                    List<Op> ops = List.of(
                        Op.create(a.path + "a", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.create(a.path + "b", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.setData(base + "/counter2", data, -1));
                    zk.multi(ops, (AsyncCallback.MultiCallback) (rc, p, ctx, results) -> {
                        a.results = results;
                        answered(a, rc);
                    }, null);
                }
                default -> create(sent(i, Kind.CREATE, base + "/n" + i, data), CreateMode.PERSISTENT);
            }
        }

        private Attempt sent(int i, Kind kind, String path, byte[] data) {
            Attempt a = new Attempt(i, kind, path, data, System.nanoTime(), connections);
            attempts.add(a);
            return a;
        }

        /** Sends attempt {@code a} as a create2, recording the path and Stat it is answered with. */
        private void create(Attempt a, CreateMode mode) {
            zk.create(a.path, a.data, ZooDefs.Ids.OPEN_ACL_UNSAFE, mode,
                (AsyncCallback.Create2Callback) (rc, p, ctx, name, stat) -> {
                    a.createdPath = name;
                    a.stat = stat;
                    answered(a, rc);
                }, null);
        }

        private void answered(Attempt a, int rc) {
            a.answeredNanos = System.nanoTime();
            a.rc = rc;
            if (rc == KeeperException.Code.CONNECTIONLOSS.intValue()) {
                a.lostWith = connections;
            }
            a.answered = true;
            if (rc == KeeperException.Code.OK.intValue()) {
                ackedTotal.incrementAndGet();
            } else if (!a.indeterminate() && !(a.kind == Kind.DELETE && rc == KeeperException.Code.NONODE.intValue())) {
                // a delete finds no node when its create was lost with a connection; WriteCheck tells which
                unexpected.add(a + ": " + KeeperException.Code.get(rc));
            }
            permits.release();
        }

        /** Stops sending, closes the session's client and waits until every attempt has its answer. */
        void stopAndClose() throws InterruptedException {
            stop = true;
            synchronized (wake) {
                wake.notifyAll();
            }
            thread.join(30_000);
            zk.close(5_000);
            if (!permits.tryAcquire(window, 30, TimeUnit.SECONDS)) {
                throw new AssertionError(base + ": writes still unanswered 30 s after its client closed");
            }
        }

        /** The attempts so far, in send order. */
        List<Attempt> attempts() {
            synchronized (attempts) {
                return new ArrayList<>(attempts);
            }
        }

        List<String> unexpected() {
            synchronized (unexpected) {
                return new ArrayList<>(unexpected);
            }
        }

        public long acked() {
            return attempts().stream().filter(Attempt::acked).count();
        }

        /** The latest epoch in which this session had a write acknowledged; 0 if none. */
        public long lastAckedEpoch() {
            return attempts().stream().mapToLong(Attempt::zxid).filter(z -> z >= 0).map(Zxid::epoch).max().orElse(0);
        }
    }

    /** Opens writer {@code index}'s session with {@code watcher}, which must see every change of the session's state. */
    @FunctionalInterface
    public interface Sessions {
        ZooKeeper open(int index, Watcher watcher) throws Exception;
    }

    private final List<Writer> writers = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private boolean closed;
    private final String root;

    private WriteLoad(String root) {
        this.root = root;
    }

    /** Creates {@code root} and one subtree per writer, then starts {@code count} writers. */
    public static WriteLoad start(String connectString, String root, int count) throws Exception {
        return start(connectString, root, count, (w, watcher) -> ZkClients.connect(connectString, 10_000, watcher));
    }

    /**
     * As {@link #start(String, String, int)}, with each writer's session opened by {@code sessions}
     * (e.g. to spread the writers over an ensemble's servers).
     */
    public static WriteLoad start(String connectString, String root, int count, Sessions sessions) throws Exception {
        return start(connectString, root, count, WINDOW, sessions);
    }

    /** As {@link #start(String, String, int, Sessions)}, with up to {@code window} writes in flight per writer. */
    public static WriteLoad start(String connectString, String root, int count, int window, Sessions sessions)
        throws Exception {
        WriteLoad load = new WriteLoad(root);
        try (ZooKeeper setup = ZkClients.connect(connectString)) {
            setup.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int w = 0; w < count; w++) {
                String base = root + "/w" + w;
                setup.create(base, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                setup.create(base + "/counter", WriteCheck.INIT, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                setup.create(base + "/counter2", WriteCheck.INIT, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        try {
            for (int w = 0; w < count; w++) {
                Writer writer = new Writer(w, root + "/w" + w, window, load.acked);
                writer.zk = sessions.open(w, writer::onEvent);
                load.writers.add(writer);
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

    public long acked() {
        return acked.get();
    }

    /** The znode every writer's subtree hangs under. */
    public String root() {
        return root;
    }

    public List<Writer> writers() {
        return writers;
    }

    public long attempted() {
        return writers.stream().mapToLong(w -> w.attempts().size()).sum();
    }

    /** What a client should never see, so far: answers other than success and connection loss, and sessions that ended. */
    public long errors() {
        return writers.stream().mapToLong(w -> w.unexpected().size()).sum();
    }

    /** Writes answered with connection loss (or not at all) so far: they may or may not have taken effect. */
    public long indeterminate() {
        return all().stream().filter(Attempt::indeterminate).count();
    }

    /** The latest epoch in which any write was acknowledged; 0 if none. */
    public long lastAckedEpoch() {
        return writers.stream().mapToLong(Writer::lastAckedEpoch).max().orElse(0);
    }

    /** When (System.nanoTime) the first write applied in an epoch after {@code epoch} was acknowledged; -1 if none was. */
    public long firstAckAfterEpoch(long epoch) {
        return all().stream().filter(a -> a.zxid() >= 0 && Zxid.epoch(a.zxid()) > epoch)
            .mapToLong(a -> a.answeredNanos).min().orElse(-1);
    }

    /** Writes sent before {@code nanos} (System.nanoTime) and not answered by then: the writes in flight at that moment. */
    public long unansweredAt(long nanos) {
        return all().stream().filter(a -> a.sentNanos < nanos && (!a.answered || a.answeredNanos > nanos)).count();
    }

    private List<Attempt> all() {
        List<Attempt> out = new ArrayList<>();
        writers.forEach(w -> out.addAll(w.attempts()));
        return out;
    }

    /** Stops every writer and closes its client; every attempt has its answer afterwards. */
    public void stopAndClose() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        writers.forEach(w -> w.stop = true);
        // closing a client whose server is gone waits for its reconnect loop: close them side by side
        List<Thread> closers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (Writer w : writers) {
            Thread t = new Thread(() -> {
                try {
                    w.stopAndClose();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "close-" + w.base);
            t.start();
            closers.add(t);
        }
        for (Thread t : closers) {
            t.join(60_000);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("closing the writers failed: " + failures, failures.get(0));
        }
    }

    /** Stops the writers if the test did not get that far. */
    @Override
    public void close() throws InterruptedException {
        stopAndClose();
    }

    /**
     * Checks every writer's subtree in {@code dump} (see {@link WriteCheck}) and that the root holds
     * nothing else; returns how many indeterminate writes took effect.
     */
    public int verify(SortedMap<String, TreeDump.Node> dump, List<String> problems) {
        int appliedUnacked = 0;
        for (Writer w : writers) {
            problems.addAll(w.unexpected());
            appliedUnacked += new WriteCheck(w.base, w.attempts(), dump, problems).run();
        }
        dump.keySet().stream()
            .filter(p -> p.startsWith(root + "/"))
            .filter(p -> writers.stream().noneMatch(w -> p.equals(w.base) || p.startsWith(w.base + "/")))
            .forEach(p -> problems.add(p + ": not written by any writer"));
        return appliedUnacked;
    }
}
