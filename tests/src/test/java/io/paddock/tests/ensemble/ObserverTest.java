package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ServerProcess;
import io.paddock.tests.support.WriteLoad;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observers: three voters and one observer. The observer serves reads from its own replica and
 * forwards writes to the leader (a write load through it only), but it never counts toward a
 * quorum: with two voters stopped, a write sent through it is never acknowledged, and neither the
 * remaining voter nor the observer serves. Once the voters are back, all four replicas agree.
 */
class ObserverTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int OBSERVER = 4;

    @TempDir
    Path dir;

    @Test
    void anObserverServesReadsForwardsWritesAndNeverMakesAQuorum() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 1, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            assertThat(leader).isNotEqualTo(OBSERVER);
            assertThat(ensemble.mode(OBSERVER)).isEqualTo("observer");
            String observer = ensemble.connectString(OBSERVER);
            try (ZooKeeper viaObserver = ZkClients.connect(observer);
                 ZooKeeper viaLeader = ZkClients.connect(ensemble.connectString(leader));
                 WriteLoad load = WriteLoad.start(observer, "/through-observer", 2)) {
                // reads on the observer see writes made through a voter (after a sync), and its own writes
                Stat written = new Stat();
                viaObserver.create("/from-observer", "o".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT, written);
                viaLeader.create("/from-leader", "l".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
                CompletableFuture<Integer> synced = new CompletableFuture<>();
                viaObserver.sync("/from-leader", (rc, path, ctx) -> synced.complete(rc), null);
                assertThat(synced.get(30, TimeUnit.SECONDS)).isEqualTo(KeeperException.Code.OK.intValue());
                assertThat(viaObserver.getData("/from-leader", false, null)).isEqualTo("l".getBytes(StandardCharsets.UTF_8));
                assertThat(viaLeader.exists("/from-observer", false)).isEqualTo(written);
                Await.until(PATIENCE, "300 writes through the observer", () -> load.acked() >= 300);
                load.stopAndClose();
                ReplicaDigest first = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                assertThat(first.verify(load)).as("writes forwarded by the observer").isEmpty();

                // two voters stop, the leader stays with the observer: no quorum
                List<Integer> stopped = ensemble.ids().stream().filter(id -> id != leader && id != OBSERVER).toList();
                stopped.forEach(ensemble::stopNode);
                CompletableFuture<Integer> noQuorum = new CompletableFuture<>();
                viaObserver.create("/no-quorum", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    (rc, path, ctx, name) -> noQuorum.complete(rc), null);
                assertThat(KeeperException.Code.get(noQuorum.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)))
                    .as("a write through the observer with one voter of three").isNotEqualTo(KeeperException.Code.OK);
                Await.until(PATIENCE, "neither the leader nor the observer serves",
                    () -> !ensemble.node(leader).context().serving() && !ensemble.node(OBSERVER).context().serving());
                for (int id : List.of(leader, OBSERVER)) {
                    assertThat(ServerProcess.fourLetterWord("127.0.0.1", ensemble.clientPort(id), "srvr"))
                        .as("srvr of server " + id).contains("not currently serving");
                }

                stopped.forEach(ensemble::startNode);
                ensemble.awaitServing(PATIENCE);
                assertThat(ensemble.mode(OBSERVER)).isEqualTo("observer");
                ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                assertThat(agreed.verify(load)).as("writes forwarded by the observer, after the voters came back").isEmpty();
                assertThat(agreed.nodes().get("/from-observer").stat()).isEqualTo(written);
            }
        }
    }
}
