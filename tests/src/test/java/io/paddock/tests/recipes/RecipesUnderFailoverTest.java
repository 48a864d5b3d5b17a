package io.paddock.tests.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.client.ZkClient;
import io.paddock.client.recipes.Barrier;
import io.paddock.client.recipes.DistributedQueue;
import io.paddock.client.recipes.DoubleBarrier;
import io.paddock.client.recipes.LeaderLatch;
import io.paddock.client.recipes.SharedCounter;
import io.paddock.client.recipes.TreeCache;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.data.Acl;
import io.paddock.tests.support.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The latch, barriers, queue, counter and tree cache, each with the leader killed in the middle. */
class RecipesUnderFailoverTest {
    @RegisterExtension
    static final RecipeEnsemble paddock = new RecipeEnsemble();

    @Test
    void exactlyOneLeaderAfterFailoverAndClosingHandsOver() throws Exception {
        AtomicInteger leaders = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<LeaderLatch> latches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LeaderLatch latch = new LeaderLatch(paddock.client(), "/election", "p" + i);
            latch.addListener(new LeaderLatch.Listener() {
                @Override
                public void isLeader() {
                    mostAtOnce.accumulateAndGet(leaders.incrementAndGet(), Math::max);
                }

                @Override
                public void notLeader() {
                    leaders.decrementAndGet();
                }
            });
            latch.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
            latches.add(latch);
        }
        Await.until(RecipeEnsemble.PATIENCE, "a leader", () -> leaderCount(latches) == 1);
        int killed = paddock.killLeader();
        Await.until(RecipeEnsemble.PATIENCE, "a leader on the survivors", () -> leaderCount(latches) == 1);
        paddock.restart(killed);
        Await.until(RecipeEnsemble.PATIENCE, "a leader after the restart", () -> leaderCount(latches) == 1);
        assertThat(mostAtOnce).as("leaders at once").hasValue(1);

        LeaderLatch leader = latches.stream().filter(LeaderLatch::hasLeadership).findFirst().orElseThrow();
        leader.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(leader.hasLeadership()).isFalse();
        Await.until(RecipeEnsemble.PATIENCE, "another leader", () -> leaderCount(latches) == 1);
        assertThat(mostAtOnce).hasValue(1);
    }

    private static long leaderCount(List<LeaderLatch> latches) {
        return latches.stream().filter(LeaderLatch::hasLeadership).count();
    }

    @Test
    void barrierHoldsAcrossFailoverUntilRemoved() throws Exception {
        Barrier barrier = new Barrier(paddock.admin, "/barriers/gate");
        barrier.set().toCompletableFuture().get(30, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(new Barrier(paddock.client(), "/barriers/gate").await().toCompletableFuture());
        }
        int killed = paddock.killLeader();
        paddock.restart(killed);
        assertThat(waiters).noneMatch(CompletableFuture::isDone);
        barrier.remove().toCompletableFuture().get(30, TimeUnit.SECONDS);
        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void doubleBarrierLetsNobodyThroughEarlyAcrossFailover() throws Exception {
        List<DoubleBarrier> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new DoubleBarrier(paddock.client(), "/barriers/double", 3));
        }
        CompletableFuture<Void> first = members.get(0).enter().toCompletableFuture();
        CompletableFuture<Void> second = members.get(1).enter().toCompletableFuture();
        Await.until(RecipeEnsemble.PATIENCE, "two members in", () -> memberNodes("/barriers/double") == 2);
        int killed = paddock.killLeader();
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        members.get(2).enter().toCompletableFuture().get(30, TimeUnit.SECONDS);
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
        paddock.restart(killed);

        CompletableFuture<Void> leftFirst = members.get(0).leave().toCompletableFuture();
        CompletableFuture<Void> leftSecond = members.get(1).leave().toCompletableFuture();
        Await.until(RecipeEnsemble.PATIENCE, "two members out", () -> memberNodes("/barriers/double") == 1);
        assertThat(leftFirst).isNotDone();
        assertThat(leftSecond).isNotDone();
        members.get(2).leave().toCompletableFuture().get(30, TimeUnit.SECONDS);
        CompletableFuture.allOf(leftFirst, leftSecond).get(30, TimeUnit.SECONDS);
    }

    private long memberNodes(String path) throws Exception {
        return paddock.admin.getChildren(path, false).toCompletableFuture().get(10, TimeUnit.SECONDS).children().stream()
            .filter(child -> !child.equals("ready")).count();
    }

    @Test
    void queueLosesAndDuplicatesNothingAcrossFailover() throws Exception {
        int items = 150;
        DistributedQueue producer = new DistributedQueue(paddock.client(), "/queue");
        List<DistributedQueue> consumers = List.of(new DistributedQueue(paddock.client(), "/queue"),
            new DistributedQueue(paddock.client(), "/queue"));
        Map<String, Integer> taken = new ConcurrentHashMap<>();
        AtomicInteger takes = new AtomicInteger();
        for (DistributedQueue consumer : consumers) {
            consume(consumer, taken, takes, items);
        }
        AtomicInteger offered = new AtomicInteger();
        CompletableFuture<Void> offers = offer(producer, offered, items).toCompletableFuture();
        Await.until(RecipeEnsemble.PATIENCE, "a third offered and taken", () -> takes.get() >= items / 3);
        int killed = paddock.killLeader();
        Await.until(RecipeEnsemble.PATIENCE, "two thirds offered", () -> offered.get() >= 2 * items / 3);
        paddock.restart(killed);
        offers.get(60, TimeUnit.SECONDS);
        Await.until(RecipeEnsemble.PATIENCE, "every item taken", () -> takes.get() >= items);
        assertThat(taken).hasSize(items);
        assertThat(taken.values()).as("items taken twice").allMatch(n -> n == 1);
        assertThat(producer.poll().toCompletableFuture().get(30, TimeUnit.SECONDS)).as("left in the queue").isNull();
    }

    /** Offers items 0..count-1 one after the other. */
    private static CompletionStage<Void> offer(DistributedQueue queue, AtomicInteger offered, int count) {
        int next = offered.get();
        if (next == count) {
            return CompletableFuture.completedStage(null);
        }
        return queue.offer(Integer.toString(next).getBytes(UTF_8)).thenCompose(done -> {
            offered.incrementAndGet();
            return offer(queue, offered, count);
        });
    }

    /** Takes items until all {@code count} are taken (its last take stays pending until its client closes). */
    private static void consume(DistributedQueue queue, Map<String, Integer> taken, AtomicInteger takes, int count) {
        queue.take().thenAccept(item -> {
            taken.merge(new String(item, UTF_8), 1, Integer::sum);
            if (takes.incrementAndGet() < count) {
                consume(queue, taken, takes, count);
            }
        });
    }

    @Test
    void counterCountsEveryIncrementAcrossFailover() throws Exception {
        int perClient = 25;
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<Void>> adders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            adders.add(add(new SharedCounter(paddock.client(), "/counter", 0), perClient, done).toCompletableFuture());
        }
        Await.until(RecipeEnsemble.PATIENCE, "a third counted", () -> done.get() >= perClient);
        int killed = paddock.killLeader();
        Await.until(RecipeEnsemble.PATIENCE, "two thirds counted", () -> done.get() >= 2 * perClient);
        paddock.restart(killed);
        CompletableFuture.allOf(adders.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(new SharedCounter(paddock.admin, "/counter", 0).get().toCompletableFuture().get(30, TimeUnit.SECONDS).value())
            .isEqualTo(3 * perClient);
    }

    private static CompletionStage<Void> add(SharedCounter counter, int times, AtomicInteger done) {
        if (times == 0) {
            return CompletableFuture.completedStage(null);
        }
        return counter.add(1).thenCompose(value -> {
            done.incrementAndGet();
            return add(counter, times - 1, done);
        });
    }

    @Test
    void treeCacheConvergesToTheTreeAcrossFailover() throws Exception {
        TreeCache cache = new TreeCache(paddock.client(), "/tree");
        List<TreeCache.Event> events = new CopyOnWriteArrayList<>();
        cache.addListener(events::add);
        create("/tree", "root");
        create("/tree/a", "a0");
        cache.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(cache.snapshot().keySet()).containsExactly("/tree", "/tree/a");

        ZkClient writer = paddock.client();
        AtomicInteger written = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get(); i++) {
                String path = "/tree/n" + (i % 7) + (i % 3 == 0 ? "" : "/c" + (i % 2));
                retryingChange(writer, path, i % 5 == 4 ? null : "v" + i);
                written.incrementAndGet();
            }
        });
        awaitMore(written, 10);
        int killed = paddock.killLeader();
        awaitMore(written, 10);
        paddock.restart(killed);
        awaitMore(written, 10);
        stop.set(true);
        writes.get(60, TimeUnit.SECONDS);
        paddock.admin.delete("/tree/a", -1).toCompletableFuture().get(30, TimeUnit.SECONDS);
        Map<String, String> tree = readTree("/tree");
        Await.until(RecipeEnsemble.PATIENCE, "the cache mirrors the tree", () -> mirror(cache).equals(tree));
        assertThat(events).anyMatch(e -> e.type() == TreeCache.Type.INITIALIZED)
            .anyMatch(e -> e.type() == TreeCache.Type.REMOVED && e.node().path().equals("/tree/a"));
    }

    private static void awaitMore(AtomicInteger count, int more) {
        int from = count.get();
        Await.until(RecipeEnsemble.PATIENCE, more + " more writes", () -> count.get() >= from + more);
    }

    /**
     * Deletes the node ({@code data} null; one with children stays) or creates it (and its
     * parent) or sets its data; again after a connection loss, until it holds.
     */
    private static void retryingChange(ZkClient zk, String path, String data) {
        while (true) {
            try {
                if (data == null) {
                    zk.delete(path, -1).toCompletableFuture().join();
                    return;
                }
                String parent = path.substring(0, path.lastIndexOf('/'));
                if (!parent.equals("/tree") && zk.exists(parent, false).toCompletableFuture().join() == null) {
                    retryingChange(zk, parent, "p");
                }
                if (zk.exists(path, false).toCompletableFuture().join() == null) {
                    zk.create(path, data.getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture().join();
                } else {
                    zk.setData(path, data.getBytes(UTF_8), -1).toCompletableFuture().join();
                }
                return;
            } catch (CompletionException e) {
                ErrorCode code = e.getCause() instanceof KeeperException k ? k.code() : null;
                if (data == null && (code == ErrorCode.NONODE || code == ErrorCode.NOTEMPTY)) {
                    return;
                }
                if (code != ErrorCode.CONNECTIONLOSS && code != ErrorCode.NODEEXISTS && code != ErrorCode.NONODE) {
                    throw e;
                }
            }
        }
    }

    private void create(String path, String data) throws Exception {
        paddock.admin.create(path, data.getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    }

    private Map<String, String> readTree(String path) throws Exception {
        Map<String, String> tree = new TreeMap<>();
        tree.put(path, new String(paddock.admin.getData(path, false).toCompletableFuture().get(30, TimeUnit.SECONDS).data(), UTF_8));
        for (String child : paddock.admin.getChildren(path, false).toCompletableFuture().get(30, TimeUnit.SECONDS).children()) {
            tree.putAll(readTree(path + "/" + child));
        }
        return tree;
    }

    private static Map<String, String> mirror(TreeCache cache) {
        Map<String, String> tree = new TreeMap<>();
        cache.snapshot().forEach((path, node) -> tree.put(path, new String(node.data(), UTF_8)));
        return tree;
    }
}
