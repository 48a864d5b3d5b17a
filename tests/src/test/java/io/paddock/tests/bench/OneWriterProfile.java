package io.paddock.tests.bench;

import io.paddock.tests.support.ProcessEnsemble;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where one writer's time goes (issue 11, "profile with JFR first"): a 3-node ensemble, every
 * node its own JVM, one session with one setData of 100 bytes in flight, first through a follower,
 * then through the leader. For each it prints writes/s, p50/p99, and per node the CPU time and the
 * thread wake-ups (voluntary context switches) per write by thread group, read from
 * {@code /proc/<pid>/task} at the edges of the measured window, plus the same per second with no
 * load. With {@code -Dbench.jfr=DIR} it then records each node with JFR over a second window
 * ({@code jcmd JFR.start/JFR.stop}, settings {@code -Dbench.jfc}, default "profile") and writes
 * {@code DIR/<target>-node<N>-<role>.jfr} and {@code DIR/<target>.writes} (the writes made while
 * recording); {@code -Dbench.perf=DIR} does the same with Linux perf ({@link #perf}).
 * {@code -Dbench.system=zookeeper} measures Apache ZooKeeper 3.9.5 the same way.
 * The recorders cost CPU even between their windows (once a JVM has recorded, its "JFR Periodic
 * Tasks" thread wakes ~90 times a second), so take the CPU figures from a run without them.
 * {@code -Dbench.load=32x16} profiles that many sessions with that many writes in flight each
 * (default {@code 1x1}), all through the same node: under such a load hot methods show, where one
 * writer's time is all hand-offs.
 * Linux only; prints figures, asserts nothing. Run:
 * {@code nice mvn -B -Pbenchmark -pl tests -am verify -Dtest=OneWriterProfile -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class OneWriterProfile {
    private static final String SYSTEM = System.getProperty("bench.system", "paddock");
    /** Sessions x writes in flight per session. */
    private static final String LOAD = System.getProperty("bench.load", "1x1");
    private static final int SESSIONS = Integer.parseInt(LOAD.split("x")[0]);
    private static final int IN_FLIGHT = Integer.parseInt(LOAD.split("x")[1]);
    private static final long JIT_WARMUP_MS = Long.getLong("bench.jitWarmupMs", 60000);
    private static final long IDLE_MS = Long.getLong("bench.idleMs", 10000);
    private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 5000);
    private static final long MEASURE_MS = Long.getLong("bench.measureMs", 30000);
    private static final String JFR_DIR = System.getProperty("bench.jfr", "");
    private static final String JFR_SETTINGS = System.getProperty("bench.jfc", "profile");
    private static final String PERF_DIR = System.getProperty("bench.perf", "");
    /** Counts each node's system calls per write with {@code perf stat} ({@link #syscalls}). */
    private static final boolean SYSCALLS = Boolean.getBoolean("bench.syscalls");
    private static final List<String> COUNTED_CALLS = List.of("read", "write", "readv", "writev", "epoll_wait",
        "epoll_ctl", "futex", "fdatasync", "pwrite64", "sendto", "recvfrom", "sendmsg", "recvmsg", "poll");
    /** How long each profile (JFR, perf) records. */
    private static final long JFR_MS = Long.getLong("bench.jfrMs", 20000);
    private static final Duration START = Duration.ofSeconds(90);
    /** /proc counts user and system time in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
    private static final double TICK_MICROS = 10_000;

    @TempDir
    Path dir;

    @Test
    void oneSessionOneWriteInFlight() throws Exception {
        Map<String, String> cfg = Map.of("maxClientCnxns", "0");
        ProcessEnsemble ensemble = SYSTEM.equals("zookeeper") ? ProcessEnsemble.zookeeper(dir, 3, cfg)
            : ProcessEnsemble.create(dir, 3, cfg);
        try (ProcessEnsemble nodes = ensemble.withJvmArgs("-Xmx1g").startAll(START)) {
            int leader = nodes.awaitServing(START);
            int follower = nodes.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            Map<Integer, String> roles = new TreeMap<>();
            nodes.ids().forEach(id -> roles.put(id, id == leader ? "leader" : "follower"));
            if (!JFR_DIR.isEmpty()) {
                // a JVM's first recording loads and compiles the recorder: not in a measured window
                jcmdAll(nodes, "JFR.start", "name=warm-up", "settings=" + JFR_SETTINGS);
            }
            // unmeasured: writes through every node while the JITs compile
            LoadGenerator.withSessions(6, i -> nodes.connectString(nodes.ids().get(i % 3)),
                sessions -> LoadGenerator.run("warm-up", sessions, 2, LoadGenerator.Kind.SET_DATA, 100, JIT_WARMUP_MS, 0,
                    nodes::cpu));
            if (!JFR_DIR.isEmpty()) {
                jcmdAll(nodes, "JFR.stop", "name=warm-up");
            }
            Map<Integer, Map<Long, ThreadStat>> idleStart = snapshot(nodes);
            Thread.sleep(IDLE_MS); // the window with no client load
            report(SYSTEM + " idle, per second", roles, idleStart, snapshot(nodes), IDLE_MS / 1000.0);
            if (!PERF_DIR.isEmpty()) {
                perf(nodes, "idle", null);
            }
            List<Integer> targets = List.of(follower, leader);
            for (int target : targets) {
                String name = roles.get(target);
                LoadGenerator.withSessions(SESSIONS, i -> nodes.connectString(target), sessions -> {
                    List<Map<Integer, Map<Long, ThreadStat>>> edges = new ArrayList<>();
                    Supplier<Duration> probe = () -> {
                        edges.add(snapshot(nodes));
                        return nodes.cpu();
                    };
                    LoadGenerator.Result r = LoadGenerator.run(String.format("%-9s setData %s via %s", SYSTEM, LOAD, name),
                        sessions, IN_FLIGHT, LoadGenerator.Kind.SET_DATA, 100, WARMUP_MS, MEASURE_MS, probe);
                    System.out.println(r);
                    report(SYSTEM + " via " + name + ", per write", roles, edges.get(0), edges.get(1), r.ops());
                });
            }
            // the profiles last: starting and stopping a recorder makes the JIT work again for a while
            for (int target : targets) {
                String name = roles.get(target);
                LoadGenerator.withSessions(SESSIONS, i -> nodes.connectString(target), sessions -> {
                    if (!PERF_DIR.isEmpty()) {
                        perf(nodes, name, sessions);
                    }
                    if (SYSCALLS) {
                        syscalls(nodes, roles, name, sessions);
                    }
                    if (!JFR_DIR.isEmpty()) {
                        record(nodes, roles, name, sessions);
                    }
                });
            }
        }
    }

    /**
     * Samples every node with Linux perf (kernel stacks, and Java frames where the JVMs keep frame
     * pointers: {@code -Dpaddock.node.jvmArgs=-XX:+PreserveFramePointer}) while the session writes for
     * {@link #JFR_MS} ({@code sessions} null: for as long with no load); writes {@code DIR/<target>.perf.data},
     * {@code DIR/<target>.writes} and the JITs' symbol maps ({@code /tmp/perf-<pid>.map}, which perf report reads).
     */
    private static void perf(ProcessEnsemble nodes, String target, List<ZooKeeper> sessions) throws Exception {
        Path out = Path.of(PERF_DIR);
        Files.createDirectories(out);
        String pids = String.join(",", nodes.ids().stream().map(id -> Long.toString(nodes.process(id).pid())).toList());
        Process perf = new ProcessBuilder("perf", "record", "-e", "cpu-clock", "-F", "2000", "-g", "-p", pids,
            "-o", out.resolve(target + ".perf.data").toString())
            .redirectErrorStream(true).redirectOutput(out.resolve(target + ".perf.log").toFile()).start();
        long writes = 0;
        if (sessions == null) {
            Thread.sleep(JFR_MS); // no load: what the nodes do on their own
        } else {
            LoadGenerator.Result r = LoadGenerator.run(String.format("%-9s setData %s via %s (perf)", SYSTEM, LOAD, target),
                sessions, IN_FLIGHT, LoadGenerator.Kind.SET_DATA, 100, 0, JFR_MS, nodes::cpu);
            System.out.println(r);
            writes = r.ops();
        }
        perf.destroy(); // SIGTERM: perf writes its file and exits
        perf.waitFor();
        jcmdAll(nodes, "Compiler.perfmap");
        Files.writeString(out.resolve(target + ".writes"), writes + "\n");
        System.out.println("perf samples of " + writes + " writes via the " + target + " in " + out + " (node pids " + pids + ")");
    }

    /**
     * Counts each node's system calls by kind ({@code perf stat} on its syscall tracepoints) while the
     * sessions write for {@link #JFR_MS}, and prints them per write: every call on this VM costs a few
     * microseconds of kernel time and many wake a thread, so their number per write is what batching buys.
     */
    private static void syscalls(ProcessEnsemble nodes, Map<Integer, String> roles, String target, List<ZooKeeper> sessions)
        throws Exception {
        String events = String.join(",", COUNTED_CALLS.stream().map(c -> "syscalls:sys_enter_" + c).toList());
        Map<Integer, Process> stats = new TreeMap<>();
        Map<Integer, Path> counts = new TreeMap<>();
        for (int id : nodes.ids()) {
            counts.put(id, Files.createTempFile("perf-stat-node" + id, ".csv"));
            // counts for as long as the load runs (perf stat prints nothing when it is stopped by a signal)
            stats.put(id, new ProcessBuilder("perf", "stat", "-x", ",", "-e", events, "-p",
                Long.toString(nodes.process(id).pid()), "-o", counts.get(id).toString(), "--", "sleep",
                Double.toString(JFR_MS / 1000.0)).redirectErrorStream(true).start());
        }
        LoadGenerator.Result r = LoadGenerator.run(String.format("%-9s setData %s via %s (perf stat)", SYSTEM, LOAD, target),
            sessions, IN_FLIGHT, LoadGenerator.Kind.SET_DATA, 100, 0, JFR_MS, nodes::cpu);
        System.out.println(r);
        System.out.println(SYSTEM + " via " + target + ", system calls per write:");
        for (Map.Entry<Integer, Process> e : stats.entrySet()) {
            e.getValue().waitFor();
            String output = Files.readString(counts.get(e.getKey()));
            Files.delete(counts.get(e.getKey()));
            StringBuilder line = new StringBuilder(String.format("  node %d (%s):", e.getKey(), roles.get(e.getKey())));
            double total = 0;
            for (String row : output.split("\n")) {
                String[] f = row.split(",");
                if (f.length > 2 && f[2].startsWith("syscalls:sys_enter_") && f[0].matches("\\d+")) {
                    double perWrite = Long.parseLong(f[0]) / (double) r.ops();
                    total += perWrite;
                    if (perWrite >= 0.01) {
                        line.append(String.format(" %s %.2f", f[2].substring("syscalls:sys_enter_".length()), perWrite));
                    }
                }
            }
            System.out.println(line.append(String.format("  (all %.2f)", total)));
        }
    }

    private static void jcmdAll(ProcessEnsemble nodes, String... args) throws IOException, InterruptedException {
        for (int id : nodes.ids()) {
            jcmd(nodes.process(id).pid(), args);
        }
    }

    /** Records every node with JFR while the sessions write for {@link #JFR_MS}. */
    private static void record(ProcessEnsemble nodes, Map<Integer, String> roles, String target, List<ZooKeeper> sessions)
        throws Exception {
        Path out = Path.of(JFR_DIR);
        Files.createDirectories(out);
        for (int id : nodes.ids()) {
            jcmd(nodes.process(id).pid(), "JFR.start", "name=onewriter", "settings=" + JFR_SETTINGS);
        }
        LoadGenerator.Result r = LoadGenerator.run(String.format("%-9s setData %s via %s (JFR)", SYSTEM, LOAD, target),
            sessions, IN_FLIGHT, LoadGenerator.Kind.SET_DATA, 100, 0, JFR_MS, nodes::cpu);
        long writes = r.ops();
        for (int id : nodes.ids()) {
            Path file = out.resolve(target + "-node" + id + "-" + roles.get(id) + ".jfr");
            jcmd(nodes.process(id).pid(), "JFR.stop", "name=onewriter", "filename=" + file);
        }
        System.out.println(r);
        Files.writeString(out.resolve(target + ".writes"), writes + "\n");
        System.out.println("JFR recordings of " + writes + " writes via the " + target + " in " + out);
    }

    private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
        }
    }

    /** One thread's CPU time and context switches so far (Linux /proc). */
    private record ThreadStat(String name, long cpuNanos, long systemTicks, long voluntary, long involuntary) {
    }

    private static Map<Integer, Map<Long, ThreadStat>> snapshot(ProcessEnsemble nodes) {
        Map<Integer, Map<Long, ThreadStat>> all = new TreeMap<>();
        for (int id : nodes.ids()) {
            all.put(id, threads(nodes.process(id).pid()));
        }
        return all;
    }

    private static Map<Long, ThreadStat> threads(long pid) {
        Map<Long, ThreadStat> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    long voluntary = 0;
                    long involuntary = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                    long cpu = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    String stat = Files.readString(task.resolve("stat"));
                    // after the name in parentheses: state is field 3, stime (clock ticks) field 15
                    long system = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]);
                    String name = Files.readString(task.resolve("comm")).strip();
                    threads.put(Long.parseLong(task.getFileName().toString()),
                        new ThreadStat(name, cpu, system, voluntary, involuntary));
                } catch (NoSuchFileException e) {
                    // the thread ended while it was read
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return threads;
    }

    /**
     * Per node, the CPU and wake-ups between two snapshots divided by {@code per}, by thread group
     * (the kernel's 15-character thread name without its number: all of a pool's threads together).
     */
    private static void report(String title, Map<Integer, String> roles, Map<Integer, Map<Long, ThreadStat>> from,
                               Map<Integer, Map<Long, ThreadStat>> to, double per) {
        System.out.printf(Locale.ROOT, "%n%s: CPU us, wake-ups (voluntary switches), preemptions%n", title);
        double cpuAll = 0;
        double wakeAll = 0;
        for (int id : roles.keySet()) {
            Map<String, double[]> groups = new LinkedHashMap<>();
            for (Map.Entry<Long, ThreadStat> e : to.get(id).entrySet()) {
                ThreadStat now = e.getValue();
                ThreadStat then = from.get(id).getOrDefault(e.getKey(), new ThreadStat(now.name(), 0, 0, 0, 0));
                double[] g = groups.computeIfAbsent(now.name().replaceAll("[#:\\-]?\\d+$", ""), k -> new double[4]);
                g[0] += (now.cpuNanos() - then.cpuNanos()) / 1000.0 / per;
                g[1] += (now.voluntary() - then.voluntary()) / per;
                g[2] += (now.involuntary() - then.involuntary()) / per;
                g[3] += (now.systemTicks() - then.systemTicks()) * TICK_MICROS / per;
            }
            double cpu = groups.values().stream().mapToDouble(g -> g[0]).sum();
            double wake = groups.values().stream().mapToDouble(g -> g[1]).sum();
            double system = groups.values().stream().mapToDouble(g -> g[3]).sum();
            cpuAll += cpu;
            wakeAll += wake;
            System.out.printf(Locale.ROOT, "  node %d (%s): CPU %.0f us (%.0f us in the kernel), wake-ups %.1f%n", id,
                roles.get(id), cpu, system, wake);
            groups.entrySet().stream().filter(e -> e.getValue()[0] >= 1 || e.getValue()[1] >= 0.1)
                .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> System.out.printf(Locale.ROOT,
                    "    %-18s %8.1f us (kernel %6.1f) %7.2f wake-ups %6.2f preempted%n",
                    e.getKey(), e.getValue()[0], e.getValue()[3], e.getValue()[1], e.getValue()[2]));
        }
        System.out.printf(Locale.ROOT, "  all nodes: CPU %.0f us, wake-ups %.1f%n", cpuAll, wakeAll);
    }
}
