package io.paddock.tests.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.client.TcpProxy;
import io.paddock.client.ZkClient;
import io.paddock.client.recipes.DistributedLock;
import io.paddock.client.recipes.ReadWriteLock;
import io.paddock.tests.support.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The distributed lock and the read-write lock against a 3-node Paddock ensemble. */
class DistributedLockTest {
    /** For an acquire that must fail: the lock is held elsewhere. */
    static final Duration SHORT = Duration.ofMillis(300);
    /** For an acquire that must succeed, however slow the machine. */
    static final Duration GRANT = RecipeEnsemble.PATIENCE;

    @RegisterExtension
    static final RecipeEnsemble paddock = new RecipeEnsemble();

    /** Whoever holds: a holder is in from its grant until it releases or hears the holding is lost. */
    static final class Exclusion {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger violations = new AtomicInteger();
        final AtomicInteger grants = new AtomicInteger();

        void enter(AtomicBoolean in) {
            grants.incrementAndGet();
            in.set(true);
            if (inside.incrementAndGet() > 1) {
                violations.incrementAndGet();
            }
        }

        void exit(AtomicBoolean in) {
            if (in.compareAndSet(true, false)) {
                inside.decrementAndGet();
            }
        }
    }

    @Test
    void mutualExclusionHoldsWhileTheLeaderIsKilled() throws Exception {
        Exclusion exclusion = new Exclusion();
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DistributedLock lock = new DistributedLock(paddock.client(), "/locks/failover");
            AtomicBoolean in = new AtomicBoolean();
            lock.addLostListener(() -> exclusion.exit(in));
            workers.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    try {
                        if (!lock.acquire(Duration.ofSeconds(5)).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                            continue;
                        }
                    } catch (Exception e) { // the acquire failed (the session ended): nothing was granted
                        continue;
                    }
                    exclusion.enter(in);
                    if (!lock.isHeld()) { // lost between the grant and now: the listener may have run before enter
                        exclusion.exit(in);
                    }
                    try {
                        Thread.sleep(2); // hold it a moment: the work a holder does
                    } catch (InterruptedException e) {
                        return;
                    }
                    exclusion.exit(in);
                    lock.release().toCompletableFuture().join();
                }
            }));
        }
        Await.until(RecipeEnsemble.PATIENCE, "grants before the kill", () -> exclusion.grants.get() >= 10);
        int leader = paddock.killLeader();
        int beforeRestart = exclusion.grants.get();
        Await.until(RecipeEnsemble.PATIENCE, "grants on the two survivors", () -> exclusion.grants.get() >= beforeRestart + 10);
        paddock.restart(leader);
        int afterRestart = exclusion.grants.get();
        Await.until(RecipeEnsemble.PATIENCE, "grants after the restart", () -> exclusion.grants.get() >= afterRestart + 10);
        stop.set(true);
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(exclusion.violations).as("two holders at once").hasValue(0);
    }

    @Test
    void reentrantPerHolderAndTimesOut() throws Exception {
        DistributedLock mine = new DistributedLock(paddock.client(), "/locks/reentrant");
        DistributedLock theirs = new DistributedLock(paddock.client(), "/locks/reentrant");
        assertThat(acquire(mine, GRANT)).isTrue();
        assertThat(acquire(mine, SHORT)).as("again by the same holder").isTrue();
        mine.release().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(mine.isHeld()).isTrue();
        assertThat(acquire(theirs, SHORT)).as("held once more by the first").isFalse();
        mine.release().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(acquire(theirs, GRANT)).isTrue();
        theirs.release().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Await.until(RecipeEnsemble.PATIENCE, "no node left by the timed-out attempt", () -> children("/locks/reentrant").isEmpty());
    }

    @Test
    void excludesCuratorsInterProcessMutexOnTheSamePath() throws Exception {
        // Curator's mutex belongs to the thread that acquired it: all its calls go through one thread
        ExecutorService curatorThread = Executors.newSingleThreadExecutor();
        try (CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(paddock.ensemble.connectString())
            .sessionTimeoutMs(6_000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build()) {
            curator.start();
            assertThat(curator.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
            InterProcessMutex theirs = new InterProcessMutex(curator, "/locks/curator");
            DistributedLock ours = new DistributedLock(paddock.client(), "/locks/curator");

            assertThat(acquire(ours, GRANT)).isTrue();
            assertThat(curatorThread.submit(() -> theirs.acquire(SHORT.toMillis(), TimeUnit.MILLISECONDS))
                .get(30, TimeUnit.SECONDS)).as("Curator while Paddock holds").isFalse();
            // Curator queues behind us and is granted once we release
            Future<Boolean> curatorWaits = curatorThread.submit(() -> theirs.acquire(30, TimeUnit.SECONDS));
            Await.until(RecipeEnsemble.PATIENCE, "Curator's node in the queue", () -> children("/locks/curator").size() == 2);
            ours.release().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(curatorWaits.get(30, TimeUnit.SECONDS)).isTrue();

            assertThat(acquire(ours, SHORT)).as("Paddock while Curator holds").isFalse();
            CompletableFuture<Boolean> oursWaits = ours.acquire(Duration.ofSeconds(30)).toCompletableFuture();
            Await.until(RecipeEnsemble.PATIENCE, "our node in the queue", () -> children("/locks/curator").size() == 2);
            assertThat(oursWaits).isNotDone();
            curatorThread.submit(() -> {
                theirs.release();
                return null;
            }).get(30, TimeUnit.SECONDS);
            assertThat(oursWaits.get(30, TimeUnit.SECONDS)).isTrue();
            ours.release().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            curatorThread.shutdownNow();
        }
    }

    @Test
    void aHolderCutOffHearsItLostBeforeAnotherIsGranted() throws Exception {
        int follower = paddock.ensemble.awaitServing(RecipeEnsemble.PATIENCE) == 1 ? 2 : 1;
        try (TcpProxy cable = TcpProxy.start(paddock.ensemble.clientPort(follower))) {
            // a short session: the cut holder expires quickly
            ZkClient cut = paddock.client(cable.address(), Duration.ofSeconds(2));
            DistributedLock holder = new DistributedLock(cut, "/locks/lost");
            AtomicLong lostAt = new AtomicLong();
            holder.addLostListener(() -> lostAt.set(System.nanoTime()));
            assertThat(acquire(holder, GRANT)).isTrue();
            DistributedLock next = new DistributedLock(paddock.client(), "/locks/lost");
            CompletableFuture<Long> grantedAt = next.acquire(RecipeEnsemble.PATIENCE).toCompletableFuture()
                .thenApply(granted -> granted ? System.nanoTime() : 0L);
            Await.until(RecipeEnsemble.PATIENCE, "the second in the queue", () -> children("/locks/lost").size() == 2);

            // silence, not a close: the client can only notice by the missing pings
            cable.refuse(true);
            cable.silence(true);
            long granted = grantedAt.get(30, TimeUnit.SECONDS);
            assertThat(granted).as("granted once the holder's session expired").isNotZero();
            assertThat(lostAt.get()).as("the holder heard of the loss").isNotZero();
            assertThat(lostAt.get()).as("the holder heard before the next one was granted").isLessThan(granted);
            assertThat(holder.isHeld()).isFalse();
            next.release().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void readersShareWritersExcludeAcrossALeaderKill() throws Exception {
        ReadWriteLock first = new ReadWriteLock(paddock.client(), "/locks/rw");
        ReadWriteLock second = new ReadWriteLock(paddock.client(), "/locks/rw");
        assertThat(acquire(first.readLock(), GRANT)).isTrue();
        assertThat(acquire(second.readLock(), GRANT)).as("readers share").isTrue();
        CompletableFuture<Boolean> writer = first.writeLock().acquire(RecipeEnsemble.PATIENCE).toCompletableFuture();
        Await.until(RecipeEnsemble.PATIENCE, "the writer queued", () -> children("/locks/rw").size() == 3);
        int leader = paddock.killLeader();
        assertThat(writer).as("a writer behind readers").isNotDone();
        // released across the failover (or already lost by a disconnect, which gave the nodes up)
        first.readLock().release().toCompletableFuture().get(30, TimeUnit.SECONDS);
        second.readLock().release().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(writer.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acquire(second.readLock(), SHORT)).as("a reader behind a writer").isFalse();
        paddock.restart(leader);
        assertThat(acquire(second.writeLock(), SHORT)).as("a second writer").isFalse();
        first.writeLock().release().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(acquire(second.readLock(), GRANT)).isTrue();
    }

    private List<String> children(String path) throws Exception {
        return paddock.admin.getChildren(path, false).toCompletableFuture().get(10, TimeUnit.SECONDS).children();
    }

    private static boolean acquire(DistributedLock lock, Duration timeout) throws Exception {
        return lock.acquire(timeout).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
