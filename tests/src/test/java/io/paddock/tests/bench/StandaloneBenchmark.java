package io.paddock.tests.bench;

import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.ServerConfigs;
import io.paddock.tests.support.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paddock against Apache ZooKeeper 3.9.5, both standalone, each in its own JVM on the same
 * zoo.cfg, under the same load from this JVM: setData and getData of 100-byte values at 1×1,
 * 8×4 and 32×16 (sessions × requests in flight). Prints figures; asserts nothing about speed.
 * Not part of the normal build: run it with {@code mvn -B -Pbenchmark -pl tests -am verify}.
 */
@Tag("benchmark")
class StandaloneBenchmark {
    private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 3000);
    private static final long MEASURE_MS = Long.getLong("bench.measureMs", 10000);
    private static final int[][] SHAPES = {{1, 1}, {8, 4}, {32, 16}};

    @TempDir
    Path dir;

    @Test
    void paddockAgainstZooKeeper() throws Exception {
        List<LoadGenerator.Result> results = new ArrayList<>();
        results.addAll(measure("zookeeper", true));
        results.addAll(measure("paddock", false));
        System.out.println();
        System.out.println("Standalone, 100-byte values, " + MEASURE_MS / 1000 + " s per run, load from one JVM on this machine:");
        results.forEach(System.out::println);
        System.out.println();
    }

    private List<LoadGenerator.Result> measure(String name, boolean zookeeper) throws Exception {
        int port = LoopbackPorts.free();
        Path cfg = ServerConfigs.standalone(dir.resolve(name), port,
            Map.of("tickTime", "2000", "maxClientCnxns", "0", "admin.enableServer", "false"));
        ServerProcess process = zookeeper ? ServerProcess.zookeeper(cfg, port) : new ServerProcess(cfg, port);
        try (ServerProcess server = process.withJvmArgs("-Xmx1g").start(Duration.ofSeconds(60))) {
            return LoadGenerator.runShapes(name, SHAPES, i -> server.connectString(), WARMUP_MS, MEASURE_MS, server::cpu);
        }
    }
}
