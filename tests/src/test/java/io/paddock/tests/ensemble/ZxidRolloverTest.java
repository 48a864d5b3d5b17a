package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.Zxid;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * limit is lowered to {@value #LIMIT} through the test-only system property. Every write is
 * retried until it is known to have landed, and at the end each one is on every replica with its
 * data and Stat.
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
            List<Written> writes = writeThroughRollovers(ensemble.connectString());
            assertEveryWriteLanded(ReplicaDigest.awaitIdentical(ensemble, Duration.ofSeconds(30)), writes);
        }
    }

    @Test
    void aStandaloneServerDoesToo() throws Exception {
        try (InProcessServer server = InProcessServer.start(dir)) {
            List<Written> writes = writeThroughRollovers(server.connectString());
            assertEveryWriteLanded(ReplicaDigest.of(server.server()), writes);
            assertThat(server.server().context().mode()).isEqualTo("standalone");
        }
    }

    /** One create: its path and data, and the Stat it was acknowledged with (or read back with, when its answer was lost). */
    private record Written(String path, byte[] data, Stat stat, boolean acked) {
    }

    /** Writes {@value #WRITES} znodes one after another, each retried across the leader changes until it is known to be there. */
    private static List<Written> writeThroughRollovers(String connectString) throws Exception {
        List<Written> writes = new ArrayList<>();
        try (ZooKeeper zk = ZkClients.connect(connectString)) {
            for (int i = 0; i < WRITES; i++) {
                writes.add(createRetrying(zk, "/rollover-" + i, ("write " + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return writes;
    }

    /**
     * Every write is in {@code state} with its data and Stat, each in a counter within the lowered
     * limit, nothing else was created, and the writes span at least three epochs.
     */
    private static void assertEveryWriteLanded(ReplicaDigest state, List<Written> writes) {
        Set<Long> epochs = new TreeSet<>();
        for (Written w : writes) {
            TreeDump.Node n = state.nodes().get(w.path());
            assertThat(n).as(w.path() + (w.acked() ? ", acknowledged" : ", found on a retry")).isNotNull();
            assertThat(n.data()).as(w.path() + "'s data").isEqualTo(w.data());
            assertThat(n.stat()).as(w.path() + "'s Stat").isEqualTo(w.stat());
            assertThat(Zxid.counter(n.stat().getCzxid())).as(w.path() + "'s zxid counter").isLessThanOrEqualTo(LIMIT);
            epochs.add(Zxid.epoch(n.stat().getCzxid()));
        }
        assertThat(state.nodes().keySet().stream().filter(p -> p.startsWith("/rollover-")))
            .as("znodes the writes created").hasSize(WRITES);
        System.out.printf("%d writes (%d found on a retry) in epochs %s%n", writes.size(),
            writes.stream().filter(w -> !w.acked()).count(), epochs);
        assertThat(epochs).as("epochs of the writes").hasSizeGreaterThanOrEqualTo(3);
    }

    /**
     * A create whose connection broke may or may not have been applied, so it is sent again; a
     * NodeExists then counts only if the znode holds this write's data (nobody else writes here).
     */
    private static Written createRetrying(ZooKeeper zk, String path, byte[] data) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean retry = false;
        while (true) {
            try {
                Stat stat = new Stat();
                try {
                    zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
                    return new Written(path, data, stat, true);
                } catch (KeeperException.NodeExistsException e) {
                    if (!retry) {
                        throw e;
                    }
                    byte[] there = zk.getData(path, false, stat);
                    assertThat(there).as(path + ", there when its create was retried: the data of the lost try")
                        .isEqualTo(data);
                    return new Written(path, data, stat, false);
                }
            } catch (KeeperException.ConnectionLossException | KeeperException.SessionMovedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                retry = true;
                ZkClients.awaitConnected(zk, Duration.ofSeconds(15));
            }
        }
    }
}
