package io.paddock.tests.ensemble.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.RollingRestart;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.WriteLoad;
import io.paddock.tests.support.ZkClients;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "Node lifecycle under load": three nodes in their own JVMs (ZooKeeper's default
 * timing) while sessions spread over all servers write through every failover ({@link WriteLoad},
 * the official client). Each node in turn is stopped with SIGTERM and started again on its data,
 * as in a rolling restart. Then one node is killed and, once another logs it unreachable, that
 * other one is stopped with SIGTERM: its cluster leave cannot converge while a member is
 * unreachable, which kept the old code waiting 10 s and more before it exited (this test failed
 * there, the node still running 10 s after its SIGTERM). Both come back.
 *
 * <p>Checked: every node exits with 0 and serves again within bounds, every acknowledged write is
 * on every replica with its Stat, every indeterminate one whole or not at all, the replicas are
 * identical, and the clients saw nothing but connection loss. The targets are an exit
 * within 2 s of SIGTERM under load and serving again within 5 s of it. The bounds asserted here
 * are far wider, so that a slow machine never fails the test: they catch a node that does not
 * exit, or that takes tens of seconds to exit or a minute to serve. The figures are printed, and
 * {@code RollingRestartBenchmark} compares them with ZooKeeper 3.9.5's: under the same kind of
 * load, on this 2-core machine shared with other builds, ZooKeeper exited in 0.4-0.6 s and
 * served again 4.8-7.8 s after SIGTERM; Paddock exited in 0.7-1.8 s and served again 10.9-15.3 s
 * after it with bin/paddock's class-data archive, 16.8-22.5 s from the classpath as here (its JVM
 * start is most of that).
 */
class RollingRestartTest {
    private static final Duration START = Duration.ofSeconds(90);
    /**
     * The target is 2 s; a healthy node took 0.7-2.3 s here, 4.7 s once at a load average
     * of 35. The old code waited 10 s for the leave alone, then 1 s for Artery's flush.
     */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(10);
    /** The target is 5 s; JVM start is most of it, and slow on a loaded machine (20-30 s measured here). */
    private static final Duration SERVE_LIMIT = Duration.ofSeconds(60);
    /** One session first connected to each server. */
    private static final int WRITERS = 3;
    /** Writes acknowledged between two restarts, so that each restart happens under load. */
    private static final int WRITES_BETWEEN = 300;

    @TempDir
    Path dir;

    @Test
    void everyMemberStopsAndServesAgainInTurnUnderWritesAndNoAcknowledgedWriteIsLost() throws Exception {
        try (ProcessEnsemble ensemble = ProcessEnsemble.create(dir, 3, Map.of())) {
            NodeLogs.keptAfter(ensemble, getClass().getSimpleName(), this::run);
        }
    }

    private void run(ProcessEnsemble ensemble) throws Exception {
        ensemble.startAll(START);
        ensemble.awaitServing(START);
        List<InetSocketAddress> servers = ensemble.addresses();
        WriteLoad.Sessions spread = (w, watcher) -> ZkClients.connectFirstTo(servers, servers.get(w % 3), 10_000, watcher);
        try (WriteLoad load = WriteLoad.start(ensemble.connectString(), "/rolling", WRITERS, 8, spread)) {
            List<RollingRestart.Restart> restarts = RollingRestart.run(ensemble, EXIT_LIMIT, SERVE_LIMIT, () -> awaitWrites(load));
            restarts.forEach(r -> System.out.println("rolling restart under writes: " + r));
            System.out.println("load average " + RollingRestart.loadAverage());
            assertThat(restarts).allSatisfy(r -> assertThat(r.exitCode()).as(r.toString()).isZero());

            // a member stops while another is down: its leave cannot converge
            awaitWrites(load);
            int leader = ensemble.awaitServing(SERVE_LIMIT);
            int down = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            int stopping = ensemble.ids().stream().filter(id -> id != leader && id != down).findFirst().orElseThrow();
            Map<Integer, Long> mark = NodeLogs.mark(ensemble);
            ensemble.kill9(down);
            Pattern unreachable = Pattern.compile("server " + down + " is unreachable");
            Await.until(Duration.ofSeconds(60), "node " + stopping + " sees node " + down + " unreachable",
                () -> NodeLogs.matchingSince(ensemble, mark, unreachable).stream()
                    .anyMatch(line -> line.startsWith("node " + stopping + ":")));
            long stoppedAt = System.nanoTime();
            ensemble.process(stopping).sigterm();
            int exitCode = RollingRestart.awaitExit(ensemble.process(stopping), "node " + stopping, EXIT_LIMIT);
            System.out.printf("with node %d down, node %d exited with %d %d ms after SIGTERM (load average %s)%n", down,
                stopping, exitCode, (System.nanoTime() - stoppedAt) / 1_000_000, RollingRestart.loadAverage());
            assertThat(exitCode).as("exit code with a member down").isZero();
            ensemble.startAll(START).awaitServing(START);
            awaitWrites(load);
            load.stopAndClose();

            SortedMap<String, TreeDump.Node> tree = Replicas.assertIdentical(Replicas.dumpAll(ensemble));
            List<String> problems = new ArrayList<>();
            int appliedUnacked = load.verify(tree, problems);
            assertThat(problems.subList(0, Math.min(20, problems.size())))
                .as("acknowledged writes missing or changed, or errors other than connection loss (" + problems.size()
                    + " problems)").isEmpty();
            System.out.printf("all 3 replicas identical: %d znodes; %d writes acknowledged, %d indeterminate of which %d"
                + " took effect%n", tree.size(), load.acked(), load.indeterminate(), appliedUnacked);
        }
    }

    /** Waits until the writers have had {@link #WRITES_BETWEEN} more writes acknowledged. */
    private static void awaitWrites(WriteLoad load) {
        long before = load.acked();
        Await.until(Duration.ofSeconds(60), WRITES_BETWEEN + " more acknowledged writes",
            () -> load.acked() >= before + WRITES_BETWEEN);
    }
}
