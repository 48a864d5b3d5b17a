package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session that owns 40,000 ephemerals with 100-character names closes, by its client and by
 * expiry. ZooKeeper lists every ephemeral in the close-session txn (ZOOKEEPER-4306): 4.4 MB here,
 * above the peer frame (2 × jute.maxbuffer + 64 KiB). Before the fix Artery dropped the Proposal,
 * the followers saw a gap and re-synced, got the same txn in a DIFF, and so on for ever; the
 * ephemerals stayed on the followers. Now the close names no ephemerals (each replica deletes the
 * ones its tree holds at that zxid), so it is one small txn: every server shows the ephemerals gone,
 * watches fire, no learner re-syncs, the leader stays, and later writes commit.
 */
class HugeSessionCloseTest {
    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final int EPHEMERALS = 40_000;

    @TempDir
    Path dir;

    @Test
    void aClientClosesASessionWith40000Ephemerals() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, InProcessEnsemble.ZOOKEEPER_TICK)) {
            closesEverywhere(ensemble, ZooKeeper::close);
        }
    }

    @Test
    void aSessionWith40000EphemeralsExpires() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, InProcessEnsemble.ZOOKEEPER_TICK)) {
            // the client stops without closing its session and never comes back: the leader expires it
            closesEverywhere(ensemble, zk -> zk.getTestable().injectSessionExpiration());
        }
    }

    /** How the owner's session ends; the owner is closed afterwards (a no-op once it has stopped). */
    interface Ending {
        void end(ZooKeeper owner) throws Exception;
    }

    private static void closesEverywhere(InProcessEnsemble ensemble, Ending ending) throws Exception {
        int leader = ensemble.awaitServing(PATIENCE);
        int follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        int other = ensemble.ids().stream().filter(id -> id != leader && id != follower).findFirst().orElseThrow();
        try (ZooKeeper watcher = ZkClients.connect(ensemble.connectString(other))) {
            watcher.create("/big", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            // the owner is on a follower: its creates and its close travel in ForwardRequests
            ZooKeeper owner = ZkClients.connect(ensemble.connectString(follower), 6000, e -> { });
            long session = owner.getSessionId();
            createEphemerals(owner);
            String last = "/big/" + name(EPHEMERALS - 1);
            CountDownLatch deleted = new CountDownLatch(1);
            CountDownLatch childrenChanged = new CountDownLatch(1);
            ZkClients.sync(watcher, "/big"); // the watcher's server is another follower: it may not show the creates yet
            assertThat(watcher.exists(last, e -> {
                if (e.getType() == Watcher.Event.EventType.NodeDeleted) {
                    deleted.countDown();
                }
            })).isNotNull();
            // a child watch on a parent with one of the session's ephemerals (one on /big would need a
            // 4 MB getChildren, and a persistent one 40,000 events, more than a client that is slow to
            // read them may have queued before the server disconnects it)
            watcher.create("/small", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            owner.create("/small/e", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            ZkClients.sync(watcher, "/small");
            assertThat(watcher.getChildren("/small", e -> {
                if (e.getType() == Watcher.Event.EventType.NodeChildrenChanged) {
                    childrenChanged.countDown();
                }
            })).containsExactly("e");
            ReplicaDigest before = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            assertThat(before.nodes().get("/big").stat().getNumChildren()).isEqualTo(EPHEMERALS);
            long syncs = ensemble.learnerSyncs(leader);
            long epoch = ensemble.node(leader).context().epoch();

            long ended = System.nanoTime();
            ending.end(owner);
            owner.close();
            Await.until(PATIENCE, "no server shows the session's ephemerals", () -> ensemble.runningIds().stream()
                .allMatch(id -> ensemble.node(id).context().tree().getNode("/big").numChildren() == 0));
            System.out.printf("a session with %d ephemerals ended; every server showed them gone %d ms later%n",
                EPHEMERALS, (System.nanoTime() - ended) / 1_000_000);
            assertThat(deleted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the exists watch fired").isTrue();
            assertThat(childrenChanged.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the child watch fired").isTrue();

            // the ensemble keeps committing, through every server
            for (int id : ensemble.ids()) {
                try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(id))) {
                    zk.create("/after-" + id, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
            }
            ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            assertThat(agreed.sessions()).doesNotContainKey(session);
            assertThat(agreed.nodes().get("/big").stat().getNumChildren()).isZero();
            assertThat(agreed.nodes()).containsKeys("/after-1", "/after-2", "/after-3");
            assertThat(ensemble.leader()).as("the leader").contains(leader);
            assertThat(ensemble.node(leader).context().epoch()).as("the leader's epoch").isEqualTo(epoch);
            assertThat(ensemble.learnerSyncs(leader)).as("learner syncs run by the leader (a learner session that ended re-syncs)")
                .isEqualTo(syncs);
        }
    }


    /** 100 characters. */
    static String name(int i) {
        return "e".repeat(90) + String.format("%010d", i);
    }

    /** Creates the ephemerals with up to 1,000 requests in flight, and checks every one was created. */
    private static void createEphemerals(ZooKeeper zk) throws InterruptedException {
        Semaphore window = new Semaphore(1000);
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < EPHEMERALS; i++) {
            window.acquire();
            zk.create("/big/" + name(i), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL,
                (rc, path, ctx, created) -> {
                    if (rc != 0) {
                        failures.add(path + ": " + KeeperException.Code.get(rc));
                    }
                    window.release();
                }, null);
        }
        assertThat(window.tryAcquire(1000, PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("every create answered").isTrue();
        assertThat(List.copyOf(failures)).as("failed creates").isEmpty();
    }
}
