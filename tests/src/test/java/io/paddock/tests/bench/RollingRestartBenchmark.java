package io.paddock.tests.bench;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.RollingRestart;
import io.paddock.tests.support.WriteLoad;
import io.paddock.tests.support.ZkClients;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart of a 3-node Apache ZooKeeper 3.9.5 ensemble and of a 3-node Paddock ensemble,
 * every node in its own JVM on the same generated zoo.cfg (ZooKeeper's default timing), under the
 * same write load: three sessions, one first connected to each server, eight writes in flight
 * each, writing on through every restart ({@link WriteLoad}). Each node in turn gets SIGTERM and
 * is started again once it has exited, as in {@code RollingRestartTest}. Prints, per node, the
 * time from SIGTERM to the process's end (ZooKeeper exits with 143, the JVM's code for SIGTERM)
 * and to serving again, and the whole restart's duration; the targets for Paddock are 2 s
 * and 5 s. Paddock runs twice: from this test's classpath, as the tests run it, and as a user runs
 * it, with {@code bin/paddock} from the packaged build and its class-data archive (written by a
 * first start and stop, not measured). Asserts nothing about speed. Run it with
 * {@code mvn -B -Pbenchmark -pl tests -am verify -Dtest=RollingRestartBenchmark}.
 */
@Tag("benchmark")
class RollingRestartBenchmark {
    private static final Duration START = Duration.ofSeconds(90);
    private static final int WRITERS = 3;

    @TempDir
    Path dir;

    @Test
    void paddockRollingRestartAgainstZooKeeper() throws Exception {
        String zookeeper = measure("zookeeper", ProcessEnsemble.zookeeper(dir.resolve("zookeeper"), 3, Map.of()));
        String paddock = measure("paddock", ProcessEnsemble.create(dir.resolve("paddock"), 3, Map.of()));
        Path home = Path.of("").toAbsolutePath().getParent();
        ProcessEnsemble packaged = ProcessEnsemble.packaged(dir.resolve("packaged"), 3, Map.of(), home);
        try (ProcessEnsemble first = packaged) {
            // the script writes its class-data archive when a node it started without one exits
            first.startAll(START).awaitServing(START);
            for (int id : first.ids()) {
                first.process(id).stop();
            }
        }
        String script = measure("bin/paddock", packaged);
        System.out.println();
        System.out.println("rolling restart of 3 nodes under writes (SIGTERM, start again, next once all serve):");
        System.out.print(zookeeper);
        System.out.print(paddock);
        System.out.print(script);
        System.out.println();
    }

    private static String measure(String name, ProcessEnsemble ensemble) throws Exception {
        try (ProcessEnsemble nodes = ensemble) {
            nodes.startAll(START).awaitServing(START);
            List<InetSocketAddress> servers = nodes.addresses();
            StringBuilder out = new StringBuilder();
            try (WriteLoad load = WriteLoad.start(nodes.connectString(), "/rolling", WRITERS, 8,
                     (w, watcher) -> ZkClients.connectFirstTo(servers, servers.get(w % 3), 10_000, watcher))) {
                long began = System.nanoTime();
                List<RollingRestart.Restart> restarts = RollingRestart.run(nodes, START, START, () -> {
                    long before = load.acked();
                    Await.until(Duration.ofSeconds(60), "300 more writes", () -> load.acked() >= before + 300);
                });
                long tookMillis = (System.nanoTime() - began) / 1_000_000;
                load.stopAndClose();
                for (RollingRestart.Restart r : restarts) {
                    out.append(String.format("  %-11s %s%n", name, r));
                }
                out.append(String.format("  %-11s all three in %d ms; %d writes acknowledged, %d client errors other than"
                    + " connection loss; load average %s%n", name, tookMillis, load.acked(), load.errors(),
                    RollingRestart.loadAverage()));
            }
            System.out.print(out);
            return out.toString();
        }
    }
}
