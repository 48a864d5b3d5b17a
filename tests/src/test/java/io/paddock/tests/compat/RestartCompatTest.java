package io.paddock.tests.compat;

import io.paddock.client.TcpProxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions outlive a server restart, and a client that comes back re-registers its watches with
 * setWatches: one-shot watches whose node changed while it was away fire once, at once, and
 * persistent watches are re-armed. The watching client reaches the server through a relay the
 * test cuts, so the changes certainly happen while it is away.
 */
class RestartCompatTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** Node events only: the client also hands every watcher the connection's state changes. */
    private static List<String> describe(List<WatchedEvent> events) {
        return events.stream().filter(e -> e.getType() != Watcher.Event.EventType.None)
            .map(e -> e.getType() + " " + e.getPath()).toList();
    }

    @Test
    void sessionsAndWatchesSurviveARestart() throws Exception {
        try (InProcessServer server = InProcessServer.start(dir);
             TcpProxy relay = TcpProxy.start(server.port())) {
            EventQueue connection = new EventQueue();
            ZooKeeper away = ZkClients.connect(relay.address(), 10_000, connection);
            ZooKeeper local = ZkClients.connect(server.connectString(), 10_000, e -> { });
            try {
                for (String p : List.of("/changed", "/same", "/parent", "/deleted", "/persistent", "/tree")) {
                    local.create(p, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                away.create("/away-eph", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                EventQueue w = new EventQueue();
                away.getData("/changed", w, null);
                away.getData("/same", w, null);
                away.exists("/born", w);
                away.getChildren("/parent", w);
                away.getData("/deleted", w, null);
                away.addWatch("/persistent", w, AddWatchMode.PERSISTENT);
                away.addWatch("/tree", w, AddWatchMode.PERSISTENT_RECURSIVE);

                relay.refuse(true);
                relay.dropAll();
                connection.awaitState(KeeperState.Disconnected);
                server.restart();
                EventQueue.roundTrip(local);
                assertThat(local.exists("/away-eph", false)).as("the session and its ephemeral survived the restart")
                    .isNotNull();
                local.setData("/changed", DATA, -1);
                local.create("/born", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                local.create("/parent/kid", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                local.delete("/deleted", -1);
                local.setData("/persistent", DATA, -1);
                local.create("/tree/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                relay.refuse(false);
                connection.awaitState(KeeperState.SyncConnected);

                assertThat(describe(w.drainAfterRoundTrip(away))).as("what changed while away, once")
                    .containsExactlyInAnyOrder("NodeDataChanged /changed", "NodeCreated /born",
                        "NodeChildrenChanged /parent", "NodeDeleted /deleted");
                local.setData("/changed", DATA, -1);
                local.setData("/same", DATA, -1);
                local.setData("/persistent", DATA, -1);
                local.create("/tree/y", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertThat(describe(w.drainAfterRoundTrip(away))).as("re-armed watches fire as usual")
                    .containsExactly("NodeDataChanged /same", "NodeDataChanged /persistent", "NodeCreated /tree/y");
                assertThat(away.getEphemerals()).containsExactly("/away-eph");
            } finally {
                away.close();
                local.close();
            }
        }
    }
}
