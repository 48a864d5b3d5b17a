package io.paddock.tests.bench;

import com.sun.management.OperatingSystemMXBean;
import io.paddock.tests.support.ZkClients;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;

/**
 * Drives one kind of request from {@code sessions} official ZooKeeper clients, each keeping
 * {@code inFlight} requests outstanding, for a fixed time, and reports throughput and latency.
 */
final class LoadGenerator {
    enum Kind { SET_DATA, GET_DATA }

    /**
     * @param cpuMicrosPerOp the servers' CPU time (all their JVMs, every thread) during the measured
     *                       window, per operation measured: the budget DESIGN §11 counts in
     * @param maxMicros      the slowest single request measured: the longest stall a client saw
     * @param clientCpuMicrosPerOp this JVM's CPU time (the load generator and its clients) per operation
     *                       measured: on shared cores, what the load leaves the servers
     */
    record Result(String label, long ops, double seconds, double p50Micros, double p99Micros, double p999Micros,
                  double maxMicros, long errors, double cpuMicrosPerOp, double clientCpuMicrosPerOp) {
        double opsPerSecond() {
            return ops / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                "%-34s %9.0f ops/s   p50 %7.0f us   p99 %7.0f us   server CPU %5.0f us/op   client CPU %5.0f us/op   errors %d",
                label, opsPerSecond(), p50Micros, p99Micros, cpuMicrosPerOp, clientCpuMicrosPerOp, errors);
        }
    }

    private static final OperatingSystemMXBean CLIENT_CPU = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private LoadGenerator() {
    }

    /** Something to do with open sessions. */
    interface SessionsBody {
        void run(List<ZooKeeper> sessions) throws Exception;
    }

    /** Opens {@code count} sessions, session i to {@code server.apply(i)}, runs {@code body} with them and closes them. */
    static void withSessions(int count, IntFunction<String> server, SessionsBody body) throws Exception {
        List<ZooKeeper> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sessions.add(ZkClients.connect(server.apply(i)));
            }
            body.run(sessions);
        } finally {
            for (ZooKeeper zk : sessions) {
                zk.close();
            }
        }
    }

    /**
     * setData, then getData, at each of {@code shapes} (sessions × requests in flight), session i
     * connected to {@code server.apply(i)}; prints each result as it comes (a later failure keeps
     * the figures so far) and returns them in order.
     */
    static List<Result> runShapes(String name, int[][] shapes, IntFunction<String> server, long warmupMillis,
                                  long measureMillis, Supplier<Duration> serverCpu) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int[] shape : shapes) {
            withSessions(shape[0], server, sessions -> {
                for (Kind kind : Kind.values()) {
                    String label = String.format("%-9s %-8s %2dx%-2d", name, kind == Kind.SET_DATA ? "setData" : "getData",
                        shape[0], shape[1]);
                    Result result = run(label, sessions, shape[1], kind, 100, warmupMillis, measureMillis, serverCpu);
                    System.out.println(result);
                    results.add(result);
                }
            });
        }
        return results;
    }

    /**
     * Each session works on its own znode of {@code valueSize} bytes, created beforehand;
     * {@code serverCpu} tells how much CPU the servers have used so far.
     */
    static Result run(String label, List<ZooKeeper> sessions, int inFlight, Kind kind, int valueSize,
                      long warmupMillis, long measureMillis, Supplier<Duration> serverCpu) throws Exception {
        for (int i = 0; i < sessions.size(); i++) {
            try {
                sessions.get(i).create("/bench-" + i, new byte[valueSize], org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    org.apache.zookeeper.CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // from an earlier round
            }
        }
        return run(label, sessions, inFlight, kind, valueSize, warmupMillis, measureMillis, serverCpu, i -> "/bench-" + i);
    }

    /**
     * As above, on existing znodes: session i's every request goes to {@code target.apply(i)}, asked
     * anew for each request on that session's own thread.
     */
    static Result run(String label, List<ZooKeeper> sessions, int inFlight, Kind kind, int valueSize,
                      long warmupMillis, long measureMillis, Supplier<Duration> serverCpu, IntFunction<String> target)
        throws Exception {
        byte[] value = new byte[valueSize];
        AtomicLong measuring = new AtomicLong(Long.MAX_VALUE);
        AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
        AtomicLong errors = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            ZooKeeper zk = sessions.get(i);
            int session = i;
            long[] lat = new long[1 << 22];
            int[] count = {0};
            latencies.add(lat);
            counts.add(count);
            Semaphore window = new Semaphore(inFlight);
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < stopAt.get()) {
                        window.acquire();
                        String path = target.apply(session);
                        long start = System.nanoTime();
                        AsyncCallback.StatCallback setCb = (rc, p, ctx, stat) -> done(rc, start, lat, count, window, measuring, errors);
                        AsyncCallback.DataCallback getCb = (rc, p, ctx, data, stat) -> done(rc, start, lat, count, window, measuring, errors);
                        if (kind == Kind.SET_DATA) {
                            zk.setData(path, value, -1, setCb, null);
                        } else {
                            zk.getData(path, false, getCb, null);
                        }
                    }
                    window.acquire(inFlight); // let the last ones finish
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "load-" + i);
            threads.add(t);
        }
        long begin = System.nanoTime();
        measuring.set(begin + TimeUnit.MILLISECONDS.toNanos(warmupMillis));
        stopAt.set(measuring.get() + TimeUnit.MILLISECONDS.toNanos(measureMillis));
        threads.forEach(Thread::start);
        // the servers' CPU at the edges of the measured window (sleeping paces the samples)
        TimeUnit.NANOSECONDS.sleep(measuring.get() - System.nanoTime());
        Duration cpuAtStart = serverCpu.get();
        long clientCpuAtStart = CLIENT_CPU.getProcessCpuTime();
        TimeUnit.NANOSECONDS.sleep(stopAt.get() - System.nanoTime());
        Duration cpuUsed = serverCpu.get().minus(cpuAtStart);
        long clientCpuUsed = CLIENT_CPU.getProcessCpuTime() - clientCpuAtStart;
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("load generator failed", failure.get());
        }
        int total = 0;
        for (int[] c : counts) {
            total += Math.min(c[0], 1 << 22);
        }
        long[] all = new long[total];
        int k = 0;
        for (int i = 0; i < latencies.size(); i++) {
            int n = Math.min(counts.get(i)[0], 1 << 22);
            System.arraycopy(latencies.get(i), 0, all, k, n);
            k += n;
        }
        Arrays.sort(all);
        double seconds = measureMillis / 1000.0;
        return new Result(label, total, seconds, percentile(all, 0.50) / 1000.0, percentile(all, 0.99) / 1000.0,
            percentile(all, 0.999) / 1000.0, percentile(all, 1.0) / 1000.0, errors.get(),
            microsPerOp(cpuUsed.toNanos(), total), microsPerOp(clientCpuUsed, total));
    }

    private static double microsPerOp(long nanos, int ops) {
        return ops == 0 ? 0 : nanos / 1000.0 / ops;
    }

    private static void done(int rc, long start, long[] lat, int[] count, Semaphore window, AtomicLong measuring,
                             AtomicLong errors) {
        long end = System.nanoTime();
        if (rc != 0) {
            errors.incrementAndGet();
        } else if (start >= measuring.get()) {
            // callbacks of one session run on its single event thread: no lock needed for lat/count
            if (count[0] < lat.length) {
                lat[count[0]] = end - start;
            }
            count[0]++;
        }
        window.release();
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
