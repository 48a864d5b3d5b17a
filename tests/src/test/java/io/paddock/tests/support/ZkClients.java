package io.paddock.tests.support;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Connects the official ZooKeeper Java client and waits for SyncConnected. */
public final class ZkClients {
    private ZkClients() {
    }

    public static ZooKeeper connect(String connectString) throws IOException, InterruptedException {
        return connect(connectString, 10_000, e -> { });
    }

    public static ZooKeeper connect(String connectString, int sessionTimeout, Watcher watcher)
        throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, sessionTimeout, (WatchedEvent e) -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected && e.getType() == Watcher.Event.EventType.None) {
                connected.countDown();
            }
            watcher.process(e);
        });
        if (!connected.await(15, TimeUnit.SECONDS)) {
            zk.close();
            throw new IOException("no SyncConnected from " + connectString + " within 15 s");
        }
        return zk;
    }
}
