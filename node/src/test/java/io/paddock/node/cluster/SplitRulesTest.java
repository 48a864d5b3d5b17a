package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.cluster.SplitRules.Incarnation;
import io.paddock.node.cluster.SplitRules.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which of two clusters dissolves: fewer voters, or as many and a higher lowest voter id; only when seen twice. */
class SplitRulesTest {
    private static final Set<Long> VOTERS = Set.of(1L, 2L, 3L, 4L, 5L);

    @Test
    void theSmallerClusterLosesAfterTwoSightings() {
        SplitRules one = new SplitRules(1, VOTERS);
        assertThat(one.onMemberAnswer(3, Set.of(2L, 3L, 4L), Set.of(1L, 5L))).isEqualTo(Verdict.NONE);
        assertThat(one.onMemberAnswer(3, Set.of(2L, 3L, 4L), Set.of(1L, 5L))).isEqualTo(Verdict.WE_LOSE);
        SplitRules two = new SplitRules(2, VOTERS);
        two.onMemberAnswer(1, Set.of(1L, 5L), Set.of(2L, 3L, 4L));
        assertThat(two.onMemberAnswer(1, Set.of(1L, 5L), Set.of(2L, 3L, 4L))).isEqualTo(Verdict.WE_WIN);
    }

    @Test
    void onATieTheLowerLowestVoterWinsAndObserversDoNotCount() {
        Set<Long> voters = Set.of(1L, 2L, 3L, 4L);
        SplitRules three = new SplitRules(3, voters);
        three.onMemberAnswer(1, Set.of(1L, 2L), Set.of(3L, 4L, 9L));
        assertThat(three.onMemberAnswer(1, Set.of(1L, 2L), Set.of(3L, 4L, 9L))).isEqualTo(Verdict.WE_LOSE);
        SplitRules one = new SplitRules(1, voters);
        one.onMemberAnswer(3, Set.of(3L, 4L, 9L), Set.of(1L, 2L));
        assertThat(one.onMemberAnswer(3, Set.of(3L, 4L, 9L), Set.of(1L, 2L))).isEqualTo(Verdict.WE_WIN);
    }

    /**
     * Servers 1 and 2 of three crash and restart together while 3 (and observer 4) live on in the old
     * cluster, which still lists their old incarnations, unreachable. If 1 and 2 form a cluster of their
     * own before 3's answers reach them, each side's list names the other's servers: compared by server
     * id alone, neither would ever see the split.
     */
    @Test
    void serversRestartedIntoAnotherClusterCountWhereTheirNewIncarnationIs() {
        Set<Long> voters = Set.of(1L, 2L, 3L);
        Incarnation old1 = new Incarnation(1, 11);
        Incarnation old2 = new Incarnation(2, 21);
        Incarnation new1 = new Incarnation(1, 12);
        Incarnation new2 = new Incarnation(2, 22);
        Incarnation three = new Incarnation(3, 31);
        Incarnation four = new Incarnation(4, 41);
        // 3's view: 1 and 2 are listed (old incarnations) but unreachable
        SplitRules at3 = new SplitRules(3, voters);
        Set<Incarnation> oldCluster = Set.of(old1, old2, three, four);
        Set<Incarnation> newCluster = Set.of(new1, new2);
        assertThat(at3.onMemberAnswer(new1, newCluster, oldCluster, Set.of(1L, 2L))).isEqualTo(Verdict.NONE);
        assertThat(at3.onMemberAnswer(new1, newCluster, oldCluster, Set.of(1L, 2L))).isEqualTo(Verdict.WE_LOSE);
        // 1's view: its own cluster is reachable; 3 answers with the old incarnations of 1 and 2
        SplitRules at1 = new SplitRules(1, voters);
        at1.onMemberAnswer(three, oldCluster, newCluster, Set.of());
        assertThat(at1.onMemberAnswer(three, oldCluster, newCluster, Set.of())).isEqualTo(Verdict.WE_WIN);
        // compared by id only, as before: 3 would take 1's cluster for its own
        SplitRules byIds = new SplitRules(3, voters);
        byIds.onMemberAnswer(1, Set.of(1L, 2L), Set.of(1L, 2L, 3L, 4L));
        assertThat(byIds.onMemberAnswer(1, Set.of(1L, 2L), Set.of(1L, 2L, 3L, 4L))).isEqualTo(Verdict.NONE);
    }

    @Test
    void theSameIncarnationListedOnEitherSideIsOneCluster() {
        SplitRules one = new SplitRules(1, VOTERS);
        Incarnation me = new Incarnation(1, 100);
        Incarnation three = new Incarnation(3, 300);
        // a partition within one cluster, healing: 3 still finds us unreachable and we find it so
        for (int i = 0; i < 3; i++) {
            assertThat(one.onMemberAnswer(three, Set.of(me, three), Set.of(me, three), Set.of(3L))).isEqualTo(Verdict.NONE);
        }
        // 3 lists an older incarnation of us, and we list 3: still the same cluster (we list that incarnation)
        assertThat(one.onMemberAnswer(three, Set.of(new Incarnation(1, 99), three), Set.of(me, three), Set.of()))
            .isEqualTo(Verdict.NONE);
    }

    @Test
    void theSameClusterSeenAtTwoMomentsIsNoSplit() {
        SplitRules one = new SplitRules(1, VOTERS);
        // 3 lists us: it has joined our cluster, whatever our own view says yet
        assertThat(one.onMemberAnswer(3, Set.of(1L, 3L), Set.of(1L))).isEqualTo(Verdict.NONE);
        assertThat(one.onMemberAnswer(3, Set.of(1L, 3L), Set.of(1L))).isEqualTo(Verdict.NONE);
        // we list 3 (probes go to outsiders only, but an answer may be late)
        assertThat(one.onMemberAnswer(3, Set.of(3L), Set.of(1L, 3L))).isEqualTo(Verdict.NONE);
        // a sighting in between that shows the same cluster starts the count over
        one.onMemberAnswer(4, Set.of(4L, 5L, 2L), Set.of(1L));
        one.onMemberAnswer(4, Set.of(4L, 5L, 2L, 1L), Set.of(1L));
        assertThat(one.onMemberAnswer(4, Set.of(4L, 5L, 2L), Set.of(1L))).isEqualTo(Verdict.NONE);
        assertThat(one.onMemberAnswer(4, Set.of(4L, 5L, 2L), Set.of(1L))).isEqualTo(Verdict.WE_LOSE);
    }
}
