package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.context.ServerStats;
import io.paddock.node.context.ServerStats.SyncKind;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.WriteLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, fault test 2: a follower that was stopped comes back and catches up from the leader,
 * by DIFF when the leader still holds every txn it missed, by SNAP when it missed more than the
 * leader keeps (Leading's history and the TxnLog's ring: 10,000 txns). Which one the leader
 * chose is read from its sync counters; both end with identical replicas holding every
 * acknowledged write.
 */
class FollowerCatchUpTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aFollowerThatMissedAThousandWritesCatchesUpByDiff() throws Exception {
        caughtUp(1_000, SyncKind.DIFF);
    }

    @Test
    void aFollowerThatMissedMoreThanTheLeaderKeepsGetsASnapshot() throws Exception {
        caughtUp(10_500, SyncKind.SNAP);
    }

    private void caughtUp(int missed, SyncKind expected) throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = leader == 3 ? 2 : 3;
            try (WriteLoad before = load(ensemble, "/before", 200)) {
                before.stopAndClose();
                ensemble.stopNode(follower);
                try (WriteLoad during = load(ensemble, "/during", missed)) {
                    during.stopAndClose();
                    ServerStats stats = ensemble.node(leader).context().stats();
                    long diffs = stats.learnerSyncs(SyncKind.DIFF);
                    long truncs = stats.learnerSyncs(SyncKind.TRUNC);
                    long snaps = stats.learnerSyncs(SyncKind.SNAP);

                    long started = System.nanoTime();
                    ensemble.startNode(follower);
                    Await.until(PATIENCE, "server " + follower + " serves again",
                        () -> ensemble.node(follower).context().serving());
                    long servingMs = (System.nanoTime() - started) / 1_000_000;
                    ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                    long identicalMs = (System.nanoTime() - started) / 1_000_000;
                    System.out.printf("catch-up after %d missed writes (%s): restarted follower serving after %d ms, "
                        + "identical after %d ms, %d znodes%n", during.acked(), expected, servingMs, identicalMs,
                        agreed.nodes().size());

                    assertThat(ensemble.leader()).as("the leader stayed").contains(leader);
                    assertThat(new long[] {stats.learnerSyncs(SyncKind.DIFF) - diffs,
                        stats.learnerSyncs(SyncKind.TRUNC) - truncs, stats.learnerSyncs(SyncKind.SNAP) - snaps})
                        .as("syncs the leader ran (DIFF, TRUNC, SNAP) for the restarted follower")
                        .containsExactly(expected == SyncKind.DIFF ? 1 : 0, 0, expected == SyncKind.SNAP ? 1 : 0);
                    assertThat(agreed.verify(before)).as("the first load on every replica").isEmpty();
                    assertThat(agreed.verify(during)).as("the load the follower missed, on every replica").isEmpty();
                }
            }
        }
    }

    /** A write load over the running servers, stopped once {@code acked} writes were acknowledged. */
    static WriteLoad load(InProcessEnsemble ensemble, String root, long acked) throws Exception {
        String servers = ensemble.connectString();
        WriteLoad load = WriteLoad.start(servers, root, 4);
        try {
            Await.until(PATIENCE, acked + " acknowledged writes under " + root, () -> load.acked() >= acked);
        } catch (AssertionError e) {
            load.stopAndClose();
            throw e;
        }
        return load;
    }
}
