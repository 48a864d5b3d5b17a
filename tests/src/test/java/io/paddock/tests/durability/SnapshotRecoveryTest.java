package io.paddock.tests.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.ServerConfigs;
import io.paddock.tests.support.ServerProcess;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.ZkClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery from snapshots plus the txns after them, with a small snapCount so that a few hundred
 * writes cross many snapshots (a snapshot is taken between applied batches, and a busy machine
 * makes batches of dozens of txns: snapCount 16 still gives more than five): the whole tree,
 * every Stat included, is the same after a restart, in-process and as a process. With autopurge on, the node purges when it starts (as ZooKeeper
 * does) and every purgeInterval hours after: old snapshot files and journal segments are gone,
 * and recovery from what is left still gives the same tree. TxnLogTest covers Purge itself;
 * this covers the node using it.
 */
class SnapshotRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void theWholeTreeSurvivesInProcessRestartsAcrossManySnapshots() throws Exception {
        try (InProcessServer server = InProcessServer.start(dir, Map.of("snapCount", "16", "extendedTypesEnabled", "true"))) {
            ZooKeeper owner = ZkClients.connect(server.connectString(), 20_000, e -> { });
            try {
                owner.create("/eph", "mine".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                    workload(zk, "/a", 400);
                    writeUntil(zk, "more than 5 snapshots taken with snapCount 16", () -> snapshotFiles(dir.resolve("data")).size() > 5);
                }
                SortedMap<String, TreeDump.Node> before = dump(server.connectString());

                server.restart();
                SortedMap<String, TreeDump.Node> after = dump(server.connectString());
                assertThat(after).isEqualTo(before);

                try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                    workload(zk, "/b", 200);
                    rewrite(zk, "/a", 400); // txns of the new epoch over znodes that came from the snapshot
                }
                SortedMap<String, TreeDump.Node> beforeSecond = dump(server.connectString());
                server.restart();
                assertThat(dump(server.connectString())).isEqualTo(beforeSecond);
                Await.until(Duration.ofSeconds(20), "the ephemeral's owner reconnects", () -> owner.getState().isConnected());
                assertThat(owner.exists("/eph", false).getEphemeralOwner()).isEqualTo(owner.getSessionId());
            } finally {
                owner.close();
            }
        }
    }

    @Test
    void autopurgeAtStartDeletesOldSnapshotsAndSegmentsAndRecoveryStillWorks() throws Exception {
        int port = LoopbackPorts.free();
        Path cfg = ServerConfigs.standalone(dir, port, Map.of("snapCount", "16", "extendedTypesEnabled", "true", "autopurge.purgeInterval", "1",
            "autopurge.snapRetainCount", "3"));
        Path data = dir.resolve("data");
        Path journal = data.resolve("journal").resolve("zab-log-0");
        try (ServerProcess server = new ServerProcess(cfg, port).withJvmArgs("-Dpaddock.journal.segment-size=16KiB")) {
            long t0 = System.nanoTime();
            server.start(Duration.ofSeconds(60));
            long t1 = System.nanoTime();
            try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                workload(zk, "/p", 1000);
                writeUntil(zk, "more than 10 snapshots taken with snapCount 16", () -> snapshotFiles(data).size() > 10);
            }
            long t2 = System.nanoTime();
            SortedMap<String, TreeDump.Node> before = dump(server.connectString());
            long t3 = System.nanoTime();
            assertThat(server.stop()).as("exit code after SIGTERM").isZero();
            long t4 = System.nanoTime();
            System.out.printf("autopurge: start %d ms, 1000 writes %d ms, dump %d ms, SIGTERM %d ms%n", (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
            List<Path> snapshotsBefore = snapshotFiles(data);
            List<Path> segmentsBefore = segments(journal);
            assertThat(snapshotsBefore).hasSizeGreaterThan(10);
            assertThat(segmentsBefore).hasSizeGreaterThan(5);

            long t5 = System.nanoTime();
            server.start(Duration.ofSeconds(60)); // recovers, snapshots if it replayed txns, and purges at once
            System.out.printf("autopurge: restart to serving in %d ms (%s)%n", (System.nanoTime() - t5) / 1_000_000,
                KillNineTest.recoveryLine(server));
            Await.until(Duration.ofSeconds(30), "3 snapshots left after the purge at start-up",
                () -> snapshotFiles(data).size() == 3);
            Await.until(Duration.ofSeconds(30), "old segments deleted", () -> !Files.exists(segmentsBefore.get(0)));
            List<Path> segmentsAfter = segments(journal);
            System.out.printf("autopurge: %d snapshots and %d segments before, %d and %d after%n", snapshotsBefore.size(),
                segmentsBefore.size(), snapshotFiles(data).size(), segmentsAfter.size());
            assertThat(segmentsAfter.size()).isLessThan(segmentsBefore.size());
            // the 3 newest snapshots stay: the one taken at start when recovery replayed txns, or only older ones
            // when the last snapshot before the stop already held every txn (the session txns of the dump above
            // can meet the randomised snapCount threshold)
            List<Path> all = java.util.stream.Stream.concat(snapshotsBefore.stream(), snapshotFiles(data).stream()).distinct()
                .sorted((x, y) -> Long.compare(seqNr(x), seqNr(y))).toList();
            assertThat(snapshotFiles(data)).containsExactlyElementsOf(all.subList(all.size() - 3, all.size()));
            assertThat(journal.resolve("meta")).exists();
            assertThat(dump(server.connectString())).isEqualTo(before);

            // a write after the purge, then recovery from what the purge left
            Stat afterPurge = new Stat();
            try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
                zk.create("/after-purge", "x".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, afterPurge);
            }
            server.kill9();
            server.start(Duration.ofSeconds(60));
            SortedMap<String, TreeDump.Node> recovered = dump(server.connectString());
            assertThat(recovered.remove("/after-purge")).isEqualTo(new TreeDump.Node("x".getBytes(), afterPurge));
            recovered.remove("/"); // its cversion and pzxid count the create above
            SortedMap<String, TreeDump.Node> expected = new java.util.TreeMap<>(before);
            expected.remove("/");
            assertThat(recovered).isEqualTo(expected);
        }
    }

    /**
     * Every server of an ensemble purges, as ZooKeeper's DatadirCleanupManager runs on each, not the
     * leader alone: the followers' files once grew without bound.
     */
    @Test
    void autopurgeRunsOnEveryServerOfAnEnsemble() throws Exception {
        try (ProcessEnsemble ensemble = ProcessEnsemble.create(dir, 3, Map.of("snapCount", "16", "extendedTypesEnabled", "true",
                "autopurge.purgeInterval", "1", "autopurge.snapRetainCount", "3"))
            .withJvmArgs("-Dpaddock.journal.segment-size=16KiB")) {
            ensemble.startAll(Duration.ofSeconds(60)).awaitServing(Duration.ofSeconds(60));
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString())) {
                workload(zk, "/p", 1000);
                writeUntil(zk, "more than 5 snapshots on every node", () -> ensemble.ids().stream()
                    .allMatch(id -> snapshotsOf(dir.resolve("node" + id).resolve("data")).size() > 5));
            }
            Map<Integer, List<Path>> before = new java.util.TreeMap<>();
            for (int id : ensemble.ids()) {
                before.put(id, snapshotFiles(dir.resolve("node" + id).resolve("data")));
            }
            for (int id : ensemble.ids()) {
                assertThat(ensemble.process(id).stop()).as("exit code of node " + id).isZero();
            }
            ensemble.startAll(Duration.ofSeconds(60)).awaitServing(Duration.ofSeconds(60));
            for (int id : ensemble.ids()) {
                Path data = dir.resolve("node" + id).resolve("data");
                Await.until(Duration.ofSeconds(60), "node " + id + " purged its old snapshots once it served",
                    () -> ensemble.serves(id) && snapshotFiles(data).size() <= 3);
                assertThat(snapshotFiles(data)).doesNotContainAnyElementsOf(before.get(id).subList(0, before.get(id).size() - 3));
            }
        }
    }

    private static SortedMap<String, TreeDump.Node> dump(String connectString) throws Exception {
        try (ZooKeeper zk = ZkClients.connect(connectString)) {
            return TreeDump.of(zk, "/");
        }
    }

    /**
     * {@code count} writes under {@code root}, sent asynchronously and awaited: creates (plain,
     * sequential, container, TTL), setData, setACL, deletes and multis, all of which must
     * succeed.
     */
    static void workload(ZooKeeper zk, String root, int count) throws Exception {
        zk.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create(root + "/c", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        List<ACL> noCreateNoAdmin = List.of(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.WRITE | ZooDefs.Perms.DELETE,
            new Id("world", "anyone")));
        Pending pending = new Pending();
        for (int i = 0; i < count; i++) {
            byte[] data = (root + ":" + i).getBytes(StandardCharsets.UTF_8);
            switch (i % 8) {
                case 0, 1 -> zk.create(root + "/n" + i, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    pending.create(), null);
                case 2 -> zk.setData(root + "/n" + (i - 2), data, -1, pending.stat(), null);
                case 3 -> zk.create(root + "/c/s-", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
                    pending.create(), null);
                case 4 -> zk.create(root + "/ttl" + i, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL,
                    pending.create(), null, 3_600_000);
                case 5 -> zk.setACL(root + "/n" + (i - 4), noCreateNoAdmin, -1, pending.stat(), null);
                case 6 -> zk.delete(root + "/n" + (i - 6), -1, pending.done(), null);
                default -> zk.multi(List.of(
                    Op.create(root + "/m" + i, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                    Op.setData(root + "/n" + (i - 6), data, -1),
                    Op.check(root, -1)), pending.multi(), null);
            }
        }
        pending.await();
    }

    /**
     * Sets one znode, one txn at a time, until {@code enough} holds. A snapshot is taken between
     * applied batches, one at a time and in the background, so how many a pipelined workload
     * gives depends on how the machine batched it; single txns make every snapCount count.
     */
    static void writeUntil(ZooKeeper zk, String what, Callable<Boolean> enough) throws Exception {
        String filler = "/snapshot-filler";
        if (zk.exists(filler, false) == null) {
            zk.create(filler, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        Await.until(Duration.ofSeconds(60), what, () -> {
            for (int i = 0; i < 8; i++) {
                zk.setData(filler, new byte[] {(byte) i}, -1);
            }
            return enough.call();
        });
    }

    private static List<Path> snapshotsOf(Path data) {
        try {
            return snapshotFiles(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Changes every znode {@link #workload} left under {@code root}. */
    static void rewrite(ZooKeeper zk, String root, int count) throws Exception {
        Pending pending = new Pending();
        for (int i = 0; i < count; i++) {
            if (i % 8 == 1) {
                zk.setData(root + "/n" + i, ("again:" + i).getBytes(StandardCharsets.UTF_8), -1, pending.stat(), null);
            } else if (i % 8 == 7) {
                zk.delete(root + "/m" + i, -1, pending.done(), null);
            }
        }
        pending.await();
    }

    /** The async writes in flight (at most 64), each a future that fails on an error code. */
    private static final class Pending {
        private final java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(64);
        private final java.util.List<CompletableFuture<Void>> all = new java.util.ArrayList<>();

        private CompletableFuture<Void> start() {
            try {
                window.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            all.add(f);
            return f;
        }

        private void finish(CompletableFuture<Void> f, int rc, String path) {
            window.release();
            if (rc == KeeperException.Code.OK.intValue()) {
                f.complete(null);
            } else {
                f.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
            }
        }

        AsyncCallback.Create2Callback create() {
            CompletableFuture<Void> f = start();
            return (rc, path, ctx, name, stat) -> finish(f, rc, path);
        }

        AsyncCallback.StatCallback stat() {
            CompletableFuture<Void> f = start();
            return (rc, path, ctx, stat) -> finish(f, rc, path);
        }

        AsyncCallback.VoidCallback done() {
            CompletableFuture<Void> f = start();
            return (rc, path, ctx) -> finish(f, rc, path);
        }

        AsyncCallback.MultiCallback multi() {
            CompletableFuture<Void> f = start();
            return (rc, path, ctx, results) -> finish(f, rc, path);
        }

        void await() throws Exception {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    static List<Path> snapshotFiles(Path data) throws IOException {
        Path snapshots = data.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(snapshots)) {
            return files.filter(p -> p.getFileName().toString().startsWith("snapshot-"))
                .sorted((x, y) -> Long.compare(seqNr(x), seqNr(y))).toList();
        }
    }

    /** snapshot-<id>-<sequenceNr>-<timestamp> */
    private static long seqNr(Path snapshot) {
        String[] parts = snapshot.getFileName().toString().split("-");
        return Long.parseLong(parts[parts.length - 2]);
    }

    static List<Path> segments(Path journal) throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }
}
