package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.Zxid;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a leader's zxid counter runs out, it steps down and the re-election opens a new epoch,
 * as ZooKeeper forces a re-election on a rollover. 2^32 writes are out of reach, so the leader's
 * limit is lowered to {@value #LIMIT} through the test-only system property.
 */
class ZxidRolloverTest {
    private static final int LIMIT = 20;
    private static final int WRITES = 3 * LIMIT;

    @TempDir
    Path dir;

    @BeforeEach
    void lowerTheLimit() {
        System.setProperty("paddock.zab.maxZxidCounter", Integer.toString(LIMIT));
    }

    @AfterEach
    void restoreTheLimit() {
        System.clearProperty("paddock.zab.maxZxidCounter");
    }

    @Test
    void anEnsembleOpensANewEpochWhenTheCounterRunsOut() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3)) {
            ensemble.awaitServing(Duration.ofSeconds(30));
            Set<Long> epochs = writeThroughRollovers(ensemble.connectString());
            assertThat(epochs).hasSizeGreaterThanOrEqualTo(3);
            ReplicaDigest.awaitIdentical(ensemble, Duration.ofSeconds(30));
        }
    }

    @Test
    void aStandaloneServerDoesToo() throws Exception {
        try (InProcessServer server = InProcessServer.start(dir)) {
            Set<Long> epochs = writeThroughRollovers(server.connectString());
            assertThat(epochs).hasSizeGreaterThanOrEqualTo(3);
            assertThat(server.server().context().mode()).isEqualTo("standalone");
        }
    }

    /** Writes {@value #WRITES} nodes, retrying each across the leader changes; returns the epochs they were created in. */
    private static Set<Long> writeThroughRollovers(String connectString) throws Exception {
        Set<Long> epochs = new TreeSet<>();
        try (ZooKeeper zk = ZkClients.connect(connectString)) {
            for (int i = 0; i < WRITES; i++) {
                String path = "/rollover-" + i;
                Stat stat = createRetrying(zk, path);
                assertThat(Zxid.counter(stat.getCzxid())).as(path).isLessThanOrEqualTo(LIMIT);
                epochs.add(Zxid.epoch(stat.getCzxid()));
            }
        }
        return epochs;
    }

    /** A create whose connection broke may or may not have been applied: look before trying again. */
    private static Stat createRetrying(ZooKeeper zk, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                Stat stat = new Stat();
                zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
                return stat;
            } catch (KeeperException.ConnectionLossException | KeeperException.SessionMovedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                ZkClients.awaitConnected(zk, Duration.ofSeconds(15));
            } catch (KeeperException.NodeExistsException e) {
                return zk.exists(path, false);
            }
        }
    }
}
