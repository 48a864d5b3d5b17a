package io.paddock.tests.support;

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
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Concurrent writers, one ZooKeeper session each, every one in its own subtree
 * {@code <root>/w<N>}, each keeping up to {@link #WINDOW} async writes in flight until told to
 * stop (or until its connection is lost). Every attempt is recorded in send order with what
 * the server answered: the returned path and Stat of creates (create2), the Stat of setData,
 * the results of multis.
 *
 * <p>Writer N's i-th attempt, by {@code i % 10}: 0–5 create {@code n<i>}; 6 setData on
 * {@code counter}; 7 a sequential create {@code s-}; 8 delete {@code n<i-8>}; 9 a multi that
 * creates {@code m<i>a} and {@code m<i>b} and sets {@code counter2}. Every znode's data names the
 * attempt that wrote it, so a recovered tree can be matched against what was attempted.
 *
 * <p>{@link Writer#verify} checks a recovered subtree against the record: every acknowledged
 * write is there with the Stat the server returned, the writes that took effect are a prefix of
 * the attempts (a session's writes are logged in order), a multi took effect whole or not at
 * all, and nothing is there that was never attempted.
 */
public final class WriteLoad implements AutoCloseable {
    static final int WINDOW = 32;

    enum Kind { CREATE, SET, SEQ, DELETE, MULTI }

    enum Status { APPLIED, NOT_APPLIED, UNKNOWN }

    /** One write as sent, and what came back. */
    static final class Attempt {
        final int index;
        final Kind kind;
        final String path;
        final byte[] data;
        final int ordinal; // SET: the counter's version once it is applied; MULTI: counter2's
        volatile boolean answered;
        volatile int rc = Integer.MIN_VALUE;
        volatile Stat stat;
        volatile String createdPath;
        volatile List<OpResult> results;

        Attempt(int index, Kind kind, String path, byte[] data, int ordinal) {
            this.index = index;
            this.kind = kind;
            this.path = path;
            this.data = data;
            this.ordinal = ordinal;
        }

        boolean acked() {
            return answered && rc == KeeperException.Code.OK.intValue();
        }

        @Override
        public String toString() {
            return kind + " #" + index + " " + path + (answered ? " rc=" + rc : " (no answer)");
        }
    }

    /** One session writing into its own subtree. */
    public static final class Writer {
        final int id;
        final String base;
        final ZooKeeper zk;
        private final AtomicLong ackedTotal;
        private final Semaphore window = new Semaphore(WINDOW);
        private final List<Attempt> attempts = new ArrayList<>(); // appended by the writer thread only
        private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean stop;
        private int sets;
        private int multis;

        Writer(int id, String base, ZooKeeper zk, AtomicLong ackedTotal) {
            this.id = id;
            this.base = base;
            this.zk = zk;
            this.ackedTotal = ackedTotal;
            this.thread = new Thread(this::run, "writer-" + base);
        }

        private byte[] dataOf(int i) {
            return ("w" + id + ":" + i).getBytes(StandardCharsets.UTF_8);
        }

        private void run() {
            int i = 0;
            try {
                while (!stop) {
                    if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    if (stop) {
                        window.release();
                        break;
                    }
                    issue(i++);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void issue(int i) {
            byte[] data = dataOf(i);
            Attempt a;
            switch (i % 10) {
                case 6 -> {
                    a = new Attempt(i, Kind.SET, base + "/counter", data, ++sets);
                    attempts.add(a);
                    zk.setData(a.path, data, -1, (AsyncCallback.StatCallback) (rc, p, ctx, stat) -> {
                        a.stat = stat;
                        answered(a, rc);
                    }, null);
                }
                case 7 -> {
                    a = new Attempt(i, Kind.SEQ, base + "/s-", data, 0);
                    attempts.add(a);
                    create(a, CreateMode.PERSISTENT_SEQUENTIAL);
                }
                case 8 -> {
                    a = new Attempt(i, Kind.DELETE, base + "/n" + (i - 8), data, 0);
                    attempts.add(a);
                    zk.delete(a.path, 0, (AsyncCallback.VoidCallback) (rc, p, ctx) -> answered(a, rc), null);
                }
                case 9 -> {
                    a = new Attempt(i, Kind.MULTI, base + "/m" + i, data, ++multis);
                    attempts.add(a);
                    List<Op> ops = List.of(
                        Op.create(a.path + "a", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.create(a.path + "b", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                        Op.setData(base + "/counter2", data, -1));
                    zk.multi(ops, (AsyncCallback.MultiCallback) (rc, p, ctx, results) -> {
                        a.results = results;
                        answered(a, rc);
                    }, null);
                }
                default -> {
                    a = new Attempt(i, Kind.CREATE, base + "/n" + i, data, 0);
                    attempts.add(a);
                    create(a, CreateMode.PERSISTENT);
                }
            }
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
            a.rc = rc;
            a.answered = true;
            if (rc == KeeperException.Code.OK.intValue()) {
                ackedTotal.incrementAndGet();
            } else {
                stop = true;
                if (rc != KeeperException.Code.CONNECTIONLOSS.intValue()
                    && rc != KeeperException.Code.SESSIONEXPIRED.intValue()) {
                    unexpected.add(a + ": " + KeeperException.Code.get(rc));
                }
            }
            window.release();
        }

        /** Stops sending, closes the session's client and waits until every attempt has its answer. */
        void stopAndClose() throws InterruptedException {
            stop = true;
            thread.join(30_000);
            zk.close(5_000);
            if (!window.tryAcquire(WINDOW, 30, TimeUnit.SECONDS)) {
                throw new AssertionError(base + ": writes still unanswered 30 s after its client closed");
            }
        }

        List<Attempt> attempts() {
            return attempts;
        }

        public long acked() {
            return attempts.stream().filter(Attempt::acked).count();
        }

        /**
         * Checks the recovered subtree of this writer; returns how many attempts took effect
         * although no answer came back (the writes in flight when the server died).
         */
        int verify(SortedMap<String, TreeDump.Node> dump, List<String> problems) {
            problems.addAll(unexpected);
            Map<String, TreeDump.Node> children = new HashMap<>();
            dump.forEach((path, node) -> {
                if (path.startsWith(base + "/")) {
                    String name = path.substring(base.length() + 1);
                    if (name.contains("/")) {
                        problems.add(path + ": a znode nobody created (writers create no grandchildren)");
                    } else {
                        children.put(name, node);
                    }
                }
            });
            TreeDump.Node counter = children.get("counter");
            TreeDump.Node counter2 = children.get("counter2");
            if (counter == null || counter2 == null) {
                problems.add(base + ": counter or counter2 is missing");
                return 0;
            }
            Map<String, Attempt> byData = new HashMap<>();
            Map<String, Attempt> byName = new HashMap<>();
            for (Attempt a : attempts) {
                byData.put(new String(a.data, StandardCharsets.UTF_8), a);
                if (a.kind == Kind.CREATE) {
                    byName.put("n" + a.index, a);
                } else if (a.kind == Kind.MULTI) {
                    byName.put("m" + a.index + "a", a);
                    byName.put("m" + a.index + "b", a);
                }
            }
            // nothing that was never attempted, and each znode holds the data of the attempt that made it
            Map<Attempt, String> seqNames = new HashMap<>();
            children.forEach((name, node) -> {
                String data = new String(node.data(), StandardCharsets.UTF_8);
                if (name.equals("counter") || name.equals("counter2")) {
                    return;
                }
                if (name.matches("s-\\d{10}")) {
                    Attempt a = byData.get(data);
                    if (a == null || a.kind != Kind.SEQ) {
                        problems.add(base + "/" + name + ": holds '" + data + "', which no sequential create sent");
                    } else if (seqNames.put(a, name) != null) {
                        problems.add(base + "/" + name + ": a second znode for " + a);
                    }
                    return;
                }
                Attempt a = byName.get(name);
                if (a == null) {
                    problems.add(base + "/" + name + ": never attempted");
                } else if (!Arrays.equals(a.data, node.data())) {
                    problems.add(base + "/" + name + ": holds '" + data + "', not the data of " + a);
                }
            });
            int counterVersion = counter.stat().getVersion();
            int counter2Version = counter2.stat().getVersion();
            checkCounter(counter, counterVersion, Kind.SET, "counter", problems);
            checkCounter(counter2, counter2Version, Kind.MULTI, "counter2", problems);

            Map<Integer, Status> status = new HashMap<>();
            Map<Integer, Attempt> byIndex = new HashMap<>();
            attempts.forEach(a -> byIndex.put(a.index, a));
            for (Attempt a : attempts) {
                switch (a.kind) {
                    case CREATE -> {
                        TreeDump.Node n = children.get("n" + a.index);
                        Attempt delete = a.index % 10 == 0 ? byIndex.get(a.index + 8) : null;
                        if (n != null) {
                            status.put(a.index, Status.APPLIED);
                            if (delete != null) {
                                status.put(delete.index, Status.NOT_APPLIED);
                            }
                            if (a.acked() && !n.stat().equals(a.stat)) {
                                problems.add(a + ": recovered stat " + n + " differs from the acknowledged " + a.stat);
                            }
                        } else if (delete == null) {
                            status.put(a.index, Status.NOT_APPLIED);
                        } else if (a.acked() || delete.acked()) {
                            status.put(a.index, Status.APPLIED); // created, then deleted
                            status.put(delete.index, Status.APPLIED);
                        } else {
                            status.put(a.index, Status.UNKNOWN); // both took effect, or neither did
                            status.put(delete.index, Status.UNKNOWN);
                        }
                    }
                    case DELETE -> status.putIfAbsent(a.index,
                        byIndex.containsKey(a.index - 8) ? Status.UNKNOWN : Status.NOT_APPLIED);
                    case SET -> {
                        status.put(a.index, counterVersion >= a.ordinal ? Status.APPLIED : Status.NOT_APPLIED);
                        if (a.acked() && counterVersion == a.ordinal && !counter.stat().equals(a.stat)) {
                            problems.add(a + ": recovered stat " + counter + " differs from the acknowledged " + a.stat);
                        }
                    }
                    case SEQ -> {
                        String name = seqNames.get(a);
                        status.put(a.index, name != null ? Status.APPLIED : Status.NOT_APPLIED);
                        if (a.acked() && name != null) {
                            TreeDump.Node n = children.get(name);
                            if (!(base + "/" + name).equals(a.createdPath) || !n.stat().equals(a.stat)) {
                                problems.add(a + ": acknowledged as " + a.createdPath + " " + a.stat + " but recovered as "
                                    + base + "/" + name + " " + n);
                            }
                        }
                    }
                    case MULTI -> {
                        TreeDump.Node ma = children.get("m" + a.index + "a");
                        TreeDump.Node mb = children.get("m" + a.index + "b");
                        boolean applied = ma != null && mb != null;
                        if ((ma == null) != (mb == null) || applied != (counter2Version >= a.ordinal)) {
                            problems.add(a + ": took effect only in part (m" + a.index + "a " + (ma != null) + ", m"
                                + a.index + "b " + (mb != null) + ", counter2 version " + counter2Version + ")");
                        }
                        status.put(a.index, applied ? Status.APPLIED : Status.NOT_APPLIED);
                        if (a.acked() && applied) {
                            Stat set = ((OpResult.SetDataResult) a.results.get(2)).getStat();
                            if (ma.stat().getCzxid() != set.getMzxid() || mb.stat().getCzxid() != set.getMzxid()) {
                                problems.add(a + ": its creates and setData do not share the acknowledged zxid 0x"
                                    + Long.toHexString(set.getMzxid()) + ": " + ma + " " + mb);
                            }
                            if (counter2Version == a.ordinal && !counter2.stat().equals(set)) {
                                problems.add(a + ": counter2 recovered as " + counter2 + ", acknowledged " + set);
                            }
                        }
                    }
                    default -> throw new IllegalStateException();
                }
            }
            int firstNotApplied = Integer.MAX_VALUE;
            int lastApplied = -1;
            int appliedUnacked = 0;
            for (Attempt a : attempts) {
                Status s = status.get(a.index);
                if (a.acked() && s == Status.NOT_APPLIED) {
                    problems.add(a + ": acknowledged, but not in the recovered tree");
                }
                if (s == Status.NOT_APPLIED) {
                    firstNotApplied = Math.min(firstNotApplied, a.index);
                } else if (s == Status.APPLIED) {
                    lastApplied = Math.max(lastApplied, a.index);
                    if (!a.acked()) {
                        appliedUnacked++;
                    }
                }
            }
            if (lastApplied > firstNotApplied) {
                problems.add(base + ": attempt " + lastApplied + " took effect but the earlier attempt " + firstNotApplied
                    + " did not: the session's writes must be a prefix");
            }
            return appliedUnacked;
        }

        private void checkCounter(TreeDump.Node node, int version, Kind kind, String name, List<String> problems) {
            String expected = "init";
            if (version > 0) {
                Attempt setter = attempts.stream().filter(a -> a.kind == kind && a.ordinal == version).findFirst().orElse(null);
                if (setter == null) {
                    problems.add(base + "/" + name + ": version " + version + " but only "
                        + attempts.stream().filter(a -> a.kind == kind).count() + " writes to it were attempted");
                    return;
                }
                expected = new String(setter.data, StandardCharsets.UTF_8);
            }
            String actual = new String(node.data(), StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                problems.add(base + "/" + name + ": version " + version + " holds '" + actual + "', expected '" + expected + "'");
            }
        }
    }

    private final List<Writer> writers = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private boolean closed;
    private final String root;

    private WriteLoad(String root) {
        this.root = root;
    }

    /** Opens one writer's session (writer {@code index} of the load). */
    @FunctionalInterface
    public interface Sessions {
        ZooKeeper open(int index) throws Exception;
    }

    /** Creates {@code root} and one subtree per writer, then starts {@code count} writers. */
    public static WriteLoad start(String connectString, String root, int count) throws Exception {
        return start(connectString, root, count, w -> ZkClients.connect(connectString));
    }

    /**
     * As {@link #start(String, String, int)}, with each writer's session opened by {@code sessions}
     * (e.g. to spread the writers over an ensemble's servers).
     */
    public static WriteLoad start(String connectString, String root, int count, Sessions sessions) throws Exception {
        WriteLoad load = new WriteLoad(root);
        try (ZooKeeper setup = ZkClients.connect(connectString)) {
            setup.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int w = 0; w < count; w++) {
                String base = root + "/w" + w;
                setup.create(base, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                setup.create(base + "/counter", "init".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
                setup.create(base + "/counter2", "init".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            }
        }
        try {
            for (int w = 0; w < count; w++) {
                load.writers.add(new Writer(w, root + "/w" + w, sessions.open(w), load.acked));
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

    /** Stops every writer and closes its client; every attempt has its answer afterwards. */
    public void stopAndClose() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        writers.forEach(w -> w.stop = true);
        // closing a client whose server is gone waits for its reconnect loop: close them side by side
        List<Thread> closers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
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

    /** Verifies every writer's subtree and that the root holds nothing else; returns the writes that took effect unacknowledged. */
    public int verify(SortedMap<String, TreeDump.Node> dump, List<String> problems) {
        int appliedUnacked = 0;
        for (Writer w : writers) {
            appliedUnacked += w.verify(dump, problems);
        }
        dump.keySet().stream()
            .filter(p -> p.startsWith(root + "/"))
            .filter(p -> writers.stream().noneMatch(w -> p.equals(w.base) || p.startsWith(w.base + "/")))
            .forEach(p -> problems.add(p + ": not written by any writer"));
        return appliedUnacked;
    }
}
