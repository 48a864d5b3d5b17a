package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.context.ServerStats.SyncKind;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.WriteLoad;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, fault test 4: two of three servers stop (as after a crash: the others see them
 * unreachable, nothing is left gracefully), then come back. No committed write is lost, and a
 * tail of proposals that only the old leader logged (nobody acked them) is truncated when it
 * rejoins an ensemble that went on without it.
 */
class QuorumLossTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int TAIL = 25;

    @TempDir
    Path dir;

    @Test
    void twoOfThreeStoppedDuringWritesAndRestartedLoseNoCommittedWrite() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = leader == 3 ? 2 : 3;
            int survivor = 6 - leader - follower;
            try (WriteLoad load = FollowerCatchUpTest.load(ensemble, "/load", 1_000)) {
                ensemble.stopNode(leader);
                ensemble.stopNode(follower);
                load.stopAndClose();
                Await.until(PATIENCE, "the survivor stops serving", () -> !ensemble.node(survivor).context().serving());
                System.out.printf("stopped leader %d and follower %d after %d of %d writes were acknowledged%n", leader,
                    follower, load.acked(), load.attempted());

                long started = System.nanoTime();
                ensemble.startNode(follower);
                ensemble.startNode(leader);
                ensemble.awaitServing(PATIENCE);
                System.out.printf("all three serving %d ms after the two restarts (leader %d)%n",
                    (System.nanoTime() - started) / 1_000_000, ensemble.leader().orElseThrow());
                ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                assertThat(agreed.verify(load)).as("acknowledged writes after two of three restarted").isEmpty();
            }
        }
    }

    @Test
    void anOldLeadersUnacknowledgedTailIsTruncatedWhenItRejoins() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int oldLeader = ensemble.awaitServing(PATIENCE);
            List<Integer> followers = ensemble.ids().stream().filter(id -> id != oldLeader).toList();
            try (WriteLoad before = FollowerCatchUpTest.load(ensemble, "/before", 300);
                 ZooKeeper client = ZkClients.connect(ensemble.connectString(oldLeader))) {
                before.stopAndClose();

                // with both followers gone the leader still proposes (and logs) writes until it steps
                // down, but nobody acks them: they must never be acknowledged to the client
                followers.forEach(ensemble::stopNode);
                CountDownLatch answered = new CountDownLatch(TAIL);
                AtomicInteger acked = new AtomicInteger();
                for (int i = 0; i < TAIL; i++) {
                    client.create("/tail-" + i, "old".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT, (rc, path, ctx, name) -> {
                            if (rc == KeeperException.Code.OK.intValue()) {
                                acked.incrementAndGet();
                            }
                            answered.countDown();
                        }, null);
                }
                assertThat(answered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the tail's writes answered").isTrue();
                assertThat(acked).as("tail writes acknowledged without a quorum").hasValue(0);
                Await.until(PATIENCE, "the old leader steps down", () -> !ensemble.node(oldLeader).context().serving());
                ensemble.stopNode(oldLeader);

                // the tail is in the old leader's log: recovery replays the whole log into its tree
                ensemble.startNode(oldLeader);
                assertThat(ReplicaDigest.of(ensemble.node(oldLeader)).nodes()).as("the old leader's recovered tree")
                    .containsKeys("/tail-0", "/tail-" + (TAIL - 1));
                ensemble.stopNode(oldLeader);

                // the followers elect one of themselves and commit other writes on half of the same paths
                followers.forEach(ensemble::startNode);
                int newLeader = ensemble.awaitServing(PATIENCE);
                assertThat(followers).contains(newLeader);
                try (ZooKeeper zk = ZkClients.connect(ensemble.connectString())) {
                    for (int i = 0; i < TAIL / 2; i++) {
                        zk.create("/tail-" + i, "new".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT);
                    }
                }
                try (WriteLoad after = FollowerCatchUpTest.load(ensemble, "/after", 300)) {
                    after.stopAndClose();
                    long truncs = ensemble.node(newLeader).context().stats().learnerSyncs(SyncKind.TRUNC);

                    long started = System.nanoTime();
                    ensemble.startNode(oldLeader);
                    ensemble.awaitServing(PATIENCE);
                    ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                    System.out.printf("old leader %d rejoined and truncated its tail in %d ms%n", oldLeader,
                        (System.nanoTime() - started) / 1_000_000);

                    assertThat(ensemble.leader()).contains(newLeader);
                    assertThat(ensemble.node(newLeader).context().stats().learnerSyncs(SyncKind.TRUNC) - truncs)
                        .as("TRUNC syncs of the old leader").isEqualTo(1);
                    for (int i = 0; i < TAIL; i++) {
                        TreeDump.Node n = agreed.nodes().get("/tail-" + i);
                        if (i < TAIL / 2) {
                            assertThat(n).as("/tail-" + i).isNotNull();
                            assertThat(new String(n.data(), StandardCharsets.UTF_8)).as("/tail-" + i).isEqualTo("new");
                            assertThat(n.stat().getCzxid() >>> 32).as("/tail-" + i + "'s epoch").isGreaterThan(1);
                        } else {
                            assertThat(n).as("/tail-" + i + ", only ever written by the old leader's tail").isNull();
                        }
                    }
                    assertThat(agreed.verify(before)).isEmpty();
                    assertThat(agreed.verify(after)).isEmpty();
                }
            }
        }
    }
}
