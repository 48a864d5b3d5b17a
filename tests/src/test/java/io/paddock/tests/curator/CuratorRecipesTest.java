package io.paddock.tests.curator;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.PaddockExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Curator 5 recipes against a Paddock server, with Curator's defaults (create2, containers for
 * the recipes' parents, the ensemble tracker reading /zookeeper/config, protected sequential
 * creates, watches). Each test uses its own clients; one server serves the class.
 */
class CuratorRecipesTest {
    // containers are checked every second so that recipes' empty parents are seen being reaped
    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.withConfig(Map.of("znode.container.checkIntervalMs", "1000"));

    private static CuratorFramework client() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.builder()
            .connectString(paddock.connectString())
            .sessionTimeoutMs(10_000)
            .connectionTimeoutMs(10_000)
            .retryPolicy(new ExponentialBackoffRetry(100, 3))
            .build();
        c.start();
        if (!c.blockUntilConnected(15, TimeUnit.SECONDS)) {
            c.close();
            throw new AssertionError("Curator did not connect to " + paddock.connectString());
        }
        return c;
    }

    private static void closeAll(List<? extends AutoCloseable> closeables) throws Exception {
        Exception first = null;
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Test
    void curatorsEnsembleTrackerReadsTheConfigAndKeepsTheConnectString() throws Exception {
        try (CuratorFramework c = client()) {
            // what the tracker reads (getConfig = getData /zookeeper/config with a watch), read the same way
            byte[] config = c.getConfig().forEnsemble();
            assertThat(config).isNotNull();
            c.create().creatingParentContainersIfNeeded().withProtection().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath("/tracker/node-", "x".getBytes());
            assertThat(c.getChildren().forPath("/tracker")).singleElement().asString().startsWith("_c_").contains("node-");
            // a standalone server's config names no servers, so the tracker must not rewrite the connect string
            assertThat(c.getZookeeperClient().getCurrentConnectionString()).isEqualTo(paddock.connectString());
            assertThat(c.getZookeeperClient().getZooKeeper().getState().isConnected()).isTrue();
        }
    }

    @Test
    void interProcessMutexGivesMutualExclusionAcrossThreeClients() throws Exception {
        int clients = 3;
        int threadsPerClient = 2;
        int rounds = 25;
        List<CuratorFramework> curators = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients * threadsPerClient);
        try {
            for (int i = 0; i < clients; i++) {
                curators.add(client());
            }
            curators.get(0).create().forPath("/counter", "0".getBytes(StandardCharsets.UTF_8));
            AtomicInteger holders = new AtomicInteger();
            AtomicInteger maxHolders = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (CuratorFramework c : curators) {
                for (int t = 0; t < threadsPerClient; t++) {
                    InterProcessMutex mutex = new InterProcessMutex(c, "/locks/counter");
                    workers.add(pool.submit(() -> {
                        go.await();
                        for (int r = 0; r < rounds; r++) {
                            if (!mutex.acquire(30, TimeUnit.SECONDS)) {
                                throw new AssertionError("lock not acquired within 30 s");
                            }
                            try {
                                maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                                // read-modify-write of a znode: lost updates if two hold the lock at once
                                Stat stat = new Stat();
                                int value = Integer.parseInt(new String(
                                    c.getData().storingStatIn(stat).forPath("/counter"), StandardCharsets.UTF_8));
                                c.setData().forPath("/counter", Integer.toString(value + 1).getBytes(StandardCharsets.UTF_8));
                                holders.decrementAndGet();
                            } finally {
                                mutex.release();
                            }
                        }
                        return null;
                    }));
                }
            }
            go.countDown();
            for (Future<?> w : workers) {
                w.get(120, TimeUnit.SECONDS);
            }
            int total = clients * threadsPerClient * rounds;
            Stat stat = new Stat();
            byte[] counter = curators.get(0).getData().storingStatIn(stat).forPath("/counter");
            assertThat(maxHolders.get()).as("most holders of the lock at once").isEqualTo(1);
            assertThat(new String(counter, StandardCharsets.UTF_8)).isEqualTo(Integer.toString(total));
            assertThat(stat.getVersion()).isEqualTo(total);
            // Curator creates the lock's parents as containers: empty now, they are reaped
            CuratorFramework c0 = curators.get(0);
            Await.until(Duration.ofSeconds(15), "the empty lock containers are reaped",
                () -> c0.checkExists().forPath("/locks") == null);
        } finally {
            pool.shutdownNow();
            closeAll(curators);
        }
    }

    @Test
    void leaderLatchElectsExactlyOneLeaderAndHandsOverWhenItCloses() throws Exception {
        List<CuratorFramework> curators = new ArrayList<>();
        List<LeaderLatch> latches = new ArrayList<>(); // latches.get(i) runs on curators.get(i)
        List<AutoCloseable> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                CuratorFramework c = client();
                curators.add(c);
                open.add(c);
                LeaderLatch latch = new LeaderLatch(c, "/election", "node-" + i);
                latches.add(latch);
                latch.start();
                open.add(latch);
            }
            Await.until(Duration.ofSeconds(20), "all three latches take part",
                () -> latches.get(0).getParticipants().size() == 3);
            Await.until(Duration.ofSeconds(20), "a leader is elected", () -> leaders(latches).size() == 1);
            LeaderLatch first = leaders(latches).get(0);
            for (LeaderLatch l : latches) {
                assertThat(l.getLeader().getId()).isEqualTo(first.getId());
                assertThat(l.getParticipants()).hasSize(3);
            }
            assertThat(leaders(latches)).as("leaders once all have joined").containsExactly(first);

            // the leader closes its latch: exactly one of the other two takes over
            first.close();
            open.remove(first);
            List<LeaderLatch> rest = new ArrayList<>(latches);
            rest.remove(first);
            Await.until(Duration.ofSeconds(20), "leadership passes to another latch", () -> leaders(rest).size() == 1);
            LeaderLatch second = leaders(rest).get(0);
            assertThat(first.hasLeadership()).isFalse();
            Await.until(Duration.ofSeconds(10), "both remaining latches see the new leader", () -> {
                for (LeaderLatch l : rest) {
                    if (!l.getLeader().getId().equals(second.getId()) || l.getParticipants().size() != 2) {
                        return false;
                    }
                }
                return true;
            });

            // the new leader's whole session ends (its client closes): the last latch takes over
            CuratorFramework secondClient = curators.get(latches.indexOf(second));
            open.remove(second);
            open.remove(secondClient);
            secondClient.close();
            rest.remove(second);
            LeaderLatch last = rest.get(0);
            Await.until(Duration.ofSeconds(20), "the last latch becomes leader", last::hasLeadership);
            assertThat(last.getParticipants()).hasSize(1);
        } finally {
            closeAll(open);
        }
    }

    private static List<LeaderLatch> leaders(List<LeaderLatch> latches) {
        return latches.stream().filter(LeaderLatch::hasLeadership).toList();
    }

    @Test
    void curatorCacheSeesCreatesUpdatesAndDeletesInASubtree() throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            CuratorFramework writer = client();
            resources.add(writer);
            CuratorFramework reader = client();
            resources.add(reader);
            writer.create().creatingParentsIfNeeded().forPath("/cache/existing", "e".getBytes());

            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            CountDownLatch initialized = new CountDownLatch(1);
            CuratorCache cache = CuratorCache.build(reader, "/cache");
            resources.add(cache);
            cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(n -> events.add("created " + n.getPath() + " " + data(n)))
                .forChanges((before, after) -> events.add("changed " + after.getPath() + " " + data(before) + "->" + data(after)))
                .forDeletes(n -> events.add("deleted " + n.getPath()))
                .forInitialized(initialized::countDown)
                .build());
            cache.start();
            assertThat(initialized.await(15, TimeUnit.SECONDS)).as("initialized event").isTrue();
            assertThat(cache.get("/cache/existing")).map(CuratorRecipesTest::data).contains("e");
            List<String> initial = new ArrayList<>();
            events.drainTo(initial); // delivered before the initialized event
            assertThat(initial).containsExactlyInAnyOrder("created /cache ", "created /cache/existing e");

            writer.create().forPath("/cache/a", "1".getBytes());
            assertThat(next(events)).isEqualTo("created /cache/a 1");
            writer.create().forPath("/cache/a/deep", "d".getBytes());
            assertThat(next(events)).isEqualTo("created /cache/a/deep d");
            writer.setData().forPath("/cache/a", "2".getBytes());
            assertThat(next(events)).isEqualTo("changed /cache/a 1->2");
            writer.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath("/cache/a/seq-", "s".getBytes());
            assertThat(next(events)).matches("created /cache/a/seq-\\d{10} s");
            writer.delete().deletingChildrenIfNeeded().forPath("/cache/a");
            List<String> deletes = List.of(next(events), next(events), next(events));
            assertThat(deletes).containsExactlyInAnyOrder("deleted /cache/a/deep", "deleted /cache/a", deletes.stream()
                .filter(s -> s.startsWith("deleted /cache/a/seq-")).findFirst().orElse("deleted /cache/a/seq-?"));
            assertThat(deletes.get(2)).isEqualTo("deleted /cache/a"); // children first
            assertThat(cache.stream().map(ChildData::getPath).sorted().toList())
                .containsExactly("/cache", "/cache/existing");
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("no further events").isNull();
        } finally {
            closeAll(resources);
        }
    }

    private static String data(ChildData n) {
        return n.getData() == null ? "" : new String(n.getData(), StandardCharsets.UTF_8);
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("a cache event within 10 s").isNotNull();
        return e;
    }
}
