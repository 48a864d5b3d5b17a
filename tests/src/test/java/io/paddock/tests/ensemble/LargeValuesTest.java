package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.context.ServerStats;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes whose txns add up to many peer frames (2 × jute.maxbuffer + 64 KiB each). Before the fix
 * the leader sent every batch of proposals to a follower as one Proposal (and the committed ones to
 * an observer as one Inform), a learner forwarded its clients' writes as one ForwardRequest, and a
 * DIFF was cut by a guess of 256 bytes per txn plus its data; Artery dropped whatever outgrew the
 * frame, the learner saw a gap and re-synced, and got the same message again. Now every such
 * message is cut by the txns' (and requests') encoded sizes.
 */
class LargeValuesTest {
    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final int VALUE = 0xfffff - 1024;
    /**
     * 12 MB in flight, enough for committed batches above a frame; with twice as much, four in-JVM
     * nodes on a busy 2-core machine were starved long enough for the cluster's failure detector to
     * find one unreachable (a liveness limit, not what this tests).
     */
    static final int WRITES_PER_CLIENT = 4;

    @TempDir
    Path dir;

    /**
     * Three clients, one on each voter, write values just under jute.maxbuffer's default (1 MiB - 1)
     * at once, with an observer watching: every write is acknowledged, no learner re-syncs, and all
     * four replicas converge.
     */
    @Test
    void threeClientsOnThreeServersWriteOneMegabyteValuesAtOnce() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 1, InProcessEnsemble.ZOOKEEPER_TICK)) {
            int leader = ensemble.awaitServing(PATIENCE);
            long syncs = ensemble.learnerSyncs(leader);
            List<ZooKeeper> clients = new ArrayList<>();
            try {
                for (int id = 1; id <= 3; id++) {
                    clients.add(ZkClients.connect(ensemble.connectString(id)));
                }
                CountDownLatch answered = new CountDownLatch(clients.size() * WRITES_PER_CLIENT);
                Queue<String> failures = new ConcurrentLinkedQueue<>();
                for (int c = 0; c < clients.size(); c++) {
                    for (int i = 0; i < WRITES_PER_CLIENT; i++) {
                        // half the writes create new nodes, half overwrite the first one of the client
                        String path = "/v-" + c + "-" + (i % 2 == 0 ? i : 0);
                        byte[] value = value(c, i);
                        if (i % 2 == 0) {
                            clients.get(c).create(path, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                                (rc, p, ctx, name) -> answered(rc, p, failures, answered), null);
                        } else {
                            clients.get(c).setData(path, value, -1,
                                (rc, p, ctx, stat) -> answered(rc, p, failures, answered), null);
                        }
                    }
                }
                assertThat(answered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("every write answered").isTrue();
                assertThat(List.copyOf(failures)).as("failed writes").isEmpty();
            } finally {
                for (ZooKeeper zk : clients) {
                    zk.close();
                }
            }
            ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            for (int c = 0; c < 3; c++) {
                for (int i = 2; i < WRITES_PER_CLIENT; i += 2) {
                    assertThat(agreed.nodes().get("/v-" + c + "-" + i).data()).isEqualTo(value(c, i));
                }
                // a client's writes apply in its order: the last setData of /v-c-0 wins
                assertThat(agreed.nodes().get("/v-" + c + "-0").data()).isEqualTo(value(c, WRITES_PER_CLIENT - 1));
            }
            assertThat(ensemble.leader()).as("the leader").contains(leader);
            assertThat(ensemble.learnerSyncs(leader)).as("learner syncs run by the leader (a learner session that ended re-syncs)")
                .isEqualTo(syncs);
        }
    }

    /**
     * A follower misses four multis of 1,000 creates with 900-character names (each txn about
     * 950 KB, within a request of jute.maxbuffer) and comes back: it catches up by one DIFF, cut by
     * the txns' real sizes (the old guess of 256 bytes a create put four of them, 3.8 MB, in one
     * message), and nothing re-syncs after it.
     */
    @Test
    void aFollowerThatMissedLargeMultisCatchesUpByOneDiff() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, InProcessEnsemble.ZOOKEEPER_TICK)) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(leader))) {
                zk.create("/m", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                ensemble.stopNode(follower);
                for (int m = 0; m < 4; m++) {
                    List<Op> ops = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        ops.add(Op.create("/m/" + m + "-" + String.format("%04d", i) + "-" + "n".repeat(890), new byte[0],
                            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                    }
                    assertThat(zk.multi(ops)).hasSize(1000);
                }
            }
            long diffs = ensemble.node(leader).context().stats().learnerSyncs(ServerStats.SyncKind.DIFF);
            long syncs = ensemble.learnerSyncs(leader);
            ensemble.startNode(follower);
            ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            assertThat(agreed.nodes().get("/m").stat().getNumChildren()).isEqualTo(4000);
            assertThat(ensemble.leader()).as("the leader").contains(leader);
            assertThat(ensemble.node(leader).context().stats().learnerSyncs(ServerStats.SyncKind.DIFF) - diffs)
                .as("DIFF syncs").isEqualTo(1);
            assertThat(ensemble.learnerSyncs(leader) - syncs).as("syncs of any kind").isEqualTo(1);
        }
    }

    private static void answered(int rc, String path, Queue<String> failures, CountDownLatch answered) {
        if (rc != 0) {
            failures.add(path + ": " + KeeperException.Code.get(rc));
        }
        answered.countDown();
    }

    private static byte[] value(int client, int i) {
        byte[] v = new byte[VALUE];
        Arrays.fill(v, (byte) (client * 31 + i));
        return v;
    }
}
