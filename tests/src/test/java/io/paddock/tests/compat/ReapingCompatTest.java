package io.paddock.tests.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.PaddockExtension;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Containers and TTL nodes are reaped by the server's periodic check (every 100 ms here). */
class ReapingCompatTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.withConfig(Map.of("extendedTypesEnabled", "true", "znode.container.checkIntervalMs", "100"));
    static ZooKeeper zk;

    @BeforeAll
    static void connect() throws Exception {
        zk = paddock.newClient();
    }

    private static void awaitGone(String path) {
        Await.until(WAIT, path + " reaped", () -> zk.exists(path, false) == null);
    }

    /** A container that had a child goes once empty; one that never had a child stays, several checks later. */
    @Test
    void containersAreReapedOnceEmptyAfterHavingHadAChild() throws Exception {
        zk.create("/never-used", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create("/used", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create("/used/child", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        EventQueue events = new EventQueue();
        zk.exists("/used", events);
        zk.delete("/used/child", -1);
        WatchedEvent reaped = events.next();
        assertThat(reaped.getType()).isEqualTo(EventType.NodeDeleted);
        assertThat(reaped.getPath()).isEqualTo("/used");
        // a second container goes through the same checks: the unused one survived all of them
        zk.create("/used-later", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create("/used-later/child", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.delete("/used-later/child", -1);
        awaitGone("/used-later");
        assertThat(zk.exists("/never-used", false)).isNotNull();
    }

    @Test
    void aContainerWithChildrenIsKept() throws Exception {
        zk.create("/busy", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create("/busy/a", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/busy/b", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete("/busy/a", -1);
        zk.create("/probe", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
        zk.create("/probe/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.delete("/probe/x", -1);
        awaitGone("/probe");
        assertThat(zk.getChildren("/busy", false)).containsExactly("b");
    }

    /** A TTL node unmodified for its TTL and childless is reaped; one with a child is not. */
    @Test
    void ttlNodesAreReapedAfterTheirTtl() throws Exception {
        Stat created = new Stat();
        zk.create("/ttl-short", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, created, 300);
        zk.create("/ttl-parent", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 300);
        zk.create("/ttl-parent/child", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/ttl-long", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 3_600_000);
        awaitGone("/ttl-short");
        assertThat(System.currentTimeMillis() - created.getMtime()).as("not before its TTL").isGreaterThanOrEqualTo(300);
        zk.create("/ttl-probe", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 300);
        awaitGone("/ttl-probe");
        assertThat(zk.exists("/ttl-parent", false)).as("a TTL node with children is never reaped").isNotNull();
        assertThat(zk.exists("/ttl-long", false)).isNotNull();
    }
}
