package io.paddock.tests.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.HostProvider;
import org.apache.zookeeper.client.StaticHostProvider;

/** Connects the official ZooKeeper Java client and waits for SyncConnected. */
public final class ZkClients {
    private ZkClients() {
    }

    public static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
        return connect(connectString, 10_000, e -> { });
    }

    public static ZooKeeper connect(String connectString, int sessionTimeout, Watcher watcher)
        throws IOException, InterruptedException {
        return connect(connectString, null, sessionTimeout, watcher);
    }

    /**
     * Connects with every server of {@code all} in the connect string, first to {@code first}: the
     * client's own {@link StaticHostProvider}, seeded so that its shuffle puts {@code first} at the
     * head. Once that server fails the client moves on as it always does (shuffled order, its
     * usual back-off), so tests can spread sessions over the servers without changing failover.
     */
    public static ZooKeeper connectFirstTo(List<InetSocketAddress> all, InetSocketAddress first, int sessionTimeout,
                                           Watcher watcher) throws IOException, InterruptedException {
        return connect(connectString(all), hostProviderStartingAt(all, first), sessionTimeout, watcher);
    }

    /** ZooKeeper's own host provider over {@code all}, whose first pick is {@code first}. */
    public static HostProvider hostProviderStartingAt(List<InetSocketAddress> all, InetSocketAddress first) {
        for (long seed = 0; seed < 10_000; seed++) {
            if (new StaticHostProvider(all, seed).next(0).equals(first)) {
                return new StaticHostProvider(all, seed);
            }
        }
        throw new IllegalArgumentException(first + " is not one of " + all);
    }

    public static String connectString(List<InetSocketAddress> all) {
        return String.join(",", all.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
    }

    private static ZooKeeper connect(String connectString, HostProvider hosts, int sessionTimeout, Watcher watcher)
        throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        Watcher w = (WatchedEvent e) -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected && e.getType() == Watcher.Event.EventType.None) {
                connected.countDown();
            }
            watcher.process(e);
        };
        ZooKeeper zk = hosts == null ? new ZooKeeper(connectString, sessionTimeout, w)
            : new ZooKeeper(connectString, sessionTimeout, w, false, hosts);
        if (!connected.await(15, TimeUnit.SECONDS)) {
            zk.close();
            throw new IOException("no SyncConnected from " + connectString + " within 15 s");
        }
        return zk;
    }

    /** Waits until a client that lost its connection has a new one. */
    public static void awaitConnected(ZooKeeper zk, java.time.Duration timeout) {
        Await.until(timeout, "the client reconnected", () -> zk.getState().isConnected());
    }

    /** A blocking {@code sync}: afterwards this client's server has applied every write committed before it. */
    public static void sync(ZooKeeper zk, String path) throws InterruptedException {
        CompletableFuture<Integer> synced = new CompletableFuture<>();
        zk.sync(path, (rc, p, ctx) -> synced.complete(rc), null);
        int rc;
        try {
            rc = synced.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("sync of " + path + " did not complete within 30 s", e);
        }
        if (rc != 0) {
            throw new AssertionError("sync of " + path + " failed: " + KeeperException.Code.get(rc));
        }
    }
}
