package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.cluster.TestEnsemble.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClusterJoiner with real ActorSystems in this JVM (127.0.0.1, one port each): exactly one
 * cluster forms in every start order, only with a majority of the voters, never on the
 * minority side of a partition, and late or partitioned nodes join it. Times are printed, not
 * asserted (bounds are generous).
 */
class ClusterJoinerTest {
    /** How long a node must stay out of any cluster to count as "never formed" here. */
    private static final Duration NO_CLUSTER_FOR = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void startOrder123FormsOneCluster() {
        try (TestEnsemble e = new TestEnsemble(dir, 3, 0)) {
            e.start(1);
            e.start(2);
            e.start(3);
            awaitOneCluster(e, Set.of(1L, 2L, 3L), "start order 1-2-3");
        }
    }

    @Test
    void simultaneousStartFormsOneCluster() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (TestEnsemble e = new TestEnsemble(dir, 3, 0)) {
            List<CompletableFuture<Node>> starts = new ArrayList<>();
            for (long id = 3; id >= 1; id--) {
                long n = id;
                starts.add(CompletableFuture.supplyAsync(() -> e.start(n), pool));
            }
            for (CompletableFuture<Node> f : starts) {
                f.get();
            }
            awaitOneCluster(e, Set.of(1L, 2L, 3L), "simultaneous start");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Order 3 (with observer 4), then 2, then 1: one voter and an observer never form a cluster;
     * the second voter makes a majority and the lower of the two forms; the lowest id, started
     * last, joins the existing cluster instead of forming its own.
     */
    @Test
    void startOrder321NoClusterWithoutAMajorityOfVoters() {
        try (TestEnsemble e = new TestEnsemble(dir, 3, 1)) {
            Node observer = e.start(4);
            Node three = e.start(3);
            three.assertNotUpWithin(NO_CLUSTER_FOR);
            observer.assertNotUpWithin(Duration.ofMillis(100));
            assertThat(three.cluster().state().getMembers()).isEmpty();
            assertThat(observer.cluster().state().getMembers()).isEmpty();
            System.out.printf("[cluster] voter 3 + observer 4 of 3 voters: no cluster after %d ms (as required)%n",
                NO_CLUSTER_FOR.toMillis());

            long t = System.nanoTime();
            Node two = e.start(2);
            long up2 = two.awaitUp();
            long up3 = (three.awaitUpAt() - t) / 1_000_000;
            long up4 = (observer.awaitUpAt() - t) / 1_000_000;
            System.out.printf("[cluster] voter 2 started: 2 Up after %d ms, 3 Up after %d ms, observer 4 Up after %d ms%n",
                up2, up3, up4);

            Node one = e.start(1);
            long up1 = one.awaitUp();
            System.out.printf("[cluster] voter 1 started last: Up (joined) after %d ms%n", up1);
            awaitOneCluster(e, Set.of(1L, 2L, 3L, 4L), "order 4+3, 2, 1");
        }
    }

    /** A cold start cut into {1} | {2,3}: only {2,3} forms; 1 joins once the partition heals. */
    @Test
    void coldStartPartitionOnlyTheMajorityForms() {
        try (TestEnsemble e = new TestEnsemble(dir, 3, 0)) {
            Node two = e.start(2);
            Node three = e.start(3);
            e.partition(List.of(1L), List.of(2L, 3L));
            Node one = e.start(1);
            e.partition(List.of(1L), List.of(2L, 3L));
            long up2 = two.awaitUp();
            long up3 = three.awaitUp();
            one.assertNotUpWithin(NO_CLUSTER_FOR);
            assertThat(one.cluster().state().getMembers()).isEmpty();
            assertThat(e.seesUp(2, Set.of(2L, 3L))).isTrue();
            System.out.printf("[cluster] cold start {1} | {2,3}: 2 Up after %d ms, 3 after %d ms; 1 alone formed nothing%n",
                up2, up3);

            long healed = System.nanoTime();
            e.heal(List.of(1L), List.of(2L, 3L));
            long joined = (one.awaitUpAt() - healed) / 1_000_000;
            System.out.printf("[cluster] partition healed: 1 Up (joined) %d ms later%n", joined);
            awaitOneCluster(e, Set.of(1L, 2L, 3L), "after healing the cold-start partition");
        }
    }

    /**
     * The split JoinRules cannot rule out (a node forms the cluster and is cut off before the
     * others see it): forced here by making the cut-off node 1 join itself. When the partition
     * heals, 1 finds the other cluster (two voters against its one), downs itself, and its
     * ActorSystem stops; restarted, it joins the winners.
     */
    @Test
    void aSecondClusterIsDissolvedWhenThePartitionHeals() {
        try (TestEnsemble e = new TestEnsemble(dir, 3, 0)) {
            Node two = e.start(2);
            Node three = e.start(3);
            e.partition(List.of(1L), List.of(2L, 3L));
            Node one = e.start(1);
            e.partition(List.of(1L), List.of(2L, 3L));
            one.cluster().manager().tell(Join.create(one.address()));
            one.awaitUp();
            two.awaitUp();
            three.awaitUp();
            assertThat(e.seesUp(1, Set.of(1L))).isTrue();
            awaitAssert(two, () -> assertThat(e.seesUp(2, Set.of(2L, 3L))).isTrue());

            long healed = System.nanoTime();
            e.heal(List.of(1L), List.of(2L, 3L));
            try {
                one.system.getWhenTerminated().toCompletableFuture().get(TestEnsemble.PATIENCE.toMillis(),
                    TimeUnit.MILLISECONDS);
            } catch (Exception ex) {
                throw new AssertionError("node 1, in the smaller cluster, did not stop", ex);
            }
            System.out.printf("[cluster] split {1} | {2,3} healed: node 1 found the other cluster and stopped %d ms later%n",
                TestEnsemble.msSince(healed));
            e.forget(1);
            long up = e.start(1).awaitUp();
            awaitOneCluster(e, Set.of(1L, 2L, 3L), "after the split");
            System.out.printf("[cluster] node 1 restarted: Up in the remaining cluster after %d ms%n", up);
        }
    }

    /**
     * Without downing, a restarted server cannot get back in while another member is unreachable
     * (no convergence, so its old incarnation is never removed). Here 3 is cut off from {1,2}, then
     * 2 crashes and restarts: 1, asked by 2 and seeing a majority of voters alive (itself and 2),
     * downs 3 so that 2 can join. When the partition heals, 3 finds itself out of the cluster and
     * its ActorSystem stops; restarted, it joins again.
     */
    @Test
    void restartWhileAnotherMemberIsUnreachable() {
        try (TestEnsemble e = new TestEnsemble(dir, 3, 0)) {
            e.start(1);
            e.start(2);
            e.start(3);
            awaitOneCluster(e, Set.of(1L, 2L, 3L), "before the partition");
            Node three = e.node(3);
            e.partition(List.of(3L), List.of(1L, 2L));
            e.crash(2);
            e.readmit(2, 1);
            long restarted = System.nanoTime();
            Node two = e.start(2);
            long up = two.awaitUp();
            System.out.printf("[cluster] restart of 2 while 3 is cut off: 1 downed 3, 2 Up after %d ms%n", up);
            awaitAssert(two, () -> assertThat(e.seesUp(1, Set.of(1L, 2L))).isTrue());

            long healed = System.nanoTime();
            e.heal(List.of(3L), List.of(1L, 2L));
            try {
                three.system.getWhenTerminated().toCompletableFuture().get(TestEnsemble.PATIENCE.toMillis(),
                    TimeUnit.MILLISECONDS);
            } catch (Exception ex) {
                throw new AssertionError("the downed node 3 did not stop after the partition healed", ex);
            }
            System.out.printf("[cluster] partition healed: downed node 3 stopped its ActorSystem %d ms later%n",
                TestEnsemble.msSince(healed));
            e.forget(3);
            Node again = e.start(3);
            long up3 = again.awaitUp();
            awaitOneCluster(e, Set.of(1L, 2L, 3L), "after 3 restarted");
            System.out.printf("[cluster] 3 restarted: Up after %d ms (%d ms since 2's restart)%n", up3,
                TestEnsemble.msSince(restarted));
        }
    }

    /** Waits until every running node sees exactly {@code ids} Up and reachable; prints how long it took. */
    static void awaitOneCluster(TestEnsemble e, Set<Long> ids, String what) {
        StringBuilder times = new StringBuilder();
        for (Node n : e.running()) {
            long up = n.awaitUp();
            times.append(' ').append(n.id).append('=').append(up).append("ms");
        }
        for (Node n : e.running()) {
            awaitAssert(n, () -> assertThat(e.seesUp(n.id, ids)).as("node %d sees %s Up", n.id, ids).isTrue());
        }
        System.out.printf("[cluster] %s: one cluster of %s; Up after start:%s%n", what, ids, times);
    }

    /** Retries {@code check} (an assertion on cluster state) until it passes or PATIENCE is over. */
    static void awaitAssert(Node n, Runnable check) {
        TestProbe.<Object>create(n.system).awaitAssert(TestEnsemble.PATIENCE, () -> {
            check.run();
            return null;
        });
    }
}
