package io.paddock.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A rolling restart, as an operator does one: each node in turn is stopped with SIGTERM, started
 * again on its data, and the next one waits until every node serves again (so that the ensemble
 * never loses its quorum). Works on Paddock and on Apache ZooKeeper ensembles alike, and records
 * what each restart took, for tests to bound and benchmarks to print.
 */
public final class RollingRestart {
    /** Short, so that a start is timed to within a poll, not to a read timeout (see {@link ProcessEnsemble#serves(int, Duration)}). */
    private static final Duration SERVES_READ_TIMEOUT = Duration.ofSeconds(1);

    private RollingRestart() {
    }

    /**
     * One member's restart.
     *
     * @param id            the server id
     * @param mode          what it was when stopped (leader, follower, ...)
     * @param exitCode      the JVM's exit code
     * @param exitMillis    from SIGTERM to the process's end
     * @param servingMillis from SIGTERM to serving again (its JVM start, recovery, joining, election, sync)
     */
    public record Restart(int id, String mode, int exitCode, long exitMillis, long servingMillis) {
        @Override
        public String toString() {
            return String.format("node %d (%s): exited with %d %d ms after SIGTERM, serving again %d ms after SIGTERM",
                id, mode, exitCode, exitMillis, servingMillis);
        }
    }

    /**
     * Restarts every node of {@code ensemble} in id order. Before each stop {@code beforeStop}
     * runs (to let a load make progress, say). A node that has not exited within
     * {@code exitLimit} has its threads printed into its log and fails the run, as does one that
     * does not serve again within {@code serveLimit} of its SIGTERM.
     */
    public static List<Restart> run(ProcessEnsemble ensemble, Duration exitLimit, Duration serveLimit, Runnable beforeStop)
        throws Exception {
        List<Restart> restarts = new ArrayList<>();
        for (int id : ensemble.ids()) {
            beforeStop.run();
            restarts.add(restart(ensemble, id, exitLimit, serveLimit));
            ensemble.awaitServing(serveLimit);
        }
        return restarts;
    }

    /** Stops one node with SIGTERM, starts it again, and waits until it serves; see {@link #run}. */
    public static Restart restart(ProcessEnsemble ensemble, int id, Duration exitLimit, Duration serveLimit)
        throws Exception {
        ServerProcess node = ensemble.process(id);
        String mode = ensemble.mode(id);
        long stopped = System.nanoTime();
        node.sigterm();
        int exitCode = awaitExit(node, "node " + id, exitLimit);
        long exitMillis = (System.nanoTime() - stopped) / 1_000_000;
        node.launch();
        long left = serveLimit.toNanos() - (System.nanoTime() - stopped);
        Await.until(Duration.ofNanos(Math.max(left, 0)), "node " + id + " serves again within " + serveLimit
            + " of its SIGTERM (log: " + node.log() + ")", () -> {
                if (!node.isAlive()) {
                    throw new IllegalStateException("node " + id + " exited; see " + node.log());
                }
                return ensemble.serves(id, SERVES_READ_TIMEOUT);
            });
        return new Restart(id, mode, exitCode, exitMillis, (System.nanoTime() - stopped) / 1_000_000);
    }

    /** The machine's load averages (1, 5, 15 minutes), to read timings by; "?" where /proc does not say. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * Waits for a stopped node's JVM to end; its exit code. One still running after {@code limit}
     * has its threads printed into its log (why has it not exited?), and fails.
     */
    public static int awaitExit(ServerProcess node, String name, Duration limit) throws Exception {
        OptionalInt exitCode = node.awaitExit(limit);
        if (exitCode.isEmpty()) {
            node.threadDump();
            throw new AssertionError(name + " still runs " + limit + " after its SIGTERM; its threads are in " + node.log());
        }
        return exitCode.getAsInt();
    }
}
