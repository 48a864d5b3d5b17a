package io.paddock.tests.bench;

import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.ZkClients;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.tests.support.RawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-node Paddock ensemble against a 3-node Apache ZooKeeper 3.9.5 ensemble, every node in its
 * own JVM on the same generated zoo.cfg (tickTime 2000, initLimit 10, syncLimit 5), under the same
 * load from this JVM, after a minute of unmeasured load to warm the JITs up: setData and
 * getData of 100-byte values at 1×1, 8×4 and 32×16 (sessions × requests in flight), sessions spread over the nodes followers first (so 1×1 goes through a
 * follower, as two clients in three do). Then the leader is killed with SIGKILL and the time until
 * a survivor acknowledges a write of the next epoch is measured, by probing the survivors with
 * new sessions every few milliseconds (server readiness, without the client's reconnect
 * back-off). Prints figures; asserts nothing about speed. Not part of the normal build: run it
 * with {@code mvn -B -Pbenchmark -pl tests -am verify}.
 */
@Tag("benchmark")
class EnsembleBenchmark {
    private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 3000);
    private static final long MEASURE_MS = Long.getLong("bench.measureMs", 10000);
    /** Load before anything is measured: a fresh JVM spends its first minute or so compiling. */
    private static final long JIT_WARMUP_MS = Long.getLong("bench.jitWarmupMs", 60000);
    private static final int[][] SHAPES = {{1, 1}, {8, 4}, {32, 16}};
    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void paddockEnsembleAgainstZooKeeperEnsemble() throws Exception {
        Map<String, String> cfg = Map.of("maxClientCnxns", "0");
        Measured zookeeper = measure("zookeeper", ProcessEnsemble.zookeeper(dir.resolve("zookeeper"), 3, cfg));
        Measured paddock = measure("paddock", ProcessEnsemble.create(dir.resolve("paddock"), 3, cfg));
        System.out.println();
        System.out.println("3-node ensembles, every node its own JVM, 100-byte values, " + MEASURE_MS / 1000
            + " s per run, load from one JVM on this machine:");
        for (int i = 0; i < zookeeper.load.size(); i++) {
            LoadGenerator.Result z = zookeeper.load.get(i);
            LoadGenerator.Result p = paddock.load.get(i);
            System.out.println(z);
            System.out.println(p);
            System.out.printf(Locale.ROOT, "%-34s %9.2fx  p99 %.2fx  CPU/op %.2fx%n", "  paddock / zookeeper",
                p.opsPerSecond() / z.opsPerSecond(), p.p99Micros() / z.p99Micros(), p.cpuMicrosPerOp() / z.cpuMicrosPerOp());
        }
        System.out.printf(Locale.ROOT, "leader SIGKILL -> a survivor acks a write of the next epoch: zookeeper %d ms, paddock %d ms%n",
            zookeeper.failoverMillis, paddock.failoverMillis);
        System.out.println();
    }

    private record Measured(List<LoadGenerator.Result> load, long failoverMillis) {
    }

    private Measured measure(String name, ProcessEnsemble ensemble) throws Exception {
        try (ProcessEnsemble nodes = ensemble.withJvmArgs("-Xmx1g").startAll(START)) {
            int leader = nodes.awaitServing(START);
            // followers first, then the leader
            List<Integer> order = nodes.ids().stream().sorted(Comparator.comparing(id -> id == leader)).toList();
            IntFunction<String> server = i -> nodes.connectString(order.get(i % order.size()));
            // unmeasured: writes and reads through every node while the JITs compile
            LoadGenerator.withSessions(12, server, sessions -> {
                for (LoadGenerator.Kind kind : LoadGenerator.Kind.values()) {
                    LoadGenerator.run("warm-up", sessions, 8, kind, 100, JIT_WARMUP_MS / 2, 0, nodes::cpu);
                }
            });
            List<LoadGenerator.Result> results = LoadGenerator.runShapes(name, SHAPES, server, WARMUP_MS, MEASURE_MS,
                nodes::cpu);
            return new Measured(results, failover(nodes, leader));
        }
    }

    /** Kills the leader and returns the milliseconds until a survivor acknowledges a write of a later epoch. */
    private static long failover(ProcessEnsemble nodes, int leader) throws Exception {
        long epoch;
        try (ZooKeeper zk = ZkClients.connect(nodes.connectString(leader))) {
            zk.create("/failover", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            epoch = zk.exists("/failover", false).getMzxid() >>> 32;
        }
        List<Integer> survivors = nodes.ids().stream().filter(id -> id != leader).toList();
        long killed = System.nanoTime();
        nodes.kill9(leader);
        long deadline = killed + TimeUnit.SECONDS.toNanos(60);
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            OptionalLong zxid = writeOnce(nodes.clientPort(survivors.get(attempt % survivors.size())));
            if (zxid.isPresent() && (zxid.getAsLong() >>> 32) > epoch) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            }
            Thread.sleep(5); // pacing the probe, not synchronisation
        }
        throw new AssertionError("no survivor acknowledged a write within 60 s of the leader's kill");
    }

    /**
     * One setData through a new session on one server, over a plain socket (the official client's
     * close waits for a session that may never come); the write's zxid, if it was acknowledged.
     */
    private static OptionalLong writeOnce(int port) {
        try (RawClient client = RawClient.open(port)) {
            if (client.tryConnect() == null) {
                return OptionalLong.empty(); // the server closed the connection: not serving
            }
            RawClient.Reply reply = client.call(1, OpCode.SET_DATA, new SetDataRequest("/failover", new byte[1], -1));
            return reply == null || reply.err() != 0 ? OptionalLong.empty() : OptionalLong.of(reply.header().zxid());
        } catch (IOException | UncheckedIOException e) {
            return OptionalLong.empty();
        }
    }
}
