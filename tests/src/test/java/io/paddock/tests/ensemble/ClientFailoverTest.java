package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, fault test 5: the official ZooKeeper client, connected to a follower with every server
 * in its connect string, moves to another server when that follower stops, with the same session:
 * its ephemeral stays (on every replica), and the watches it had set fire for changes made after
 * the failover, both for a change made while it was still reconnecting and for one made after,
 * and its digest credentials still count. The client pipelines SetWatches and its credentials
 * behind the ConnectRequest, which waits for the session's revalidation with the leader
 * (HeldFrames).
 */
class ClientFailoverTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aSessionOnAStoppedFollowerResumesElsewhereWithItsEphemeralsAndWatches() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = leader == 3 ? 2 : 3;
            BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
            BlockingQueue<WatchedEvent> watched = new LinkedBlockingQueue<>();
            try (ZooKeeper zk = ZkClients.connectFirstTo(ensemble.clientAddresses(), ensemble.clientAddress(follower),
                10_000, e -> {
                    if (e.getType() == Watcher.Event.EventType.None) {
                        states.add(e.getState());
                    }
                });
                 ZooKeeper other = ZkClients.connect(ensemble.connectString(leader))) {
                long session = zk.getSessionId();
                // the client sends its credentials again right behind its ConnectRequest, with its SetWatches
                zk.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
                zk.create("/alices", new byte[0], ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
                assertThat(ensemble.node(follower).context().connections().forSession(session))
                    .as("the session's connection is on follower " + follower).isNotNull();
                Stat ephemeral = new Stat();
                zk.create("/eph", "mine".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL, ephemeral);
                zk.create("/watched", "v1".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
                // the client also tells these watchers of its connection state changes: only node events count
                Watcher nodeEvents = e -> {
                    if (e.getType() != Watcher.Event.EventType.None) {
                        watched.add(e);
                    }
                };
                zk.getData("/watched", nodeEvents, null);
                assertThat(zk.exists("/later", nodeEvents)).isNull();
                zk.getChildren("/", nodeEvents);
                states.clear();

                long stoppedAt = System.nanoTime();
                ensemble.stopNode(follower);
                // changed at once: most likely while the client is still reconnecting (SetWatches then
                // finds the change from its last zxid); either way the watch must fire
                other.setData("/watched", "v2".getBytes(StandardCharsets.UTF_8), -1);
                assertThat(states.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(Watcher.Event.KeeperState.Disconnected);
                assertThat(states.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("the client reconnects, not expired").isEqualTo(Watcher.Event.KeeperState.SyncConnected);
                System.out.printf("client reconnected %d ms after its follower stopped%n",
                    (System.nanoTime() - stoppedAt) / 1_000_000);
                assertThat(zk.getSessionId()).isEqualTo(session);
                Await.until(PATIENCE, "the session attached to a running server", () -> ensemble.runningIds().stream()
                    .anyMatch(id -> ensemble.node(id).context().connections().forSession(session) != null));

                WatchedEvent changed = watched.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(changed).isNotNull();
                assertThat(changed.getType()).isEqualTo(Watcher.Event.EventType.NodeDataChanged);
                assertThat(changed.getPath()).isEqualTo("/watched");
                other.create("/later", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                WatchedEvent created = watched.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(created).isNotNull();
                assertThat(created.getType()).isEqualTo(Watcher.Event.EventType.NodeCreated);
                assertThat(created.getPath()).isEqualTo("/later");
                WatchedEvent children = watched.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(children).isNotNull();
                assertThat(children.getType()).isEqualTo(Watcher.Event.EventType.NodeChildrenChanged);
                assertThat(zk.getData("/watched", false, null)).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
                assertThat(zk.setData("/alices", new byte[1], -1)).as("a write only alice may make, after the move")
                    .isNotNull();
                assertThat(other.exists("/eph", false)).as("the ephemeral, seen from the leader").isEqualTo(ephemeral);

                ensemble.startNode(follower);
                ensemble.awaitServing(PATIENCE);
                ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                TreeDump.Node eph = agreed.nodes().get("/eph");
                assertThat(eph).isNotNull();
                assertThat(eph.stat()).isEqualTo(ephemeral);
                assertThat(agreed.sessions()).containsKey(session);
                assertThat(states).as("session events after the failover").doesNotContain(Watcher.Event.KeeperState.Expired);
                assertThat(watched).as("watch events beyond the three expected").isEmpty();
            }
        }
    }
}
