package io.paddock.tests.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.tests.support.PaddockExtension;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The official ZooKeeper Java client against a standalone Paddock server: the everyday operations. */
class ZooKeeperClientBasicsTest {
    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.standalone();
    static ZooKeeper zk;

    @BeforeAll
    static void connect() throws Exception {
        zk = paddock.newClient();
    }

    @Test
    void createReadUpdateDelete() throws Exception {
        Stat created = new Stat();
        assertThat(zk.create("/crud", "v1".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created))
            .isEqualTo("/crud");
        Stat read = new Stat();
        assertThat(zk.getData("/crud", false, read)).isEqualTo("v1".getBytes());
        assertThat(read).isEqualTo(created);
        Stat updated = zk.setData("/crud", "v2".getBytes(), 0);
        assertThat(updated.getVersion()).isEqualTo(1);
        assertThat(updated.getMzxid()).isGreaterThan(created.getMzxid());
        assertThatThrownBy(() -> zk.setData("/crud", "v3".getBytes(), 0)).isInstanceOf(KeeperException.BadVersionException.class);
        zk.delete("/crud", 1);
        assertThat(zk.exists("/crud", false)).isNull();
        assertThatThrownBy(() -> zk.getData("/crud", false, null)).isInstanceOf(KeeperException.NoNodeException.class);
    }

    @Test
    void dataWatchFiresBeforeTheReplyThatShowsTheChange() throws Exception {
        zk.create("/watched", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        zk.getData("/watched", events::add, null);
        zk.setData("/watched", "x".getBytes(), -1);
        // the Java client delivers events in arrival order; the event must already be there
        WatchedEvent e = events.poll(5, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.getType()).isEqualTo(Watcher.Event.EventType.NodeDataChanged);
        assertThat(e.getPath()).isEqualTo("/watched");
    }
}
