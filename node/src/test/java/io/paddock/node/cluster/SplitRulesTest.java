package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

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
