package io.paddock.tests.ensemble.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.ZkClients;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, fault test 6: Curator's InterProcessMutex on three clients, each first connected to a
 * different server (all three in its connect string), keeps mutual exclusion while the leader is
 * killed with SIGKILL and later restarted. Two workers per client take the lock in turn and, under
 * it, check that nobody else holds it (an in-JVM count of holders, so the check is in real time)
 * and add one to a counter znode with a conditional setData. Afterwards the counter equals the
 * number of increments made, exactly, and every replica holds the same tree.
 *
 * <p>An increment whose answer was lost with a connection is resolved under the lock: Curator
 * retries the conditional setData, and a BadVersion then means the first try took effect when the
 * counter shows exactly this increment (nobody else may write it while the lock is held).
 */
class MutexThroughLeaderKillTest {
    private static final String COUNTER = "/mutex-counter";
    private static final String LOCK = "/mutex-lock";
    private static final int WORKERS_PER_CLIENT = 2;

    @TempDir
    Path dir;

    private final AtomicInteger holders = new AtomicInteger();
    private final AtomicLong increments = new AtomicLong();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile long lastIncrementNanos;
    private volatile long killedAtNanos = Long.MAX_VALUE;
    private final AtomicLong firstIncrementAfterKill = new AtomicLong();
    private volatile boolean stop;

    @Test
    void mutualExclusionHoldsWhileTheLeaderIsKilled() throws Exception {
        try (ProcessEnsemble ensemble = ProcessEnsemble.create(dir, 3, Map.of())) {
            try {
                ensemble.startAll(Duration.ofSeconds(90));
                int leader = ensemble.awaitServing(Duration.ofSeconds(60));
                List<InetSocketAddress> servers = ensemble.addresses();
                List<CuratorFramework> clients = new ArrayList<>();
                List<Thread> workers = new ArrayList<>();
                try {
                    for (int c = 0; c < 3; c++) {
                        clients.add(client(servers, servers.get(c)));
                    }
                    clients.get(0).create().forPath(COUNTER, "0".getBytes(StandardCharsets.UTF_8));
                    for (int c = 0; c < 3; c++) {
                        for (int w = 0; w < WORKERS_PER_CLIENT; w++) {
                            CuratorFramework client = clients.get(c);
                            Thread t = new Thread(() -> work(client), "mutex-client" + (c + 1) + "-" + w);
                            t.start();
                            workers.add(t);
                        }
                    }
                    Await.until(Duration.ofSeconds(60), "100 increments under the lock", () -> increments.get() >= 100);

                    long killedAt = System.nanoTime();
                    LocalTime killedClock = LocalTime.now();
                    long beforeKill = increments.get();
                    killedAtNanos = killedAt;
                    ensemble.kill9(leader);
                    Await.until(Duration.ofSeconds(60), "increments after the kill",
                        () -> increments.get() >= beforeKill + 20 && lastIncrementNanos > killedAt);
                    int newLeader = ensemble.awaitServing(Duration.ofSeconds(30));
                    System.out.print(String.format("leader %d killed after %d increments; leader now %d; first increment under the lock %d ms "
                        + "after the kill; %d increments so far%n", leader, beforeKill, newLeader,
                        (firstIncrementAfterKill.get() - killedAt) / 1_000_000, increments.get()));
                    NodeLogs.printRoleChanges(ensemble, killedClock);

                    ensemble.restart(leader, Duration.ofSeconds(90));
                    long afterRestart = increments.get();
                    Await.until(Duration.ofSeconds(60), "increments after the old leader's restart",
                        () -> increments.get() >= afterRestart + 50);
                } finally {
                    stop = true;
                    for (Thread t : workers) {
                        t.join(60_000);
                    }
                    for (CuratorFramework c : clients) {
                        c.close();
                    }
                }
                assertThat(workers).as("workers still running").noneMatch(Thread::isAlive);
                assertThat(violations).as("mutual exclusion violated").isEmpty();

                Map<Integer, SortedMap<String, TreeDump.Node>> dumps = Replicas.dumpAll(ensemble);
                SortedMap<String, TreeDump.Node> tree = Replicas.assertIdentical(dumps);
                long counter = Long.parseLong(new String(tree.get(COUNTER).data(), StandardCharsets.UTF_8));
                System.out.print(String.format("%d increments under the lock, counter %d (version %d); %d lock errors retried: %s%n",
                    increments.get(), counter, tree.get(COUNTER).stat().getVersion(), errors.size(),
                    errors.subList(0, Math.min(5, errors.size()))));
                assertThat(counter).as("the counter against the increments made under the lock").isEqualTo(increments.get());
                assertThat(tree.get(COUNTER).stat().getVersion()).as("one setData per increment").isEqualTo((int) counter);
                try (ZooKeeper zk = ZkClients.connect(ensemble.connectString())) {
                    List<String> left = zk.exists(LOCK, false) == null ? List.of() : zk.getChildren(LOCK, false);
                    assertThat(left).as("lock nodes left after every client closed its session").isEmpty();
                }
            } finally {
                // the nodes' directories are temporary; their logs are worth a look after a run, failed or not
                NodeLogs.keep(ensemble, getClass().getSimpleName());
            }
        }
    }

    private static CuratorFramework client(List<InetSocketAddress> servers, InetSocketAddress first) throws Exception {
        CuratorFramework c = CuratorFrameworkFactory.builder()
            .connectString(ZkClients.connectString(servers))
            // the official client's own host provider, its first pick being this client's server
            .zookeeperFactory((connectString, sessionTimeout, watcher, canBeReadOnly) -> new ZooKeeper(connectString,
                sessionTimeout, watcher, canBeReadOnly, ZkClients.hostProviderStartingAt(servers, first)))
            .sessionTimeoutMs(15_000)
            .connectionTimeoutMs(15_000)
            .retryPolicy(new RetryNTimes(50, 200))
            .build();
        c.start();
        if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
            c.close();
            throw new AssertionError("Curator did not connect to " + first);
        }
        return c;
    }

    /** Takes the lock, checks it is alone, increments, lets go; until told to stop. */
    private void work(CuratorFramework client) {
        InterProcessMutex mutex = new InterProcessMutex(client, LOCK);
        while (!stop) {
            try {
                if (!mutex.acquire(10, TimeUnit.SECONDS)) {
                    continue;
                }
            } catch (Exception e) {
                errors.add("acquire: " + e);
                continue;
            }
            try {
                int now = holders.incrementAndGet();
                if (now != 1) {
                    violations.add(Thread.currentThread().getName() + " holds the lock with " + (now - 1) + " others");
                }
                try {
                    increment(client);
                } finally {
                    holders.decrementAndGet();
                }
            } catch (Exception e) {
                errors.add("increment: " + e);
            } finally {
                try {
                    mutex.release();
                } catch (Exception e) {
                    errors.add("release: " + e);
                }
            }
        }
    }

    /** Adds one to the counter, exactly once, whatever connections are lost meanwhile. */
    private void increment(CuratorFramework client) throws Exception {
        Stat read = new Stat();
        long value = Long.parseLong(new String(client.getData().storingStatIn(read).forPath(COUNTER), StandardCharsets.UTF_8));
        byte[] next = Long.toString(value + 1).getBytes(StandardCharsets.UTF_8);
        while (true) {
            try {
                client.setData().withVersion(read.getVersion()).forPath(COUNTER, next);
                counted();
                return;
            } catch (KeeperException.BadVersionException e) {
                // a retry after a lost answer: the first try took effect if the counter shows exactly it
                client.sync().forPath(COUNTER);
                Stat now = new Stat();
                byte[] data = client.getData().storingStatIn(now).forPath(COUNTER);
                if (now.getVersion() == read.getVersion() + 1 && java.util.Arrays.equals(data, next)) {
                    counted();
                } else {
                    violations.add("the counter changed under the lock: read version " + read.getVersion() + " value "
                        + value + ", now version " + now.getVersion() + " value " + new String(data, StandardCharsets.UTF_8));
                }
                return;
            } catch (KeeperException.ConnectionLossException e) {
                errors.add("setData: " + e);
                if (!client.getZookeeperClient().blockUntilConnectedOrTimedOut()) {
                    throw e;
                }
            }
        }
    }

    private void counted() {
        increments.incrementAndGet();
        long now = System.nanoTime();
        lastIncrementNanos = now;
        if (now > killedAtNanos) {
            firstIncrementAfterKill.compareAndSet(0, now);
        }
    }
}
