package io.paddock.tests.bench;

import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.ServerConfigs;
import io.paddock.tests.support.ServerProcess;
import io.paddock.tests.support.ZkClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paddock against Apache ZooKeeper 3.9.5 with a large tree (issue 11, "Scale without pauses"):
 * each standalone in its own JVM with -Xmx3g on the same generated zoo.cfg, one system after the
 * other. For each:
 * <ol>
 * <li>with a snapCount that no snapshot reaches, {@code -Dbench.znodes} (default 1,000,000)
 * individual creates of 100-byte values under 1,000 parents, pipelined from 8 sessions with 200
 * in flight each: creates/s, and the live heap per znode (jcmd GC.run, then GC.heap_info, before
 * and after);</li>
 * <li>SIGTERM and a cold start, which replays those txns: the time from starting the JVM to a
 * getData of the last znode, then a check of every parent's child count and of a sample's data,
 * with the server's own log lines about what it loaded; then the write phase below with no
 * snapshot due, to tell a snapshot's stall from the load's own slowest write;</li>
 * <li>SIGTERM, snapCount max(2000, znodes / 50), a start, and setData of 100 B on random znodes
 * of the tree from 8 sessions with 4 in flight each for {@code -Dbench.stallMs} (default 30 s)
 * after a warm-up: writes/s, p50, p99, p99.9 and the longest single write, the snapshots the
 * server took meanwhile (its own log lines, printed), its longest GC pause meanwhile, and the
 * longest time its threads waited for one to reach a safepoint (a thread that cannot be stopped
 * stalls every other: {@code -Xlog:safepoint}'s "Reaching safepoint").</li>
 * </ol>
 * Prints figures; fails only when something breaks (a create or write fails, data differs after
 * the restart, a server dies). Not part of the normal build: run it alone with
 * {@code mvn -B -Pbenchmark -pl tests -am verify -Dtest=LargeTreeBenchmark -Dsurefire.failIfNoSpecifiedTests=false},
 * with {@code -Dbench.znodes=20000} for a quick try.
 */
@Tag("benchmark")
class LargeTreeBenchmark {
    private static final int ZNODES = Integer.getInteger("bench.znodes", 1_000_000);
    private static final long STALL_MS = Long.getLong("bench.stallMs", 30_000);
    private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 5_000);
    /** Leaves go under this many parents, so that no znode has a huge list of children. */
    private static final int PARENTS = Math.min(1000, ZNODES);
    private static final int CREATED = ZNODES + PARENTS + 1;
    private static final int SESSIONS = 8;
    private static final int BUILD_IN_FLIGHT = 200;
    private static final int WRITE_IN_FLIGHT = 4;
    private static final int VALUE_SIZE = 100;
    /** Loading a large tree, replaying its txns and snapshotting it take a while on shared cores. */
    private static final Duration START = Duration.ofMinutes(10);
    /** The servers' own lines on recovery: Paddock's TxnLog; ZooKeeper's FileTxnSnapLog and ZKDatabase. */
    /** One line per snapshot started: Paddock's Applier; ZooKeeper's FileTxnSnapLog. */
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot of \\d+ znodes|Snapshotting: 0x");
    /** With ZooKeeperServer's "Snapshot taken in X ms", the lines printed about snapshots. */
    private static final Pattern SNAPSHOT_LINES = Pattern.compile(SNAPSHOT.pattern() + "|Snapshot taken in|not saved|skipped");
    /** The servers' own lines on recovery (Paddock's TxnLog; ZooKeeper's FileTxnSnapLog and ZKDatabase), and snapshots. */
    private static final Pattern RECOVERY = Pattern.compile("Recovered |txns loaded in|Snapshot loaded in|"
        + SNAPSHOT_LINES.pattern());
    /** A stop-the-world pause in -Xlog:gc output: uptime first, duration last. */
    private static final Pattern GC_PAUSE = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].* Pause .* (\\d+\\.\\d+)ms$");
    /** How long a safepoint took to reach, in -Xlog:safepoint output (ns): uptime first. */
    private static final Pattern SAFEPOINT_REACHED = Pattern.compile("^\\[(\\d+\\.\\d+)s\\].* Reaching safepoint: (\\d+) ns");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path dir;

    record Measured(String name, double heapPerZnode, double createsPerSecond, double recoverySeconds,
                    LoadGenerator.Result writes, int snapshots, double longestGcPauseMillis,
                    double longestSafepointWaitMillis, LoadGenerator.Result quiet) {
        String row() {
            return String.format(Locale.ROOT, "%-9s %8.0f B %10.0f %8.1f s %9.0f %7.2f %7.2f %8.2f %8.1f %8.0f %9d %9.1f ms"
                    + " %9.1f ms %9.1f",
                name, heapPerZnode, createsPerSecond, recoverySeconds, writes.opsPerSecond(), writes.p50Micros() / 1000,
                writes.p99Micros() / 1000, writes.p999Micros() / 1000, writes.maxMicros() / 1000, writes.cpuMicrosPerOp(),
                snapshots, longestGcPauseMillis, longestSafepointWaitMillis, quiet.maxMicros() / 1000);
        }
    }

    /** One write phase: its figures, the snapshot lines the server logged meanwhile, its longest GC pause and safepoint wait. */
    private record WritePhase(LoadGenerator.Result writes, List<String> snapshotLines, double longestGcPauseMillis,
                              double longestSafepointWaitMillis) {
        int snapshots() {
            return (int) snapshotLines.stream().filter(l -> SNAPSHOT.matcher(l).find()).count();
        }
    }

    @Test
    void largeTreePaddockAgainstZooKeeper() throws Exception {
        Measured zookeeper = measure("zookeeper", true);
        Measured paddock = measure("paddock", false);
        System.out.println();
        System.out.printf(Locale.ROOT, "Large tree, standalone, -Xmx3g, one system at a time: %d znodes of %d B under %d parents,"
                + " built by %d sessions x %d creates in flight; then %d x %d setData of random znodes for %d s,"
                + " snapCount %d%n", ZNODES, VALUE_SIZE, PARENTS, SESSIONS, BUILD_IN_FLIGHT, SESSIONS, WRITE_IN_FLIGHT,
            STALL_MS / 1000, writeSnapCount());
        System.out.println("system    heap/znode  creates/s  recovery  writes/s  p50 ms  p99 ms p99.9 ms   max ms"
            + " CPU us/op snapshots  longest GC pause  safepoint wait  max ms without snapshots");
        System.out.println(zookeeper.row());
        System.out.println(paddock.row());
        System.out.printf(Locale.ROOT, "Paddock/ZooKeeper: heap per znode %.2fx, creates/s %.2fx, recovery time %.2fx,"
                + " writes/s %.2fx, write p99 %.2fx, longest write %.2fx (without snapshots %.2fx)%n%n",
            paddock.heapPerZnode() / zookeeper.heapPerZnode(), paddock.createsPerSecond() / zookeeper.createsPerSecond(),
            paddock.recoverySeconds() / zookeeper.recoverySeconds(),
            paddock.writes().opsPerSecond() / zookeeper.writes().opsPerSecond(),
            paddock.writes().p99Micros() / zookeeper.writes().p99Micros(),
            paddock.writes().maxMicros() / zookeeper.writes().maxMicros(),
            paddock.quiet().maxMicros() / zookeeper.quiet().maxMicros());
    }

    private Measured measure(String name, boolean zookeeper) throws Exception {
        Path home = dir.resolve(name);
        int port = LoopbackPorts.free();
        Path cfg = config(home, port, 2 * ZNODES + 100_000); // snapshots come at snapCount/2..snapCount txns
        Path gcLog = home.resolve("gc.log");
        ServerProcess process = zookeeper ? ServerProcess.zookeeper(cfg, port)
            .withJvmArgs("-Dlogback.configurationFile=logback-zookeeper-persistence.xml") : new ServerProcess(cfg, port);
        try (ServerProcess server = process.withJvmArgs("-Xmx3g", "-Xlog:gc,safepoint:file=" + gcLog)) {
            start(server, port);
            long baseline = liveHeapBytes(server);
            int mark = logLines(server).size();
            double createsPerSecond = build(server.connectString());
            long built = liveHeapBytes(server);
            double heapPerZnode = (double) (built - baseline) / CREATED;
            System.out.printf(Locale.ROOT, "%s: %d creates/s; live heap %d MB before, %d MB after: %.0f B per znode;"
                    + " snapshots during the build: %d%n", name, Math.round(createsPerSecond), baseline >> 20, built >> 20,
                heapPerZnode, linesSince(server, mark, SNAPSHOT).size());
            stop(server);

            mark = logLines(server).size();
            long began = System.nanoTime();
            start(server, port);
            double servingSeconds = (System.nanoTime() - began) / 1e9;
            awaitLastZnode(server);
            double recoverySeconds = (System.nanoTime() - began) / 1e9;
            verifyTree(server.connectString());
            System.out.printf(Locale.ROOT, "%s: recovery of %d txns: %.1f s from the JVM's start to the last znode read"
                + " (serving after %.1f s); its log:%n", name, CREATED, recoverySeconds, servingSeconds);
            linesSince(server, mark, RECOVERY).forEach(line -> System.out.println("  " + line));
            stop(server);

            // the same writes with no snapshot due, to tell a snapshot's stall from the load's own
            start(server, port);
            WritePhase quiet = writePhase(name + " setData, no snapshot", server, gcLog);
            stop(server);

            config(home, port, writeSnapCount());
            start(server, port);
            WritePhase phase = writePhase(name + " setData", server, gcLog);
            System.out.printf(Locale.ROOT, "%s: longest write %.1f ms with no snapshot due; with snapshots: %s, p99.9 %.1f"
                    + " ms, longest write %.1f ms, %d snapshots; longest GC pause %.1f ms, longest wait for a safepoint"
                    + " %.1f ms; its snapshot lines:%n", name,
                quiet.writes().maxMicros() / 1000, phase.writes(), phase.writes().p999Micros() / 1000,
                phase.writes().maxMicros() / 1000, phase.snapshots(), phase.longestGcPauseMillis(),
                phase.longestSafepointWaitMillis());
            phase.snapshotLines().forEach(line -> System.out.println("  " + line));
            stop(server);
            return new Measured(name, heapPerZnode, createsPerSecond, recoverySeconds, phase.writes(), phase.snapshots(),
                phase.longestGcPauseMillis(), phase.longestSafepointWaitMillis(), quiet.writes());
        }
    }

    /** setData of random znodes from 8 sessions for {@code -Dbench.stallMs}, after a warm-up; fails if any write fails. */
    private static WritePhase writePhase(String label, ServerProcess server, Path gcLog) throws Exception {
        LoadGenerator.Result[] writes = new LoadGenerator.Result[1];
        List<String> snapshotLines = new ArrayList<>();
        double[] longestGcPause = new double[1];
        double[] longestSafepointWait = new double[1];
        IntFunction<String> anyLeaf = session -> leaf(ThreadLocalRandom.current().nextInt(ZNODES));
        LoadGenerator.withSessions(SESSIONS, i -> server.connectString(), sessions -> {
            LoadGenerator.run("warm-up", sessions, WRITE_IN_FLIGHT, LoadGenerator.Kind.SET_DATA, VALUE_SIZE, WARMUP_MS,
                0, server::cpu, anyLeaf);
            int phaseMark = logLines(server).size();
            Instant phaseStart = Instant.now();
            writes[0] = LoadGenerator.run(label, sessions, WRITE_IN_FLIGHT, LoadGenerator.Kind.SET_DATA,
                VALUE_SIZE, 0, STALL_MS, server::cpu, anyLeaf);
            snapshotLines.addAll(linesSince(server, phaseMark, SNAPSHOT_LINES));
            double from = uptime(server, phaseStart);
            double to = uptime(server, Instant.now());
            longestGcPause[0] = longestMillis(gcLog, GC_PAUSE, 1, from, to);
            longestSafepointWait[0] = longestMillis(gcLog, SAFEPOINT_REACHED, 1e-6, from, to);
        });
        if (writes[0].errors() > 0 || !server.isAlive()) {
            throw new AssertionError(label + ": " + writes[0].errors() + " writes failed; server alive: "
                + server.isAlive() + "; see " + server.log());
        }
        return new WritePhase(writes[0], snapshotLines, longestGcPause[0], longestSafepointWait[0]);
    }

    private static int writeSnapCount() {
        return Math.max(2000, ZNODES / 50);
    }

    /** Writes (or rewrites) the zoo.cfg both systems read. */
    private static Path config(Path home, int port, int snapCount) {
        return ServerConfigs.standalone(home, port, Map.of("tickTime", "2000", "maxClientCnxns", "0",
            "snapCount", Integer.toString(snapCount)));
    }

    private static String leaf(int k) {
        return "/t/" + k % PARENTS + "/" + k / PARENTS;
    }

    private static byte[] value(int k) {
        return String.format(Locale.ROOT, "%0" + VALUE_SIZE + "d", k).getBytes(StandardCharsets.US_ASCII);
    }

    /** Creates /t, its parents, then the leaves (timed); returns leaves created per second. */
    private static double build(String connectString) throws Exception {
        long[] nanos = new long[1];
        LoadGenerator.withSessions(SESSIONS, i -> connectString, sessions -> {
            sessions.get(0).create("/t", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            createAll(sessions, PARENTS, k -> "/t/" + k, k -> new byte[0]);
            long began = System.nanoTime();
            createAll(sessions, ZNODES, LargeTreeBenchmark::leaf, LargeTreeBenchmark::value);
            nanos[0] = System.nanoTime() - began;
        });
        return ZNODES / (nanos[0] / 1e9);
    }

    /**
     * Creates znodes 0..count-1 as individual txns, session s the s-th of every {@code sessions.size()},
     * each session with {@link #BUILD_IN_FLIGHT} creates outstanding; fails on the first error.
     */
    private static void createAll(List<ZooKeeper> sessions, int count, IntFunction<String> path,
                                  IntFunction<byte[]> data) throws InterruptedException {
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sessions.size(); s++) {
            ZooKeeper zk = sessions.get(s);
            int first = s;
            threads.add(new Thread(() -> {
                Semaphore window = new Semaphore(BUILD_IN_FLIGHT);
                AsyncCallback.StringCallback done = (rc, p, ctx, name) -> {
                    if (rc != KeeperException.Code.OK.intValue()) {
                        failure.compareAndSet(null, "create " + p + ": " + KeeperException.Code.get(rc));
                    }
                    window.release();
                };
                try {
                    for (int k = first; k < count && failure.get() == null; k += sessions.size()) {
                        window.acquire();
                        zk.create(path.apply(k), data.apply(k), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, done,
                            null);
                    }
                    window.acquire(BUILD_IN_FLIGHT); // the last answers
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, "interrupted");
                }
            }, "create-" + s));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /**
     * Starts the JVM and waits until srvr shows it serving, asking often with a short read timeout
     * (see {@link ServerProcess#launch}): ZooKeeper answers ruok, all that {@link ServerProcess#start}
     * waits for, while it still loads its data.
     */
    private static void start(ServerProcess server, int port) {
        server.launch();
        Await.until(START, server.connectString() + " serving", () -> {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited; see " + server.log());
            }
            return ServerProcess.fourLetterWord("127.0.0.1", port, "srvr", Duration.ofMillis(250)).contains("Zxid:");
        });
    }

    /** Waits until a new session reads the last leaf, with the right data. */
    private static void awaitLastZnode(ServerProcess server) {
        int last = ZNODES - 1;
        Await.until(START, "getData of " + leaf(last), () -> {
            try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                byte[] data = zk.getData(leaf(last), false, null);
                if (!Arrays.equals(data, value(last))) {
                    throw new IllegalStateException(leaf(last) + " holds " + new String(data, StandardCharsets.US_ASCII));
                }
                return true;
            }
        });
    }

    /** Every parent has its children, and a sample of leaves holds what was written. */
    private static void verifyTree(String connectString) throws Exception {
        try (ZooKeeper zk = ZkClients.connect(connectString)) {
            long children = 0;
            for (int k = 0; k < PARENTS; k++) {
                Stat stat = zk.exists("/t/" + k, false);
                if (stat == null) {
                    throw new AssertionError("/t/" + k + " is missing after the restart");
                }
                children += stat.getNumChildren();
            }
            if (children != ZNODES) {
                throw new AssertionError(children + " leaves after the restart, not " + ZNODES);
            }
            Random random = new Random(11);
            for (int i = 0; i < 1000; i++) {
                int k = random.nextInt(ZNODES);
                if (!Arrays.equals(zk.getData(leaf(k), false, null), value(k))) {
                    throw new AssertionError(leaf(k) + " holds other data after the restart");
                }
            }
        }
    }

    private static void stop(ServerProcess server) throws InterruptedException {
        if (!server.isAlive()) {
            throw new AssertionError("the server died; see " + server.log());
        }
        server.stop();
    }

    /** The heap's used bytes after a full GC: what is live. */
    private static long liveHeapBytes(ServerProcess server) throws IOException, InterruptedException {
        jcmd(server.pid(), "GC.run");
        String info = jcmd(server.pid(), "GC.heap_info");
        long usedKb = 0;
        for (String line : info.split("\n")) {
            if (line.contains("Metaspace")) {
                break; // the heap's lines come first (one for G1, one per generation otherwise)
            }
            Matcher m = HEAP_USED.matcher(line);
            while (m.find()) {
                usedKb += Long.parseLong(m.group(1));
            }
        }
        if (usedKb == 0) {
            throw new IllegalStateException("no heap figure in jcmd's answer:\n" + info);
        }
        return usedKb * 1024;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + out);
        }
        return out;
    }

    /** The server's log (every start appends to it); not UTF-8-strict, a log is not worth failing over. */
    private static List<String> logLines(ServerProcess server) throws IOException {
        return Files.readAllLines(server.log(), StandardCharsets.ISO_8859_1);
    }

    private static List<String> linesSince(ServerProcess server, int mark, Pattern pattern) throws IOException {
        List<String> lines = logLines(server);
        return lines.subList(mark, lines.size()).stream().filter(l -> pattern.matcher(l).find()).toList();
    }

    /** Seconds from the server process's start to {@code at}: about its JVM's uptime, as -Xlog prints it. */
    private static double uptime(ServerProcess server, Instant at) {
        Instant started = ProcessHandle.of(server.pid()).flatMap(h -> h.info().startInstant())
            .orElseThrow(() -> new IllegalStateException("no start time for process " + server.pid()));
        return Duration.between(started, at).toNanos() / 1e9;
    }

    /**
     * The longest duration (group 2 of {@code pattern}, times {@code toMillis}) logged between two
     * uptimes (group 1) in the last JVM's -Xlog output.
     */
    private static double longestMillis(Path gcLog, Pattern pattern, double toMillis, double from, double to)
        throws IOException {
        double longest = 0;
        for (String line : Files.readAllLines(gcLog, StandardCharsets.ISO_8859_1)) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                double at = Double.parseDouble(m.group(1));
                if (at >= from && at <= to) {
                    longest = Math.max(longest, Double.parseDouble(m.group(2)) * toMillis);
                }
            }
        }
        return longest;
    }
}
