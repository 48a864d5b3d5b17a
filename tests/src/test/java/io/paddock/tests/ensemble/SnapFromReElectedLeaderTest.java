package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.context.ServerStats.SyncKind;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "gap after SNAP from a re-elected leader". A leader logs many proposals that never
 * commit (its followers are gone), more than the history window (commitLogCount, 50 here), steps
 * down, and is elected again once its followers are back: it logged the most. Its history was its
 * log's ring of recent txns, which no longer reached back to its tree (a leader applies only what
 * commits); a learner behind the ring got a SNAP of that tree, then the txns of the ring: the ones
 * between were missing, and that learner's replica silently diverged. Now a leader's history is
 * every txn it logged above its tree, and a SNAP is never followed by a history that starts above
 * it. Both ways back are taken: one follower stopped before the last commit, so it is behind the
 * leader's tree and gets a SNAP of it and then every unapplied txn (it comes back first, so the
 * epoch waits for it); the other holds the tree and gets a DIFF.
 */
class SnapFromReElectedLeaderTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int WINDOW = 50;
    static final int UNCOMMITTED = 4 * WINDOW;

    @TempDir
    Path dir;

    @Test
    void learnersOfALeaderWithManyUnappliedTxnsGetThemAllByDiffAndBySnap() throws Exception {
        // ZooKeeper's tickTime: on a loaded machine a stall of a few seconds must not end a learner
        // session, and the leader proposes on its own for syncLimit ticks before it steps down
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0,
            Map.of("commitLogCount", String.valueOf(WINDOW), "tickTime", "2000"))) {
            int leader = ensemble.awaitServing(PATIENCE);
            List<Integer> followers = ensemble.ids().stream().filter(id -> id != leader).toList();
            int behindTree = followers.get(0);
            int atTree = followers.get(1);
            ZooKeeper writer = ZkClients.connect(ensemble.connectString(leader));
            ensemble.stopNode(behindTree);
            writer.create("/committed", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            ensemble.stopNode(atTree);

            // proposed and logged by the leader alone: none can commit
            long logged = ensemble.node(leader).context().stats().lastLoggedZxid();
            for (int i = 0; i < UNCOMMITTED; i++) {
                writer.create("/pending-" + i, new byte[] {(byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    (rc, path, ctx, name) -> { }, null);
            }
            Await.until(PATIENCE, "the leader logged every uncommitted proposal", () ->
                ensemble.node(leader).context().stats().lastLoggedZxid() >= logged + UNCOMMITTED);
            Await.until(PATIENCE, "the leader steps down", () -> !ensemble.node(leader).context().serving());
            assertThat(ReplicaDigest.of(ensemble.node(leader)).nodes()).as("the leader's tree")
                .doesNotContainKey("/pending-0");
            writer.close();

            long snaps = ensemble.node(leader).context().stats().learnerSyncs(SyncKind.SNAP);
            long diffs = ensemble.node(leader).context().stats().learnerSyncs(SyncKind.DIFF);
            // the one behind the tree first: the old leader's epoch needs its ack, so it is synced while the
            // leader's tree still lacks the uncommitted txns (a SNAP of the tree, then all of them)
            ensemble.startNode(behindTree);
            assertThat(ensemble.awaitServing(PATIENCE)).as("the old leader, which logged the most, leads again")
                .isEqualTo(leader);
            assertThat(ensemble.node(leader).context().stats().learnerSyncs(SyncKind.SNAP)).as("SNAP syncs")
                .isEqualTo(snaps + 1);
            ensemble.startNode(atTree);
            ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            assertThat(ensemble.node(leader).context().stats().learnerSyncs(SyncKind.DIFF)).as("DIFF syncs")
                .isGreaterThan(diffs);
            assertThat(agreed.nodes()).containsKey("/committed");
            for (int i = 0; i < UNCOMMITTED; i++) {
                assertThat(agreed.nodes()).as("every txn the leader logged is committed everywhere")
                    .containsKey("/pending-" + i);
            }
        }
    }
}
