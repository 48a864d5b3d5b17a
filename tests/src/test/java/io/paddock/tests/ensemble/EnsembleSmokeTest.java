package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes elect a leader; a write through a follower is read on every node, and the run ends
 * with identical replicas that hold it with the Stat it was acknowledged with.
 */
class EnsembleSmokeTest {
    @TempDir
    Path dir;

    @Test
    void threeNodesElectSyncAndReplicate() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3)) {
            int leader = ensemble.awaitServing(Duration.ofSeconds(30));
            int follower = leader == 1 ? 2 : 1;
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(follower))) {
                Stat created = new Stat();
                zk.create("/replicated", "x".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, created);
                zk.sync("/", (rc, path, ctx) -> { }, null);
                for (int id = 1; id <= 3; id++) {
                    try (ZooKeeper other = ZkClients.connect(ensemble.connectString(id))) {
                        other.sync("/replicated", (rc, path, ctx) -> { }, null);
                        assertThat(other.getData("/replicated", false, null)).as("node " + id).isEqualTo("x".getBytes());
                    }
                }
                ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, Duration.ofSeconds(30));
                assertThat(agreed.nodes().get("/replicated").stat()).isEqualTo(created);
                assertThat(agreed.sessions()).as("sessions on every replica").containsKey(zk.getSessionId());
            }
        }
    }
}
