package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.cluster.UnblockRules.MemberView;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a member downs unreachable members to let a blocked joiner in: only then, and only with a majority. */
class UnblockRulesTest {
    private static final long MS = 1_000_000L;
    private static final long BLOCKED = 3_000 * MS;
    private static final long UNREACHABLE = 5_000 * MS;
    private static final long ALIVE = 2_000 * MS;

    private static UnblockRules rules(long self, Set<Long> voters) {
        return new UnblockRules(self, voters, BLOCKED, UNREACHABLE, ALIVE);
    }

    private static MemberView up(long id) {
        return new MemberView(id, "m" + id, false, true);
    }

    private static MemberView unreachable(long id) {
        return new MemberView(id, "m" + id, false, false);
    }

    /** Server 1 of 3, with 3 dead: 2 restarts and asks 1 every 500 ms. */
    @Test
    void downsTheDeadMemberOnceTheJoinerHasWaitedAndItHasBeenUnreachableLongEnough() {
        UnblockRules one = rules(1, Set.of(1L, 2L, 3L));
        List<MemberView> members = List.of(unreachable(3), new MemberView(2, "m2-old", true, false));
        assertThat(one.toDown(members, 0)).isEmpty(); // 3 unreachable from now on
        long t = 0;
        for (; t < BLOCKED; t += 500 * MS) {
            one.onJoinRequest(2, t);
            assertThat(one.toDown(members, t)).isEmpty();
        }
        for (; t < UNREACHABLE; t += 500 * MS) {
            one.onJoinRequest(2, t);
            assertThat(one.toDown(members, t)).as("at %d ms", t / MS).isEmpty();
        }
        one.onJoinRequest(2, t);
        assertThat(one.toDown(members, t)).containsExactly(unreachable(3));
    }

    @Test
    void nothingIsDownedWhenNoOneIsBlocked() {
        UnblockRules one = rules(1, Set.of(1L, 2L, 3L));
        List<MemberView> members = List.of(up(2), unreachable(3));
        for (long t = 0; t < 60_000 * MS; t += 500 * MS) {
            assertThat(one.toDown(members, t)).isEmpty();
        }
    }

    @Test
    void aMinorityNeverDowns() {
        // 5 voters: 1 sees only itself and the joiner 2; 3, 4, 5 unreachable
        UnblockRules one = rules(1, Set.of(1L, 2L, 3L, 4L, 5L));
        List<MemberView> members = List.of(unreachable(3), unreachable(4), unreachable(5));
        for (long t = 0; t < 30_000 * MS; t += 500 * MS) {
            one.onJoinRequest(2, t);
            assertThat(one.toDown(members, t)).isEmpty();
        }
        // with 4 reachable it is a majority (1, 2 asking, 4), and 3 and 5 are downed
        List<MemberView> with4 = List.of(unreachable(3), up(4), unreachable(5));
        one.onJoinRequest(2, 30_000 * MS);
        assertThat(one.toDown(with4, 30_000 * MS)).containsExactly(unreachable(3), unreachable(5));
    }

    @Test
    void observersDoNotCountTowardsTheMajorityButCanBeBlocked() {
        // voters 1, 2, 3; observer 4 asks 1; 2 and 3 unreachable: 1 and an observer are no majority
        UnblockRules one = rules(1, Set.of(1L, 2L, 3L));
        List<MemberView> members = List.of(unreachable(2), unreachable(3));
        for (long t = 0; t < 30_000 * MS; t += 500 * MS) {
            one.onJoinRequest(4, t);
            assertThat(one.toDown(members, t)).isEmpty();
        }
        // with 2 reachable, the blocked observer gets 3 downed
        UnblockRules again = rules(1, Set.of(1L, 2L, 3L));
        List<MemberView> two = List.of(up(2), unreachable(3));
        long t = 0;
        for (; t <= UNREACHABLE; t += 500 * MS) {
            again.onJoinRequest(4, t);
            again.toDown(two, t);
        }
        assertThat(again.toDown(two, t)).containsExactly(unreachable(3));
    }

    @Test
    void aJoinerThatStopsAskingStartsOverAndAMemberReachableAgainIsSpared() {
        UnblockRules one = rules(1, Set.of(1L, 2L, 3L));
        List<MemberView> members = List.of(unreachable(3));
        one.toDown(members, 0);
        one.onJoinRequest(2, 0);
        one.onJoinRequest(2, 2_000 * MS);
        // silent for more than the alive window: a later request starts a new wait
        for (long t = 5_000 * MS; t < 8_000 * MS; t += 500 * MS) {
            one.onJoinRequest(2, t);
            assertThat(one.toDown(members, t)).isEmpty();
        }
        one.onJoinRequest(2, 8_000 * MS);
        assertThat(one.toDown(members, 8_000 * MS)).containsExactly(unreachable(3));
        // 3 reachable again for a moment: its unreachable time starts over
        assertThat(one.toDown(List.of(up(3)), 8_100 * MS)).isEmpty();
        one.onJoinRequest(2, 8_200 * MS);
        assertThat(one.toDown(members, 8_200 * MS)).isEmpty();
    }
}
