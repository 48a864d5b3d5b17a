package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.context.ServerContext;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
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
 * A follower that loses its leader drops the writes it had forwarded (their clients retry
 * elsewhere) and closes its client connections. Those requests must stop counting: srvr's
 * Outstanding and the node's outstanding limit go back to 0, or every leader change would leave
 * the limit a little fuller until the node stopped reading requests at all.
 */
class AbandonedRequestsTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int WRITES = 2000;

    @TempDir
    Path dir;

    @Test
    void requestsDroppedByALeaderChangeStopCounting() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = leader == 1 ? 2 : 1;
            AtomicInteger lost = new AtomicInteger();
            CountDownLatch answered = new CountDownLatch(WRITES);
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(follower), 30_000, e -> { })) {
                zk.create("/abandoned", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                for (int i = 0; i < WRITES; i++) {
                    zk.setData("/abandoned", new byte[100], -1, (rc, path, ctx, stat) -> {
                        if (rc == KeeperException.Code.CONNECTIONLOSS.intValue()) {
                            lost.incrementAndGet();
                        }
                        answered.countDown();
                    }, null);
                }
                ensemble.stopNode(leader);
                assertThat(answered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("every write answered or lost").isTrue();
            }
            // with thousands in flight when the leader stopped, some were still at the follower
            assertThat(lost.get()).as("writes lost with the follower's connection").isPositive();
            ServerContext ctx = ensemble.node(follower).context();
            Await.until(PATIENCE, "the follower's outstanding requests back to 0",
                () -> ctx.stats().outstanding() == 0 && ctx.outstanding().requests() == 0);
            ensemble.startNode(leader);
            ensemble.awaitServing(PATIENCE);
            ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
        }
    }
}
