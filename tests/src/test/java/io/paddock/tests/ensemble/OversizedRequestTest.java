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
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests within jute.maxbuffer that no peer message could carry. An "auth" ACL expands to every
 * digest id of the session, so one 100 KB user name and an ACL of 31 "auth" entries (one per
 * permission set) make a 3 MB create txn; and a learner forwards each write with all of its
 * session's auth ids. Before the fix Artery dropped the Proposal (or the ForwardRequest), the
 * learners re-synced and were sent it again, for ever. Now such a request is refused with
 * BADARGUMENTS before anything is logged, on every server alike; the session goes on and can
 * close, and the ensemble does not notice.
 */
class OversizedRequestTest {
    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final int USER = 100_000;

    @TempDir
    Path dir;

    /** A user name of about 100 KB: its digest id is as long. */
    private static void addUser(ZooKeeper zk, int n) {
        zk.addAuthInfo("digest", ("user" + n + "-" + "x".repeat(USER) + ":pw").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void requestsNoPeerMessageCouldCarryAreRefusedAndTheEnsembleGoesOn() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, InProcessEnsemble.ZOOKEEPER_TICK)) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            long syncs = ensemble.learnerSyncs(leader);
            ZooKeeper zk = ZkClients.connect(ensemble.connectString(follower));
            long session = zk.getSessionId();
            addUser(zk, 1);
            List<ACL> everyAuth = new ArrayList<>();
            for (int perms = 1; perms <= ZooDefs.Perms.ALL; perms++) {
                everyAuth.add(new ACL(perms, new Id("auth", "")));
            }
            assertThatThrownBy(() -> zk.create("/big", new byte[10], everyAuth, CreateMode.PERSISTENT))
                .as("a create whose ACL expands to 3 MB").isInstanceOf(KeeperException.BadArgumentsException.class);
            // one "auth" entry makes a 100 KB ACL, which fits
            zk.create("/big", new byte[10], everyAuth.subList(0, 1), CreateMode.PERSISTENT);

            // 2.2 MB of auth ids: no write of this session could be forwarded any more
            for (int n = 2; n <= 22; n++) {
                addUser(zk, n);
            }
            assertThatThrownBy(() -> zk.setData("/big", new byte[1], -1)).as("a write with 2.2 MB of auth ids")
                .isInstanceOf(KeeperException.BadArgumentsException.class);
            assertThat(zk.getData("/big", false, null)).as("reads go on").hasSize(10);
            zk.close(); // a close travels without the ids
            Await.until(PATIENCE, "the session closed everywhere", () -> ensemble.runningIds().stream()
                .noneMatch(id -> ensemble.node(id).context().tree().sessions().containsKey(session)));

            try (ZooKeeper other = ZkClients.connect(ensemble.connectString(leader))) {
                other.create("/after", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            assertThat(agreed.nodes()).containsKeys("/big", "/after");
            assertThat(agreed.acls().get("/big")).hasSize(1);
            assertThat(ensemble.leader()).as("the leader").contains(leader);
            assertThat(ensemble.learnerSyncs(leader)).as("learner syncs run by the leader").isEqualTo(syncs);
        }
    }
}
