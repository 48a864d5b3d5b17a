package io.paddock.node.zab;

import static io.paddock.protocol.peer.ServerState.FOLLOWING;
import static io.paddock.protocol.peer.ServerState.LEADING;
import static io.paddock.protocol.peer.ServerState.LOOKING;
import static io.paddock.protocol.peer.ServerState.OBSERVING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.Notification;
import io.paddock.protocol.peer.ServerState;
import io.paddock.protocol.peer.Vote;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElectionTallyTest {
    /** What one input caused, taken apart for the assertions. */
    record Step(List<ElectionTally.Send> sends, boolean startFinalizeWait, Optional<ElectionTally.Decision> decision) {
    }

    private static Step step(List<ElectionTally.Action> actions) {
        List<ElectionTally.Send> sends = new java.util.ArrayList<>();
        boolean finalizeWait = false;
        Optional<ElectionTally.Decision> decision = Optional.empty();
        for (ElectionTally.Action a : actions) {
            if (a instanceof ElectionTally.Send send) {
                sends.add(send);
            } else if (a instanceof ElectionTally.Decision d) {
                decision = Optional.of(d);
            } else {
                finalizeWait = true;
            }
        }
        return new Step(sends, finalizeWait, decision);
    }

    private static final QuorumVerifier THREE = voters(3);
    private static final QuorumVerifier FIVE = voters(5);

    // ---- whole elections over a simulated network

    @ParameterizedTest(name = "{0} voters")
    @ValueSource(ints = {3, 5, 7})
    void everyInterleavingElectsTheVoterWithTheHighestEpochZxidAndId(int size) {
        for (long seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            QuorumVerifier verifier = voters(size);
            ElectionNetwork net = new ElectionNetwork(seed);
            Vote best = null;
            for (long id = 1; id <= size; id++) {
                // small ranges, so that equal epochs and zxids (ties) are common
                long epoch = 1 + r.nextInt(2);
                long zxid = Zxid.make(1 + r.nextInt((int) epoch), r.nextInt(3));
                Vote own = new Vote(id, zxid, epoch);
                best = best == null || own.beats(best) ? own : best;
                net.looking(id, new ElectionTally(id, verifier, r.nextInt(4), zxid, epoch));
            }
            int observers = r.nextInt(3);
            for (long id = 100; id < 100 + observers; id++) {
                net.looking(id, new ElectionTally(id, verifier, r.nextInt(4), Zxid.make(3, 9), 3));
            }
            net.run(100);

            assertThat(net.decisions()).as("seed %d", seed).hasSize(size + observers);
            for (Map.Entry<Long, ElectionTally.Decision> e : net.decisions().entrySet()) {
                ElectionTally.Decision d = e.getValue();
                ServerState expected = e.getKey() == best.leader() ? LEADING
                    : e.getKey() >= 100 ? OBSERVING : FOLLOWING;
                assertThat(d.leader()).as("seed %d, server %d", seed, e.getKey()).isEqualTo(best.leader());
                assertThat(d.state()).as("seed %d, server %d", seed, e.getKey()).isEqualTo(expected);
                assertThat(d.announcement().vote()).as("seed %d", seed).isEqualTo(best);
            }
        }
    }

    @Test
    void aHigherZxidDoesNotBeatAHigherEpoch() {
        for (long seed = 0; seed < 50; seed++) {
            ElectionNetwork net = new ElectionNetwork(seed);
            net.looking(1, new ElectionTally(1, THREE, 0, Zxid.make(1, 900), 1));
            net.looking(2, new ElectionTally(2, THREE, 0, Zxid.make(2, 1), 2));
            net.looking(3, new ElectionTally(3, THREE, 0, Zxid.make(1, 5), 2));
            net.run(10);
            assertThat(net.decisions().values()).as("seed %d", seed)
                .allSatisfy(d -> assertThat(d.leader()).isEqualTo(2));
        }
    }

    @Test
    void equalEpochsAndZxidsAreBrokenByTheHighestId() {
        for (long seed = 0; seed < 50; seed++) {
            ElectionNetwork net = new ElectionNetwork(seed);
            for (long id = 1; id <= 5; id++) {
                net.looking(id, new ElectionTally(id, FIVE, 0, Zxid.make(4, 7), 4));
            }
            net.run(10);
            assertThat(net.decisions()).as("seed %d", seed).hasSize(5);
            assertThat(net.decisions().values()).allSatisfy(d -> assertThat(d.leader()).isEqualTo(5));
            assertThat(net.decisions().get(5L).state()).isEqualTo(LEADING);
        }
    }

    @Test
    void aRestartedNodeWithAHigherZxidJoinsTheEstablishedLeader() {
        for (long seed = 0; seed < 50; seed++) {
            ElectionNetwork net = new ElectionNetwork(seed);
            Vote elected = new Vote(3, Zxid.make(2, 10), 2);
            net.established(1, established(1, elected, 7, FOLLOWING));
            net.established(3, established(3, elected, 7, LEADING));
            net.looking(2, new ElectionTally(2, THREE, 0, Zxid.make(2, 99), 2));
            net.run(10);
            ElectionTally.Decision d = net.decisions().get(2L);
            assertThat(d).as("seed %d", seed).isNotNull();
            assertThat(d.leader()).isEqualTo(3);
            assertThat(d.state()).isEqualTo(FOLLOWING);
            assertThat(d.announcement().electionEpoch()).as("adopts the ensemble's election epoch").isEqualTo(7);
        }
    }

    @Test
    void anObserverLearnsTheLeaderOfAnEstablishedEnsemble() {
        ElectionNetwork net = new ElectionNetwork(1);
        Vote elected = new Vote(2, Zxid.make(1, 3), 1);
        net.established(1, established(1, elected, 1, FOLLOWING));
        net.established(2, established(2, elected, 1, LEADING));
        net.established(3, established(3, elected, 1, FOLLOWING));
        net.looking(9, new ElectionTally(9, THREE, 0, 0, 0));
        net.run(10);
        assertThat(net.decisions().get(9L).state()).isEqualTo(OBSERVING);
        assertThat(net.decisions().get(9L).leader()).isEqualTo(2);
    }

    @Test
    void aNodeAloneNeverDecides() {
        for (long seed = 0; seed < 20; seed++) {
            ElectionNetwork net = new ElectionNetwork(seed);
            net.looking(1, new ElectionTally(1, THREE, 0, Zxid.make(5, 5), 5));
            net.run(200);
            assertThat(net.decisions()).isEmpty();
        }
    }

    @Test
    void aMinorityOfFiveNeverDecides() {
        for (long seed = 0; seed < 20; seed++) {
            ElectionNetwork net = new ElectionNetwork(seed);
            net.looking(4, new ElectionTally(4, FIVE, 0, Zxid.make(1, 1), 1));
            net.looking(5, new ElectionTally(5, FIVE, 3, Zxid.make(1, 2), 1));
            net.run(200);
            assertThat(net.decisions()).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void aMajorityDecidesWithoutTheOthers() {
        for (long seed = 0; seed < 50; seed++) {
            ElectionNetwork net = new ElectionNetwork(seed);
            net.looking(1, new ElectionTally(1, FIVE, 0, Zxid.make(1, 1), 1));
            net.looking(2, new ElectionTally(2, FIVE, 2, Zxid.make(1, 4), 1));
            net.looking(4, new ElectionTally(4, FIVE, 1, Zxid.make(1, 3), 1));
            net.run(10);
            assertThat(net.decisions()).as("seed %d", seed).hasSize(3);
            assertThat(net.decisions().values()).allSatisfy(d -> assertThat(d.leader()).isEqualTo(2));
        }
    }

    // ---- one tally, message by message

    @Test
    void startBumpsTheClockVotesForItselfAndTellsEveryOtherVoter() {
        ElectionTally t = new ElectionTally(2, THREE, 6, Zxid.make(3, 4), 3);
        Step step = step(t.start());
        Notification mine = new Notification(2, new Vote(2, Zxid.make(3, 4), 3), 7, LOOKING);
        assertThat(step.sends()).containsExactly(new ElectionTally.Send(1, mine), new ElectionTally.Send(3, mine));
        assertThat(step.startFinalizeWait()).isFalse();
        assertThat(step.decision()).isEmpty();
        assertThat(t.current()).isEqualTo(mine);
        assertThat(t.logicalClock()).isEqualTo(7);
    }

    @Test
    void theProposalEndsAsTheBestVoteWhateverTheOrderOfArrival() {
        for (int size : new int[] {3, 5, 7}) {
            QuorumVerifier verifier = voters(size);
            List<Notification> others = new ArrayList<>();
            for (long id = 2; id <= size; id++) {
                // epochs and zxids that disagree with ids, so that each part of the order matters
                others.add(looking(id, new Vote(id, Zxid.make(1, (id * 7) % 5), 1 + id % 2), 1));
            }
            Vote best = others.stream().map(Notification::vote).max(Vote::compareTo).orElseThrow();
            for (List<Notification> order : permutations(others)) {
                ElectionTally t = new ElectionTally(1, verifier, 0, Zxid.make(1, 9), 1);
                step(t.start());
                order.forEach(t::receive);
                assertThat(t.current().vote()).as("order %s", order).isEqualTo(best);
            }
        }
    }

    @Test
    void aBetterVoteInTheSameRoundIsAdoptedAndRebroadcast() {
        ElectionTally t = started(1, THREE, Zxid.make(1, 1), 1);
        Vote better = new Vote(2, Zxid.make(1, 2), 1);
        Step step = step(t.receive(looking(2, better, 1)));
        Notification adopted = new Notification(1, better, 1, LOOKING);
        assertThat(step.sends()).containsExactly(new ElectionTally.Send(2, adopted), new ElectionTally.Send(3, adopted));
        assertThat(step.startFinalizeWait()).as("1 and 2 both vote for 2").isTrue();
    }

    @Test
    void aWorseVoteIsRecordedButNotAdopted() {
        ElectionTally t = started(3, THREE, Zxid.make(1, 1), 1);
        Step step = step(t.receive(looking(2, new Vote(2, Zxid.make(1, 1), 1), 1)));
        assertThat(step.sends()).isEmpty();
        assertThat(step.startFinalizeWait()).isFalse();
        assertThat(t.current().vote().leader()).isEqualTo(3);
        // 2 comes round to 3: now a quorum agrees
        assertThat(step(t.receive(looking(2, new Vote(3, Zxid.make(1, 1), 1), 1))).startFinalizeWait()).isTrue();
    }

    @Test
    void aHigherZxidWithALowerEpochIsNotBetter() {
        ElectionTally t = started(1, THREE, Zxid.make(2, 1), 2);
        Step step = step(t.receive(looking(3, new Vote(3, Zxid.make(1, 1000), 1), 1)));
        assertThat(step.sends()).isEmpty();
        assertThat(t.current().vote().leader()).isEqualTo(1);
    }

    @Test
    void aHigherElectionEpochIsAdoptedAndForgetsTheVotesOfTheOldRound() {
        ElectionTally t = started(1, FIVE, Zxid.make(1, 5), 1);
        step(t.receive(looking(2, new Vote(1, Zxid.make(1, 5), 1), 1)));
        // 3 is in round 4 and votes for a worse candidate: 1 keeps its own vote, moves to round 4
        Step step = step(t.receive(looking(3, new Vote(3, Zxid.make(1, 2), 1), 4)));
        assertThat(t.logicalClock()).isEqualTo(4);
        Notification mine = new Notification(1, new Vote(1, Zxid.make(1, 5), 1), 4, LOOKING);
        assertThat(step.sends()).hasSize(4).allSatisfy(s -> assertThat(s.notification()).isEqualTo(mine));
        // 2's vote of round 1 is gone: one more vote for 1 in round 4 is not a quorum (1 and 4 of 5)
        assertThat(step(t.receive(looking(4, new Vote(1, Zxid.make(1, 5), 1), 4))).startFinalizeWait()).isFalse();
        assertThat(step(t.receive(looking(2, new Vote(1, Zxid.make(1, 5), 1), 4))).startFinalizeWait()).isTrue();
    }

    @Test
    void aNewRoundStartsFromTheNodesOwnVoteNotFromTheVoteItAdoptedInTheOldOne() {
        ElectionTally t = started(1, THREE, Zxid.make(1, 5), 1);
        step(t.receive(looking(3, new Vote(3, Zxid.make(1, 9), 1), 1)));
        assertThat(t.current().vote().leader()).isEqualTo(3);
        // a new round: 3 may be gone; 2's vote is compared with 1's own, not with 3's
        step(t.receive(looking(2, new Vote(2, Zxid.make(1, 7), 1), 2)));
        assertThat(t.current().vote()).isEqualTo(new Vote(2, Zxid.make(1, 7), 1));
    }

    @Test
    void aHigherElectionEpochWithABetterVoteIsAdoptedWithTheVote() {
        ElectionTally t = started(1, THREE, Zxid.make(1, 5), 1);
        Vote better = new Vote(3, Zxid.make(1, 6), 1);
        Step step = step(t.receive(looking(3, better, 9)));
        assertThat(t.current()).isEqualTo(new Notification(1, better, 9, LOOKING));
        assertThat(step.startFinalizeWait()).isTrue();
    }

    @Test
    void aStaleNotificationIsAnsweredButNotCounted() {
        ElectionTally t = new ElectionTally(1, THREE, 4, Zxid.make(1, 1), 1);
        step(t.start());
        Step step = step(t.receive(looking(2, new Vote(1, Zxid.make(1, 1), 1), 3)));
        assertThat(step.sends()).containsExactly(new ElectionTally.Send(2, t.current()));
        assertThat(step.startFinalizeWait()).as("2's stale vote for 1 would make a quorum").isFalse();
        assertThat(step(t.finalizeTimeout()).decision()).isEmpty();
    }

    @Test
    void aBetterVoteDuringTheFinalizeWaitVoidsItAndAQuorumOnTheNewProposalRestartsIt() {
        ElectionTally t = started(2, THREE, Zxid.make(1, 1), 1);
        assertThat(step(t.receive(looking(1, new Vote(2, Zxid.make(1, 1), 1), 1))).startFinalizeWait()).isTrue();
        Step better = step(t.receive(looking(3, new Vote(3, Zxid.make(1, 1), 1), 1)));
        assertThat(better.startFinalizeWait()).as("only 2 and 3 vote for 3 once 2 adopts it: a quorum").isTrue();
        // the wait restarted on the new proposal; when it ends, 2 follows 3
        ElectionTally.Decision d = step(t.finalizeTimeout()).decision().orElseThrow();
        assertThat(d.leader()).isEqualTo(3);
        assertThat(d.state()).isEqualTo(FOLLOWING);
    }

    @Test
    void aFinalizeTimeoutWithoutQuorumDecidesNothing() {
        ElectionTally t = started(1, FIVE, Zxid.make(1, 1), 1);
        step(t.receive(looking(2, new Vote(1, Zxid.make(1, 1), 1), 1)));
        step(t.receive(looking(3, new Vote(1, Zxid.make(1, 1), 1), 1)));
        // a better vote arrives during the wait: the quorum on 1 is gone (only 1 votes for 4 so far)
        step(t.receive(looking(4, new Vote(4, Zxid.make(1, 2), 1), 1)));
        assertThat(step(t.finalizeTimeout()).decision()).isEmpty();
    }

    @Test
    void aQuorumThatOnlyGrowsDoesNotRestartTheWait() {
        ElectionTally t = started(3, FIVE, Zxid.make(1, 1), 1);
        Vote three = new Vote(3, Zxid.make(1, 1), 1);
        assertThat(step(t.receive(looking(1, three, 1))).startFinalizeWait()).isFalse();
        assertThat(step(t.receive(looking(2, three, 1))).startFinalizeWait()).isTrue();
        assertThat(step(t.receive(looking(4, three, 1))).startFinalizeWait()).isFalse();
        ElectionTally.Decision d = step(t.finalizeTimeout()).decision().orElseThrow();
        assertThat(d).isEqualTo(new ElectionTally.Decision(3, LEADING, new Notification(3, three, 1, LEADING)));
    }

    @Test
    void aSingleVoterLeadsAfterTheFinalizeWait() {
        ElectionTally t = new ElectionTally(1, voters(1), 0, Zxid.make(1, 1), 1);
        Step step = step(t.start());
        assertThat(step.sends()).isEmpty();
        assertThat(step.startFinalizeWait()).isTrue();
        assertThat(step(t.finalizeTimeout()).decision().orElseThrow().state()).isEqualTo(LEADING);
    }

    @Test
    void notificationsOfNonVotersAreAnsweredButNeverCounted() {
        ElectionTally t = started(1, THREE, Zxid.make(1, 1), 1);
        Step step = step(t.receive(looking(9, new Vote(1, Zxid.make(1, 1), 1), 1)));
        assertThat(step.sends()).containsExactly(new ElectionTally.Send(9, t.current()));
        assertThat(step.startFinalizeWait()).isFalse();
        // nor do established non-voters make a quorum for a leader
        step(t.receive(new Notification(8, new Vote(3, 0, 1), 1, FOLLOWING)));
        assertThat(step(t.receive(new Notification(3, new Vote(3, 0, 1), 1, LEADING))).decision()).isEmpty();
    }

    @Test
    void aVoteForANonVoterIsIgnored() {
        ElectionTally t = started(1, THREE, Zxid.make(1, 1), 1);
        Step step = step(t.receive(looking(2, new Vote(9, Zxid.make(9, 9), 9), 1)));
        assertThat(step.sends()).isEmpty();
        assertThat(t.current().vote().leader()).isEqualTo(1);
    }

    @Test
    void observingNotificationsAreIgnored() {
        ElectionTally t = started(1, THREE, Zxid.make(1, 1), 1);
        Step step = step(t.receive(new Notification(2, new Vote(3, Zxid.make(1, 1), 1), 1, OBSERVING)));
        assertThat(step).isEqualTo(new Step(List.of(), false, Optional.empty()));
    }

    @Test
    void anObserverVotesForNobodyAndDecidesOnlyFromAnEstablishedEnsemble() {
        ElectionTally t = new ElectionTally(9, THREE, 0, Zxid.make(4, 4), 4);
        Step step = step(t.start());
        Notification mine = new Notification(9, ElectionTally.NO_VOTE, 1, LOOKING);
        assertThat(step.sends()).extracting(ElectionTally.Send::to).containsExactly(1L, 2L, 3L);
        assertThat(step.sends()).allSatisfy(s -> assertThat(s.notification()).isEqualTo(mine));
        assertThat(step.startFinalizeWait()).isFalse();
        Vote three = new Vote(3, Zxid.make(1, 1), 1);
        // answers of looking voters, even unanimous ones, are not enough
        for (long id = 1; id <= 3; id++) {
            assertThat(step(t.receive(looking(id, three, 1)))).isEqualTo(
                new Step(List.of(), false, Optional.empty()));
        }
        assertThat(step(t.finalizeTimeout()).decision()).isEmpty();
        assertThat(step(t.receive(new Notification(1, three, 5, FOLLOWING))).decision()).isEmpty();
        ElectionTally.Decision d = step(t.receive(new Notification(3, three, 5, LEADING))).decision().orElseThrow();
        assertThat(d).isEqualTo(new ElectionTally.Decision(3, OBSERVING, new Notification(9, three, 5, OBSERVING)));
    }

    @Test
    void anObserverNeverAnswers() {
        ElectionTally t = new ElectionTally(9, THREE, 5, 0, 0);
        step(t.start());
        assertThat(step(t.receive(looking(1, new Vote(1, 0, 0), 1))).sends()).as("stale").isEmpty();
        assertThat(step(t.receive(looking(8, ElectionTally.NO_VOTE, 1))).sends()).as("another observer").isEmpty();
    }

    @Test
    void anEstablishedLeaderIsFollowedOnlyOnceItSaysItLeads() {
        ElectionTally t = started(1, FIVE, Zxid.make(1, 1), 1);
        Vote five = new Vote(5, Zxid.make(3, 3), 3);
        step(t.receive(new Notification(2, five, 8, FOLLOWING)));
        step(t.receive(new Notification(3, five, 8, FOLLOWING)));
        assertThat(step(t.receive(new Notification(4, five, 8, FOLLOWING))).decision())
            .as("a quorum follows 5, but 5 has not said it leads").isEmpty();
        assertThat(step(t.receive(new Notification(5, five, 8, LOOKING))).decision()).isEmpty();
        ElectionTally.Decision d = step(t.receive(new Notification(5, five, 8, LEADING))).decision().orElseThrow();
        assertThat(d.leader()).isEqualTo(5);
        assertThat(d.state()).isEqualTo(FOLLOWING);
        assertThat(t.logicalClock()).isEqualTo(8);
    }

    @Test
    void aLeaderAloneDoesNotMakeAQuorum() {
        ElectionTally t = started(1, FIVE, Zxid.make(1, 1), 1);
        Vote five = new Vote(5, Zxid.make(3, 3), 3);
        step(t.receive(new Notification(2, five, 8, FOLLOWING)));
        assertThat(step(t.receive(new Notification(5, five, 8, LEADING))).decision()).as("2 and 5 of 5").isEmpty();
    }

    @Test
    void ZOOKEEPER_1732_establishedPeersThatJoinedInDifferentRoundsStillAgree() {
        ElectionTally t = started(1, FIVE, Zxid.make(1, 1), 1);
        step(t.receive(new Notification(2, new Vote(5, Zxid.make(3, 3), 3), 8, FOLLOWING)));
        step(t.receive(new Notification(3, new Vote(5, Zxid.make(3, 7), 3), 11, FOLLOWING)));
        Step step = step(t.receive(new Notification(5, new Vote(5, Zxid.make(3, 1), 3), 8, LEADING)));
        assertThat(step.decision().orElseThrow().leader()).isEqualTo(5);
    }

    @Test
    void establishedPeersOfAnotherPeerEpochDoNotAgree() {
        ElectionTally t = started(1, THREE, Zxid.make(1, 1), 1);
        step(t.receive(new Notification(2, new Vote(3, Zxid.make(3, 3), 3), 8, FOLLOWING)));
        assertThat(step(t.receive(new Notification(3, new Vote(3, Zxid.make(4, 0), 4), 9, LEADING))).decision())
            .as("2 follows 3 of epoch 3, 3 leads epoch 4").isEmpty();
    }

    @Test
    void establishedPeersInTheSameRoundCountWithLookingVotesAndDecideAtOnce() {
        ElectionTally t = started(1, FIVE, Zxid.make(1, 1), 1);
        Vote five = new Vote(5, Zxid.make(2, 2), 2);
        step(t.receive(looking(2, five, 1)));
        step(t.receive(looking(3, five, 1)));
        // 1 has adopted 5's vote; 1, 2, 3 agree, so the finalize wait would start; 5 says it leads
        Step step = step(t.receive(new Notification(5, five, 1, LEADING)));
        assertThat(step.decision().orElseThrow())
            .isEqualTo(new ElectionTally.Decision(5, FOLLOWING, new Notification(1, five, 1, FOLLOWING)));
    }

    @Test
    void aRestartedLeaderThatPeersStillFollowLeadsAgainOnlyInItsOwnRound() {
        Vote one = new Vote(1, Zxid.make(2, 2), 2);
        ElectionTally otherRound = new ElectionTally(1, THREE, 0, Zxid.make(2, 2), 2);
        step(otherRound.start());
        step(otherRound.receive(new Notification(2, one, 4, FOLLOWING)));
        assertThat(step(otherRound.receive(new Notification(3, one, 4, FOLLOWING))).decision()).isEmpty();

        // in round 4, its own vote and 2's agree, and the leader is itself
        ElectionTally sameRound = new ElectionTally(1, THREE, 3, Zxid.make(2, 2), 2);
        step(sameRound.start());
        assertThat(step(sameRound.receive(new Notification(2, one, 4, FOLLOWING))).decision().orElseThrow().state())
            .isEqualTo(LEADING);
    }

    @Test
    void resendRepeatsTheCurrentNotificationToEveryOtherVoter() {
        ElectionTally t = started(2, THREE, Zxid.make(1, 1), 1);
        assertThat(step(t.resend()).sends())
            .containsExactly(new ElectionTally.Send(1, t.current()), new ElectionTally.Send(3, t.current()));
    }

    @Test
    void aNodeThatIsNotLookingAnswersOnlyLookingPeers() {
        Notification announcement = new Notification(1, new Vote(3, 5, 2), 4, FOLLOWING);
        assertThat(ElectionTally.answerWhileNotLooking(announcement, looking(2, new Vote(2, 1, 1), 1)))
            .contains(new ElectionTally.Send(2, announcement));
        assertThat(ElectionTally.answerWhileNotLooking(announcement, new Notification(3, new Vote(3, 5, 2), 4, LEADING)))
            .isEmpty();
    }

    @Test
    void misuseIsRefused() {
        ElectionTally t = new ElectionTally(1, THREE, 0, 0, 0);
        assertThatThrownBy(() -> step(t.receive(looking(2, new Vote(2, 0, 0), 1)))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(t::finalizeTimeout).isInstanceOf(IllegalStateException.class);
        step(t.start());
        assertThatThrownBy(t::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> step(t.receive(looking(1, new Vote(1, 0, 0), 1))))
            .isInstanceOf(IllegalArgumentException.class);
        ElectionTally single = new ElectionTally(1, voters(1), 0, 0, 0);
        step(single.start());
        step(single.finalizeTimeout());
        assertThatThrownBy(single::resend).isInstanceOf(IllegalStateException.class);
    }

    // ---- helpers

    private static QuorumVerifier voters(int n) {
        return new QuorumVerifier(LongStream.rangeClosed(1, n).boxed().toList());
    }

    private static ElectionTally started(long id, QuorumVerifier verifier, long zxid, long epoch) {
        ElectionTally t = new ElectionTally(id, verifier, 0, zxid, epoch);
        step(t.start());
        return t;
    }

    private static Notification looking(long sender, Vote vote, long electionEpoch) {
        return new Notification(sender, vote, electionEpoch, LOOKING);
    }

    private static ElectionTally.Decision established(long id, Vote vote, long electionEpoch, ServerState state) {
        return new ElectionTally.Decision(vote.leader(), state, new Notification(id, vote, electionEpoch, state));
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                all.add(Collections.unmodifiableList(p));
            }
        }
        return all;
    }
}
