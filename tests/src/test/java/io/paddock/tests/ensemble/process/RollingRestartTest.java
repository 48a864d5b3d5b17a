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
 * the official client); each node in turn is stopped with
 * SIGTERM and started again on its data, as in a rolling restart. Then one node is killed and,
 * once the others see it unreachable, another is stopped with SIGTERM: its cluster leave cannot
 * converge while a member is unreachable, which kept the old code waiting 10 s and more before it
 * exited. Both come back.
 *
 * <p>Checked: every node exits (with 0) and serves again within bounds, every acknowledged write
 * is on every replica with its Stat, the replicas are identical, and the clients saw nothing but
 * connection loss. The targets are an exit within 2 s of SIGTERM under load and serving
 * again within 5 s of it (Apache ZooKeeper 3.9.5 serves again about 3 s after its SIGTERM on this
 * machine; {@code RollingRestartBenchmark} prints both side by side). The bounds asserted here are
 * far wider, so that a slow machine never fails the test: they catch a node that does not exit,
 * or that takes tens of seconds. The figures are printed.
 */
class RollingRestartTest {
    private static final Duration START = Duration.ofSeconds(90);
    /** The target is 2 s; a healthy node takes about that on a loaded machine. The old code waited 10 s for the leave. */
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(8);
    /** The target is 5 s; JVM start is most of it, and slow on a loaded machine. */
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
            ensemble.start(down, START);
            ensemble.start(stopping, START);
            ensemble.awaitServing(START);
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
