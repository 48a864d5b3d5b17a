package io.paddock.tests.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions are txns in the log, so they outlive a restart: a client that reconnects within its
 * timeout keeps its session and its ephemerals; a session whose client never comes back is
 * expired by the restarted node, no sooner than its timeout after the restart began, and its
 * ephemerals are deleted with watches fired. (KillNineTest checks the same across kill -9.)
 */
class SessionRecoveryTest {
    private static final int TIMEOUT = 6000;

    @TempDir
    Path dir;

    @Test
    void aReturningSessionKeepsItsEphemeralsAndAnAbandonedOneExpiresAfterTheRestart() throws Exception {
        try (InProcessServer server = InProcessServer.start(dir, Map.of("tickTime", "500"))) {
            BlockingQueue<Watcher.Event.KeeperState> stayerStates = new LinkedBlockingQueue<>();
            try (ZooKeeper stayer = ZkClients.connect(server.connectString(), TIMEOUT, e -> {
                if (e.getType() == Watcher.Event.EventType.None) {
                    stayerStates.add(e.getState());
                }
            }); ZooKeeper leaver = ZkClients.connect(server.connectString(), TIMEOUT, e -> { })) {
                assertThat(stayer.getSessionTimeout()).isEqualTo(TIMEOUT);
                Stat stayerEph = new Stat();
                stayer.create("/stayer", "s".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, stayerEph);
                Stat leaverEph = new Stat();
                leaver.create("/leaver", "l".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, leaverEph);
                long leaverSession = leaver.getSessionId();

                // the leaver's client gives up without telling the server (no closeSession is sent)
                leaver.getTestable().injectSessionExpiration();
                long restartBegan = System.nanoTime();
                server.restart();
                // how long the restart took is only printed: sessions get a full timeout from the recovery on,
                // so a slow restart expires nobody early (the expiry bound below checks it)
                long restartMs = (System.nanoTime() - restartBegan) / 1_000_000;

                try (ZooKeeper watcher = ZkClients.connect(server.connectString())) {
                    CountDownLatch leaverGone = new CountDownLatch(1);
                    Stat stillThere = watcher.exists("/leaver", e -> {
                        if (e.getType() == Watcher.Event.EventType.NodeDeleted) {
                            leaverGone.countDown();
                        }
                    });
                    assertThat(stillThere).as("the abandoned session's ephemeral right after the restart").isEqualTo(leaverEph);
                    assertThat(stillThere.getEphemeralOwner()).isEqualTo(leaverSession);

                    assertThat(leaverGone.await(TIMEOUT + 10_000, TimeUnit.MILLISECONDS))
                        .as("the abandoned session expires after the restart").isTrue();
                    long goneAfterMs = (System.nanoTime() - restartBegan) / 1_000_000;
                    assertThat(goneAfterMs).as("expired no sooner than its timeout after the restart began")
                        .isGreaterThanOrEqualTo(TIMEOUT);
                    System.out.printf("in-process restart took %d ms; the abandoned session (timeout %d ms) expired %d ms "
                        + "after the restart began%n", restartMs, TIMEOUT, goneAfterMs);

                    // by now the stayer would have expired too, had it not reconnected
                    Await.until(Duration.ofSeconds(10), "the stayer is connected", () -> stayer.getState().isConnected());
                    Stat kept = watcher.exists("/stayer", false);
                    assertThat(kept).as("the returning session's ephemeral").isEqualTo(stayerEph);
                    assertThat(kept.getEphemeralOwner()).isEqualTo(stayer.getSessionId());
                    assertThat(stayerStates).contains(Watcher.Event.KeeperState.Disconnected)
                        .doesNotContain(Watcher.Event.KeeperState.Expired);
                    assertThat(stayer.getData("/stayer", false, null)).isEqualTo("s".getBytes());
                }
            }
        }
    }
}
