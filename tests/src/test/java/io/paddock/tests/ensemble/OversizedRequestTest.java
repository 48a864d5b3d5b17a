package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request within jute.maxbuffer whose txn no peer message could carry. An "auth" ACL expands to
 * every digest id of the session: a user name of 4 KB and an ACL of 31 "auth" entries (one per
 * permission set) make a 124 KB ACL, and a multi of 20 such creates a 2.5 MB txn from an 8 KB
 * request. Before the fix Artery dropped the Proposal, the learners re-synced and were sent it
 * again, for ever. Now such a request is refused with BADARGUMENTS before anything is logged, on
 * every server alike; the session goes on and can close, and the ensemble does not notice. (A
 * single create cannot get there any more: a connection holds at most 4096 characters of
 * digest identities, AuthIdsTest.)
 */
class OversizedRequestTest {
    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final int CREATES = 20;

    @TempDir
    Path dir;

    @Test
    void requestsNoPeerMessageCouldCarryAreRefusedAndTheEnsembleGoesOn() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, InProcessEnsemble.ZOOKEEPER_TICK)) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            long syncs = ensemble.learnerSyncs(leader);
            ZooKeeper zk = ZkClients.connect(ensemble.connectString(follower));
            long session = zk.getSessionId();
            // a digest id of about 4 KB, the most a connection may hold
            zk.addAuthInfo("digest", ("user-" + "x".repeat(4000) + ":pw").getBytes(StandardCharsets.UTF_8));
            List<ACL> everyAuth = new ArrayList<>();
            for (int perms = 1; perms <= ZooDefs.Perms.ALL; perms++) {
                everyAuth.add(new ACL(perms, new Id("auth", "")));
            }
            List<Op> creates = new ArrayList<>();
            for (int i = 0; i < CREATES; i++) {
                creates.add(Op.create("/big-" + i, new byte[10], everyAuth, CreateMode.PERSISTENT));
            }
            assertThatThrownBy(() -> zk.multi(creates)).as("a multi whose ACLs expand to 2.5 MB")
                .isInstanceOf(KeeperException.BadArgumentsException.class);
            // one such create makes a 124 KB ACL, which fits
            zk.create("/big", new byte[10], everyAuth, CreateMode.PERSISTENT);
            zk.setData("/big", new byte[10], -1);
            assertThat(zk.getData("/big", false, null)).as("reads go on").hasSize(10);
            zk.close();
            Await.until(PATIENCE, "the session closed everywhere", () -> ensemble.runningIds().stream()
                .noneMatch(id -> ensemble.node(id).context().tree().sessions().containsKey(session)));

            try (ZooKeeper other = ZkClients.connect(ensemble.connectString(leader))) {
                other.create("/after", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            assertThat(agreed.nodes()).containsKeys("/big", "/after");
            assertThat(agreed.acls().get("/big")).as("one entry per permission set").hasSize(ZooDefs.Perms.ALL);
            assertThat(agreed.nodes()).doesNotContainKey("/big-0");
            assertThat(ensemble.leader()).as("the leader").contains(leader);
            assertThat(ensemble.learnerSyncs(leader)).as("learner syncs run by the leader").isEqualTo(syncs);
        }
    }
}
