package io.paddock.node.zab;

import static io.paddock.node.zab.EpochNegotiation.ALREADY_ACCEPTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.node.zab.EpochNegotiation.DiscoveryDone;
import io.paddock.node.zab.EpochNegotiation.PersistAcceptedEpoch;
import io.paddock.node.zab.EpochNegotiation.SendLeaderInfo;
import io.paddock.node.zab.EpochNegotiation.StartSync;
import io.paddock.node.zab.EpochNegotiation.StepDown;
import io.paddock.protocol.Zxid;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochNegotiationTest {
    private static final QuorumVerifier THREE = new QuorumVerifier(List.of(1L, 2L, 3L));
    private static final QuorumVerifier FIVE = new QuorumVerifier(List.of(1L, 2L, 3L, 4L, 5L));
    private static final long LEADER_ZXID = Zxid.make(2, 5);

    /** Leader 1 of five voters: accepted epoch 3, current epoch 2, log up to 0x200000005. */
    private static EpochNegotiation leaderOfFive() {
        return new EpochNegotiation(1, FIVE, 3, 2, LEADER_ZXID);
    }

    @Test
    void ZOOKEEPER_1291_theLeaderPersistsTheNewEpochBeforeItProposesIt() {
        EpochNegotiation n = new EpochNegotiation(1, THREE, 3, 2, LEADER_ZXID);
        assertThat(n.start()).isEmpty();
        assertThat(n.followerInfo(2, 4)).containsExactly(new PersistAcceptedEpoch(5));
        assertThat(n.followerInfo(3, 1)).as("nothing is proposed until the epoch is durable").isEmpty();
        assertThat(n.acceptedEpochPersisted())
            .containsExactly(new SendLeaderInfo(2, 5), new SendLeaderInfo(3, 5));
    }

    @Test
    void theNewEpochIsOneAboveTheGreatestAcceptedEpochOfTheQuorum() {
        EpochNegotiation n = leaderOfFive();
        n.start();
        assertThat(n.followerInfo(2, 1)).isEmpty();
        assertThat(n.followerInfo(3, 2)).as("the leader's own accepted epoch, 3, is the greatest")
            .containsExactly(new PersistAcceptedEpoch(4));
    }

    @Test
    void aLearnerReportingTwiceCountsOnce() {
        EpochNegotiation n = leaderOfFive();
        n.start();
        n.followerInfo(2, 1);
        assertThat(n.followerInfo(2, 1)).isEmpty();
        assertThat(n.followerInfo(4, 1)).containsExactly(new PersistAcceptedEpoch(4));
        assertThat(n.acceptedEpochPersisted()).containsExactly(new SendLeaderInfo(2, 4), new SendLeaderInfo(4, 4));
    }

    @Test
    void observersNeverMakeAQuorumButTheirEpochsAreProposedAbove() {
        EpochNegotiation n = new EpochNegotiation(1, THREE, 3, 2, LEADER_ZXID);
        n.start();
        assertThat(n.followerInfo(8, 9)).isEmpty();
        assertThat(n.followerInfo(9, 1)).isEmpty();
        // an observer that accepted epoch 9 could not accept 4
        assertThat(n.followerInfo(2, 1)).containsExactly(new PersistAcceptedEpoch(10));
        assertThat(n.acceptedEpochPersisted()).containsExactly(
            new SendLeaderInfo(8, 10), new SendLeaderInfo(9, 10), new SendLeaderInfo(2, 10));
        assertThat(n.ackEpoch(8, 1, 0)).as("an observer's ack").isEmpty();
        assertThat(n.ackEpoch(9, 1, 0)).isEmpty();
        assertThat(n.ackEpoch(2, 2, LEADER_ZXID))
            .containsExactly(new DiscoveryDone(10), new StartSync(8, 0), new StartSync(9, 0), new StartSync(2, LEADER_ZXID));
    }

    @Test
    void aSingleVoterDecidesAtStartAndIsDoneOnceTheEpochIsDurable() {
        EpochNegotiation n = new EpochNegotiation(7, new QuorumVerifier(List.of(7L)), 3, 3, Zxid.make(3, 1));
        assertThat(n.start()).containsExactly(new PersistAcceptedEpoch(4));
        assertThat(n.acceptedEpochPersisted()).containsExactly(new DiscoveryDone(4));
        assertThat(n.followerInfo(9, 3)).as("an observer arriving later").containsExactly(new SendLeaderInfo(9, 4));
        assertThat(n.ackEpoch(9, 3, Zxid.make(3, 1))).containsExactly(new StartSync(9, Zxid.make(3, 1)));
    }

    @Test
    void discoveryIsDoneOnceAQuorumOfVotersTheLeaderIncludedHasAcked() {
        EpochNegotiation n = leaderOfFive();
        n.start();
        n.followerInfo(2, 1);
        n.followerInfo(3, 1);
        n.acceptedEpochPersisted();
        n.followerInfo(9, 1);
        assertThat(n.ackEpoch(2, 2, Zxid.make(2, 3))).isEmpty();
        assertThat(n.ackEpoch(9, 2, Zxid.make(2, 1))).as("an observer").isEmpty();
        assertThat(n.ackEpoch(3, 1, Zxid.make(1, 8))).containsExactly(
            new DiscoveryDone(4), new StartSync(2, Zxid.make(2, 3)), new StartSync(9, Zxid.make(2, 1)),
            new StartSync(3, Zxid.make(1, 8)));
    }

    @Test
    void learnersArrivingAfterDiscoveryGetTheSameEpochAndAreSyncedWithoutChecks() {
        EpochNegotiation n = new EpochNegotiation(1, THREE, 3, 2, LEADER_ZXID);
        n.start();
        n.followerInfo(2, 1);
        n.acceptedEpochPersisted();
        n.ackEpoch(2, 2, LEADER_ZXID);
        assertThat(n.followerInfo(3, 1)).containsExactly(new SendLeaderInfo(3, 4));
        // more recent than the leader, but the quorum that made this epoch already vouched for the leader
        assertThat(n.ackEpoch(3, 2, Zxid.make(2, 9))).containsExactly(new StartSync(3, Zxid.make(2, 9)));
    }

    @Test
    void aLearnerInfoBeforeTheEpochIsDurableGetsLeaderInfoOnceItIs() {
        EpochNegotiation n = leaderOfFive();
        n.start();
        n.followerInfo(2, 1);
        n.followerInfo(3, 1);
        assertThat(n.followerInfo(4, 1)).isEmpty();
        assertThat(n.acceptedEpochPersisted()).containsExactly(
            new SendLeaderInfo(2, 4), new SendLeaderInfo(3, 4), new SendLeaderInfo(4, 4));
    }

    @Test
    void aVoterWithAHigherZxidInTheSameCurrentEpochMakesTheLeaderStepDown() {
        EpochNegotiation n = proposed();
        assertThat(n.ackEpoch(2, 2, Zxid.make(2, 6))).singleElement().isInstanceOf(StepDown.class);
    }

    @Test
    void aVoterWithAHigherCurrentEpochMakesTheLeaderStepDownWhateverItsZxid() {
        EpochNegotiation n = proposed();
        assertThat(n.ackEpoch(3, 3, Zxid.make(1, 1))).singleElement().isInstanceOf(StepDown.class);
        assertThatThrownBy(() -> n.ackEpoch(2, 2, LEADER_ZXID)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> n.followerInfo(4, 2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aVoterWithAHigherZxidButALowerCurrentEpochIsNotMoreRecent() {
        EpochNegotiation n = proposed();
        assertThat(n.ackEpoch(2, 1, Zxid.make(1, 99))).isEmpty();
        assertThat(n.ackEpoch(3, 2, LEADER_ZXID)).first().isEqualTo(new DiscoveryDone(4));
    }

    @Test
    void anObserverMoreRecentThanTheLeaderIsSyncedNotObeyed() {
        EpochNegotiation n = proposed();
        assertThat(n.followerInfo(9, 3)).containsExactly(new SendLeaderInfo(9, 4));
        assertThat(n.ackEpoch(9, 3, Zxid.make(3, 5))).isEmpty();
        assertThat(n.ackEpoch(2, 2, LEADER_ZXID)).isEmpty();
        assertThat(n.ackEpoch(3, 2, LEADER_ZXID)).contains(new StartSync(9, Zxid.make(3, 5)));
    }

    @Test
    void anAckOfAnEpochAlreadyAcceptedIsSyncedButNotCountedNorChecked() {
        EpochNegotiation n = proposed();
        assertThat(n.ackEpoch(2, ALREADY_ACCEPTED, Zxid.make(9, 9))).isEmpty();
        assertThat(n.ackEpoch(3, 2, Zxid.make(2, 1))).as("1 and 3 of 5").isEmpty();
        assertThat(n.ackEpoch(4, 2, Zxid.make(2, 2))).containsExactly(new DiscoveryDone(4),
            new StartSync(2, Zxid.make(9, 9)), new StartSync(3, Zxid.make(2, 1)), new StartSync(4, Zxid.make(2, 2)));
    }

    @Test
    void misuseIsRefused() {
        assertThatThrownBy(() -> new EpochNegotiation(9, THREE, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        EpochNegotiation n = new EpochNegotiation(1, THREE, 1, 1, 0);
        assertThatThrownBy(() -> n.followerInfo(2, 1)).as("before start").isInstanceOf(IllegalStateException.class);
        n.start();
        assertThatThrownBy(n::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> n.followerInfo(1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(n::acceptedEpochPersisted).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> n.ackEpoch(2, 1, 0)).as("no LeaderInfo sent yet")
            .isInstanceOf(IllegalStateException.class);
    }

    /** Leader 1 of five, epoch 4 proposed to 2, 3, 4 and durable. */
    private static EpochNegotiation proposed() {
        EpochNegotiation n = leaderOfFive();
        n.start();
        n.followerInfo(2, 1);
        n.followerInfo(3, 1);
        n.followerInfo(4, 1);
        n.acceptedEpochPersisted();
        return n;
    }
}
