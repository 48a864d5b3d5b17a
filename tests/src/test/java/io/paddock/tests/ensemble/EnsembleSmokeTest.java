package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleSmokeTest {
    @TempDir
    Path dir;

    @Test
    void threeNodesElectSyncAndReplicate() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3)) {
            int leader = ensemble.awaitServing(Duration.ofSeconds(30));
            int follower = leader == 1 ? 2 : 1;
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(follower))) {
                zk.create("/replicated", "x".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                zk.sync("/", (rc, path, ctx) -> { }, null);
                for (int id = 1; id <= 3; id++) {
                    try (ZooKeeper other = ZkClients.connect(ensemble.connectString(id))) {
                        other.sync("/replicated", (rc, path, ctx) -> { }, null);
                        assertThat(other.getData("/replicated", false, null)).as("node " + id).isEqualTo("x".getBytes());
                    }
                }
            }
        }
    }
}
