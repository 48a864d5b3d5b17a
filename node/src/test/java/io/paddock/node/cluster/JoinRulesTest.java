package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.cluster.JoinRules.Decision;
import io.paddock.node.cluster.JoinRules.FormCluster;
import io.paddock.node.cluster.JoinRules.JoinMember;
import io.paddock.node.cluster.JoinRules.Wait;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The joiner's pure rules, with time as an input: who forms the cluster, and that only one ever does. */
class JoinRulesTest {
    private static final long MS = 1_000_000L;
    private static final long LEASE = 5_000 * MS;
    private static final long ALIVE = 2_000 * MS;
    private static final Set<Long> THREE = Set.of(1L, 2L, 3L);
    private static final Set<Long> FIVE = Set.of(1L, 2L, 3L, 4L, 5L);

    private static JoinRules rules(long self, Set<Long> voters) {
        return new JoinRules(self, voters, LEASE, ALIVE);
    }

    /** One probe round of {@code prober} answered by {@code answerers}, all at time {@code now}. */
    private static void round(JoinRules prober, long proberId, Map<Long, JoinRules> answerers, long now) {
        long r = prober.startRound(now);
        answerers.forEach((id, a) -> prober.onAnswer(id, r, false, null, a.onProbe(proberId, now), now));
    }

    @Test
    void aSingleVoterNeverFormsAClusterOfThree() {
        JoinRules one = rules(1, THREE);
        for (long t = 0; t < 60_000 * MS; t += 500 * MS) {
            one.startRound(t);
            assertThat(one.decide(t)).isEqualTo(Wait.INSTANCE);
        }
    }

    @Test
    void theLowerOfTwoVotersFormsWithTheOthersGrant() {
        JoinRules one = rules(1, THREE);
        JoinRules two = rules(2, THREE);
        round(one, 1, Map.of(2L, two), 0);
        assertThat(one.decide(0)).isEqualTo(FormCluster.INSTANCE);
        assertThat(one.grantors(0)).containsExactly(2L);
        // 2 heard from 1 and granted it: 2 may not form, whatever 3 says
        round(two, 2, Map.of(1L, one), 10 * MS);
        assertThat(two.decide(10 * MS)).isEqualTo(Wait.INSTANCE);
    }

    @Test
    void aHigherVoterDoesNotGrantALowerOnesRivalAndDefersToTheLowest() {
        JoinRules two = rules(2, THREE);
        JoinRules three = rules(3, THREE);
        // 3 probes 2: 2 does not grant a higher id than its own
        long r = three.startRound(0);
        assertThat(two.onProbe(3, 0)).isFalse();
        three.onAnswer(2, r, false, null, false, 0);
        assertThat(three.decide(0)).isEqualTo(Wait.INSTANCE);
        // 2 probes 3: 3 grants it, and 2 forms
        round(two, 2, Map.of(3L, three), 100 * MS);
        assertThat(two.decide(100 * MS)).isEqualTo(FormCluster.INSTANCE);
    }

    @Test
    void aGrantBindsTheGranterForALease() {
        JoinRules two = rules(2, THREE);
        JoinRules three = rules(3, THREE);
        JoinRules one = rules(1, THREE);
        assertThat(three.onProbe(2, 0)).isTrue();
        // 1 is lower, but 3 is bound to 2 until the lease ends
        assertThat(three.onProbe(1, 100 * MS)).isFalse();
        assertThat(three.onProbe(1, LEASE - MS)).isFalse();
        assertThat(three.onProbe(1, LEASE)).isTrue();
        // and 2, having heard from 1 (lower), no longer counts its own grant
        long r = two.startRound(LEASE);
        two.onProbe(1, LEASE);
        two.onAnswer(3, r, false, null, false, LEASE);
        assertThat(two.decide(LEASE)).isEqualTo(Wait.INSTANCE);
        assertThat(one).isNotNull();
    }

    @Test
    void aGrantCountsOnlyForHalfALeaseAfterTheProbeWasSent() {
        JoinRules one = rules(1, THREE);
        JoinRules two = rules(2, THREE);
        long r = one.startRound(0);
        // the answer took long to arrive; the grant was given late, so its lease ends late,
        // but the prober cannot know that and counts from its own send time
        boolean grant = two.onProbe(1, 1_000 * MS);
        one.onAnswer(2, r, false, null, grant, LEASE / 2 + MS);
        assertThat(one.decide(LEASE / 2 + MS)).isEqualTo(Wait.INSTANCE);
    }

    @Test
    void aMemberAnswerMeansJoinTheLowestMember() {
        JoinRules one = rules(1, THREE);
        long r = one.startRound(0);
        one.onAnswer(3, r, true, "pekko://paddock@h:3", false, 0);
        one.onAnswer(2, r, true, "pekko://paddock@h:2", false, 0);
        assertThat(one.decide(0)).isEqualTo(new JoinMember(2, "pekko://paddock@h:2"));
        // a member, once seen, also means: neither form nor grant, for a lease
        assertThat(one.onProbe(2, 10 * MS)).isFalse();
        assertThat(one.decide(ALIVE + MS)).isEqualTo(Wait.INSTANCE);
        // if all its members died before we joined, we may form a new cluster after that
        JoinRules two = rules(2, THREE);
        assertThat(two.onProbe(1, LEASE)).isTrue();
        long r2 = one.startRound(LEASE);
        one.onAnswer(2, r2, false, null, true, LEASE);
        assertThat(one.decide(LEASE)).isEqualTo(FormCluster.INSTANCE);
    }

    @Test
    void aJoinerKeepsTheMemberItChoseWhileThatMemberAnswers() {
        JoinRules one = rules(1, THREE);
        long r = one.startRound(0);
        one.onAnswer(3, r, true, "pekko://paddock@h:3", false, 0);
        assertThat(one.decide(0)).isEqualTo(new JoinMember(3, "pekko://paddock@h:3"));
        // 2 answers later: its id is lower, but a Welcome from 3 may be on its way
        one.onAnswer(2, r, true, "pekko://paddock@h:2", false, 10 * MS);
        assertThat(one.decide(10 * MS)).isEqualTo(new JoinMember(3, "pekko://paddock@h:3"));
        // 3 falls silent while 2 answers on: join through 2
        long r2 = one.startRound(ALIVE);
        one.onAnswer(2, r2, true, "pekko://paddock@h:2", false, ALIVE);
        assertThat(one.decide(ALIVE + MS)).isEqualTo(new JoinMember(2, "pekko://paddock@h:2"));
    }

    @Test
    void aMembersProbeAlsoMeansAClusterExists() {
        JoinRules one = rules(1, THREE);
        JoinRules two = rules(2, THREE);
        two.onMemberProbe(0);
        assertThat(two.onProbe(1, MS)).isFalse();
        assertThat(two.onProbe(1, LEASE)).isTrue();
        assertThat(one).isNotNull();
    }

    @Test
    void observersNeitherFormNorGrantNorCount() {
        Set<Long> voters = Set.of(1L);
        JoinRules observer = rules(2, voters);
        JoinRules one = rules(1, voters);
        assertThat(observer.onProbe(1, 0)).isFalse();
        long r = observer.startRound(0);
        observer.onAnswer(1, r, false, null, one.onProbe(2, 0), 0);
        assertThat(observer.decide(0)).isEqualTo(Wait.INSTANCE);
        // a single voter is a majority of itself
        assertThat(one.decide(0)).isEqualTo(FormCluster.INSTANCE);

        // 3 voters and observer 4: voter 1 and observer 4 are not a majority
        Set<Long> three = THREE;
        JoinRules v1 = rules(1, three);
        JoinRules o4 = rules(4, three);
        round(v1, 1, Map.of(4L, o4), 0);
        assertThat(v1.decide(0)).isEqualTo(Wait.INSTANCE);
    }

    @Test
    void afterFormingNothingMoreIsDecidedOrGranted() {
        JoinRules one = rules(1, THREE);
        JoinRules two = rules(2, THREE);
        round(one, 1, Map.of(2L, two), 0);
        assertThat(one.decide(0)).isEqualTo(FormCluster.INSTANCE);
        one.formed();
        assertThat(one.decide(MS)).isEqualTo(Wait.INSTANCE);
        assertThat(one.onProbe(2, MS)).isFalse();
    }

    /**
     * Random simulations of five voters with random start times, message losses (up to 30 %) and
     * delays (occasionally seconds, reordering included), without partitions: never two formers.
     */
    @Test
    void neverTwoFormersWithLossesAndDelays() {
        Random random = new Random(20240611L);
        int formedRuns = 0;
        for (int run = 0; run < 3000; run++) {
            int formers = simulate(FIVE, random, false);
            assertThat(formers).as("run %d", run).isLessThanOrEqualTo(1);
            formedRuns += formers;
        }
        System.out.printf("[cluster] JoinRules simulation, losses and delays: 3000 runs of 5 voters, %d formed a"
            + " cluster, none formed two%n", formedRuns);
        assertThat(formedRuns).isGreaterThan(2900);
    }

    /**
     * The same with a cut between two random groups, starting at a random moment and lasting up to
     * 8 s: a cut that begins right after a node formed the cluster and outlasts the grants' lease
     * lets the other side form a second one (JoinRules' documented gap, healed by SplitRules).
     * Counted and printed; it must stay that rare.
     */
    @Test
    void twoFormersOnlyRarelyWithPartitions() {
        Random random = new Random(20240612L);
        int formedRuns = 0;
        int twice = 0;
        for (int run = 0; run < 3000; run++) {
            int formers = simulate(FIVE, random, true);
            assertThat(formers).as("run %d", run).isLessThanOrEqualTo(2);
            formedRuns += formers > 0 ? 1 : 0;
            twice += formers > 1 ? 1 : 0;
        }
        System.out.printf("[cluster] JoinRules simulation, with partitions: 3000 runs of 5 voters, %d formed a cluster,"
            + " %d formed two (a cut right after forming that outlasted the lease)%n", formedRuns, twice);
        assertThat(formedRuns).isGreaterThan(2500);
        assertThat(twice).isLessThan(150);
    }

    private record Msg(long at, long from, long to, boolean probe, long round, boolean member, boolean grant) {
    }

    /**
     * Returns how many nodes formed a cluster. A node that formed, or joined one, answers
     * "member" from then on and stops probing.
     */
    private static int simulate(Set<Long> voterSet, Random random, boolean withCut) {
        List<Long> voters = new ArrayList<>(new TreeSet<>(voterSet)); // a fixed order: Set.of's changes per JVM
        Map<Long, JoinRules> nodes = new HashMap<>();
        Map<Long, Long> startAt = new HashMap<>();
        Set<Long> formed = new TreeSet<>();
        Set<Long> members = new TreeSet<>();
        for (long id : voters) {
            nodes.put(id, rules(id, voterSet));
            startAt.put(id, (long) random.nextInt(60) * 50 * MS); // on the 50 ms simulation grid
        }
        // a random cut between two random groups for part of the run, and random losses and delays
        Set<Long> sideA = new TreeSet<>();
        for (long id : voters) {
            if (random.nextBoolean()) {
                sideA.add(id);
            }
        }
        long cutFrom = (long) random.nextInt(4_000) * MS;
        long cutTo = withCut ? cutFrom + (long) random.nextInt(8_000) * MS : cutFrom;
        Net net = new Net(random, random.nextDouble() * 0.3, sideA, cutFrom, cutTo);

        for (long now = 0; now < 15_000 * MS; now += 50 * MS) {
            for (Msg m : net.due(now)) {
                JoinRules to = nodes.get(m.to());
                if (m.probe()) {
                    boolean member = members.contains(m.to());
                    boolean grant = !member && to.onProbe(m.from(), now);

                    net.send(now, new Msg(0, m.to(), m.from(), false, m.round(), member, grant));
                } else if (!members.contains(m.to())) {
                    to.onAnswer(m.from(), m.round(), m.member(), "a", m.grant(), now);
                    act(to, m.to(), now, formed, members);
                }
            }
            for (long id : voters) {
                long age = now - startAt.get(id);
                if (age >= 0 && age % (500 * MS) == 0 && !members.contains(id)) {
                    long r = nodes.get(id).startRound(now);
                    for (long other : voters) {
                        if (other != id && now >= startAt.get(other)) {
                            net.send(now, new Msg(0, id, other, true, r, false, false));
                        }
                    }
                    act(nodes.get(id), id, now, formed, members);
                }
            }
        }
        return formed.size();
    }

    private static void act(JoinRules node, long id, long now, Set<Long> formed, Set<Long> members) {
        Decision d = node.decide(now);

        if (d == FormCluster.INSTANCE) {
            node.formed();
            formed.add(id);
            members.add(id);
        } else if (d instanceof JoinMember) {
            members.add(id);
        }
    }

    /** A lossy network with random delays (occasionally seconds; reordering included) and a timed cut. */
    private record Net(Random random, double loss, Set<Long> sideA, long cutFrom, long cutTo, List<Msg> inFlight) {
        Net(Random random, double loss, Set<Long> sideA, long cutFrom, long cutTo) {
            this(random, loss, sideA, cutFrom, cutTo, new ArrayList<>());
        }

        void send(long now, Msg m) {
            boolean cut = now >= cutFrom && now < cutTo && sideA.contains(m.from()) != sideA.contains(m.to());
            if (cut || random.nextDouble() < loss) {
                return;
            }
            long delay = (long) (random.nextInt(20) == 0 ? random.nextInt(3_000) : random.nextInt(100)) * MS;
            inFlight.add(new Msg(now + delay, m.from(), m.to(), m.probe(), m.round(), m.member(), m.grant()));
        }

        List<Msg> due(long now) {
            List<Msg> due = new ArrayList<>();
            for (Msg m : inFlight) {
                if (m.at() <= now) {
                    due.add(m);
                }
            }
            inFlight.removeAll(due);
            return due;
        }
    }
}
