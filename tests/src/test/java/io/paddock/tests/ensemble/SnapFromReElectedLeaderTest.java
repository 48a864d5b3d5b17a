package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.cluster.Partitions;
import io.paddock.node.server.ServerStats.SyncKind;
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
 * Issue 10, "gap after SNAP from a re-elected leader". A follower logs many proposals that never
 * commit while it follows (its acks are lost), more than the leader's history window
 * (commitLogCount, 50 here). It is then elected. Its history is its log's ring of recent txns,
 * which no longer reaches back to its tree; a learner far behind gets a SNAP of that tree, then
 * the txns of the ring: the ones between were missing, and that learner's replica silently
 * diverged. Now the new leader's history is every txn it logged above its tree, and a SNAP is
 * never followed by a history that starts above it.
 */
class SnapFromReElectedLeaderTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int WINDOW = 50;
    static final int UNCOMMITTED = 4 * WINDOW;

    @TempDir
    Path dir;

    @Test
    void aLearnerSnappedByALeaderWithManyUnappliedTxnsGetsThemAll() throws Exception {
        // ZooKeeper's tickTime: on a loaded machine a stall of a few seconds must not end a learner
        // session before the scenario is in place (the heir's cut only has to outlast the writes)
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0,
            Map.of("commitLogCount", String.valueOf(WINDOW), "tickTime", "2000"))) {
            int oldLeader = ensemble.awaitServing(PATIENCE);
            List<Integer> followers = ensemble.ids().stream().filter(id -> id != oldLeader).toList();
            int heir = followers.get(0);
            int behind = followers.get(1);
            // the writer's session is made now: once the scenario is set up nothing can commit
            ZooKeeper writer = ZkClients.connect(ensemble.connectString(oldLeader));
            writer.create("/committed", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            ensemble.stopNode(behind);

            // the heir hears the leader but the leader never hears the heir: proposals reach it, acks do not
            ensemble.cutOneWay(heir, oldLeader);
            long heirLogged = ensemble.node(heir).context().stats().lastLoggedZxid();
            for (int i = 0; i < UNCOMMITTED; i++) {
                writer.create("/pending-" + i, new byte[] {(byte) i}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    (rc, path, ctx, name) -> { }, null);
            }
            Await.until(PATIENCE, "the heir logged every uncommitted proposal", () ->
                ensemble.node(heir).context().stats().lastLoggedZxid() >= heirLogged + UNCOMMITTED);
            assertThat(ReplicaDigest.of(ensemble.node(heir)).nodes()).as("the heir's tree before the election")
                .doesNotContainKey("/pending-0");

            org.apache.pekko.actor.Address oldLeaderAddress = ensemble.node(oldLeader).system().address();
            ensemble.stopNode(oldLeader);
            writer.close();
            Partitions.heal(ensemble.node(heir).system(), oldLeaderAddress);
            ensemble.startNode(behind);
            int newLeader = ensemble.awaitServing(PATIENCE);
            assertThat(newLeader).as("the heir, which logged the most, leads").isEqualTo(heir);
            assertThat(ensemble.node(heir).context().stats().learnerSyncs(SyncKind.SNAP)).as("SNAP syncs").isEqualTo(1);

            ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            for (int i = 0; i < UNCOMMITTED; i++) {
                assertThat(agreed.nodes()).as("every txn the new leader logged is committed everywhere")
                    .containsKey("/pending-" + i);
            }

            ensemble.startNode(oldLeader);
            ensemble.awaitServing(PATIENCE);
            ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
        }
    }
}
