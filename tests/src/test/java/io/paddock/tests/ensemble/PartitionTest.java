package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.context.ServerStats;
import io.paddock.node.context.ServerStats.SyncKind;
import io.paddock.node.server.PaddockServer;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ServerProcess;
import io.paddock.tests.support.WriteLoad;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, fault test 3: one server of three is cut off from the other two (Artery's test-mode
 * blackhole, both directions, cluster heartbeats included). The majority keeps serving writes,
 * with a new leader if the cut-off server led; the cut-off server serves nobody (its clients are
 * disconnected, srvr says it is not serving), and writes sent to it are never acknowledged. Once
 * the cut heals it rejoins on its own, and every replica holds the same tree, with every
 * acknowledged write and none of the writes sent to the cut-off server. The leader's sync
 * counters say how it rejoined: a follower by DIFF; a leader, which had logged the writes sent to
 * it, by TRUNC, and after a restart (recovery replays its whole log) its tree holds none of them.
 */
class PartitionTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aFollowerCutOffServesNobodyAndRejoinsAfterTheHeal() throws Exception {
        cutOff(false);
    }

    @Test
    void aLeaderCutOffFromBothFollowersStepsDownAndTheMajorityElectsAnother() throws Exception {
        cutOff(true);
    }

    private void cutOff(boolean theLeader) throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            int cut = theLeader ? leader : (leader == 3 ? 2 : 3);
            List<Integer> majority = new ArrayList<>(ensemble.ids());
            majority.remove(Integer.valueOf(cut));
            String majorityServers = majority.stream().map(ensemble::connectString).reduce((a, b) -> a + "," + b).orElseThrow();

            // a client of the server about to be cut off, which knows no other server
            BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
            try (ZooKeeper isolated = ZkClients.connect(ensemble.connectString(cut), 30_000, e -> {
                if (e.getType() == Watcher.Event.EventType.None) {
                    states.add(e.getState());
                }
            }); WriteLoad before = FollowerCatchUpTest.load(ensemble, "/before", 300)) {
                before.stopAndClose();
                states.clear(); // its SyncConnected

                long cutAt = System.nanoTime();
                ensemble.partition(Set.of(cut));
                // writes sent to the cut-off server: at most proposed there, never acknowledged
                int sentToMinority = 20;
                CountDownLatch minorityAnswered = new CountDownLatch(sentToMinority);
                AtomicInteger minorityAcked = new AtomicInteger();
                for (int i = 0; i < sentToMinority; i++) {
                    isolated.create("/minority-" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                        (rc, path, ctx, name) -> {
                            if (rc == KeeperException.Code.OK.intValue()) {
                                minorityAcked.incrementAndGet();
                            }
                            minorityAnswered.countDown();
                        }, null);
                }

                // the majority serves writes, under a new leader if the old one was cut off
                WriteLoad during = WriteLoad.start(majorityServers, "/during", 2);
                try {
                    Await.until(PATIENCE, "a write acknowledged by the majority", () -> during.acked() > 0);
                    long firstWriteMs = (System.nanoTime() - cutAt) / 1_000_000;
                    Await.until(PATIENCE, "500 writes acknowledged by the majority", () -> during.acked() >= 500);
                    // no more: the returning server stays within the leader's history (commitLogCount, 10,000
                    // txns), so it is synced by DIFF or TRUNC however fast this machine writes, not by SNAP
                    during.stopAndClose();
                    Await.until(PATIENCE, "server " + cut + " stops serving",
                        () -> !ensemble.node(cut).context().serving());
                    long minorityStoppedMs = (System.nanoTime() - cutAt) / 1_000_000;
                    int newLeader = ensemble.leader().orElseThrow();
                    assertThat(majority).as("the leader during the cut").contains(newLeader);
                    System.out.printf("cut off %s %d: first write acknowledged by the majority after %d ms (leader %d), "
                            + "server %d stopped serving after %d ms%n", theLeader ? "leader" : "follower", cut,
                        firstWriteMs, newLeader, cut, minorityStoppedMs);

                    // the minority serves nobody: its client is disconnected, srvr says so, writes fail
                    assertThat(states.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                        .as("what the cut-off server's client saw").isEqualTo(Watcher.Event.KeeperState.Disconnected);
                    assertThat(ServerProcess.fourLetterWord("127.0.0.1", ensemble.clientPort(cut), "srvr"))
                        .contains("not currently serving");
                    // as ZooKeeper's isro on a server that is not running
                    assertThat(ServerProcess.fourLetterWord("127.0.0.1", ensemble.clientPort(cut), "isro")).isEqualTo("null");
                    assertThat(minorityAnswered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    assertThat(minorityAcked).as("writes acknowledged by the cut-off server").hasValue(0);
                    assertThat(ensemble.node(cut).context().mode()).isEqualTo("looking");
                } finally {
                    during.stopAndClose();
                }

                // which sync the leader runs for the returning server: a cut-off follower missed writes (DIFF); a
                // cut-off leader logged the writes sent to it, which nobody else has, and must drop them (TRUNC)
                int leaderAtHeal = ensemble.leader().orElseThrow();
                long[] syncsBefore = syncs(ensemble.node(leaderAtHeal));
                long healedAt = System.nanoTime();
                ensemble.heal();
                Await.until(PATIENCE, "server " + cut + " serves again", () -> ensemble.node(cut).context().serving());
                long rejoinMs = (System.nanoTime() - healedAt) / 1_000_000;
                Await.until(PATIENCE, "the cut-off server's client reconnects", () -> isolated.getState().isConnected());
                ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                System.out.printf("server %d serving again %d ms after the heal%n", cut, rejoinMs);

                assertThat(ensemble.leader()).as("the leader after the heal").contains(leaderAtHeal);
                long[] syncsAfter = syncs(ensemble.node(leaderAtHeal));
                // at least one: right after a heal the cluster's failure detector may flag a member once more
                // (heartbeats it missed during the cut), which ends a learner session and syncs it again
                String ran = "syncs the leader ran for server " + cut;
                assertThat(syncsAfter[2] - syncsBefore[2]).as(ran + ": SNAP").isZero();
                if (theLeader) {
                    assertThat(syncsAfter[1] - syncsBefore[1]).as(ran + ": TRUNC").isPositive();
                } else {
                    assertThat(syncsAfter[0] - syncsBefore[0]).as(ran + ": DIFF").isPositive();
                    assertThat(syncsAfter[1] - syncsBefore[1]).as(ran + ": TRUNC").isZero();
                }
                assertThat(agreed.verify(before)).as("writes before the cut").isEmpty();
                assertThat(agreed.verify(during)).as("writes during the cut").isEmpty();
                assertThat(agreed.nodes().keySet()).as("writes sent to the cut-off server")
                    .noneMatch(p -> p.startsWith("/minority-"));
                assertThat(states).as("the isolated client's session").doesNotContain(Watcher.Event.KeeperState.Expired);

                if (theLeader) {
                    // its log, too, lost the tail: recovery replays the whole log (committed or not) into the tree
                    ensemble.stopNode(cut);
                    ensemble.startNode(cut);
                    ReplicaDigest recovered = ReplicaDigest.of(ensemble.node(cut));
                    assertThat(recovered.zxid()).as("server " + cut + "'s last zxid after a restart")
                        .isEqualTo(agreed.zxid());
                    assertThat(recovered.nodes()).as("server " + cut + "'s tree after a restart").isEqualTo(agreed.nodes());
                }
            }
        }
    }

    /** The syncs {@code leader} ran so far: DIFF, TRUNC, SNAP. */
    private static long[] syncs(PaddockServer leader) {
        ServerStats stats = leader.context().stats();
        return new long[] {stats.learnerSyncs(SyncKind.DIFF), stats.learnerSyncs(SyncKind.TRUNC),
            stats.learnerSyncs(SyncKind.SNAP)};
    }
}
