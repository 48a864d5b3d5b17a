package io.paddock.node.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.node.zab.LearnerSync.Action;
import io.paddock.node.zab.LearnerSync.Apply;
import io.paddock.node.zab.LearnerSync.Fail;
import io.paddock.node.zab.LearnerSync.InstallSnapshot;
import io.paddock.node.zab.LearnerSync.Log;
import io.paddock.node.zab.LearnerSync.PersistAcceptedEpoch;
import io.paddock.node.zab.LearnerSync.PersistCurrentEpoch;
import io.paddock.node.zab.LearnerSync.Send;
import io.paddock.node.zab.LearnerSync.StartServing;
import io.paddock.node.zab.LearnerSync.Truncate;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.LearnerMessage.Ack;
import io.paddock.protocol.peer.LearnerMessage.AckEpoch;
import io.paddock.protocol.peer.LearnerMessage.AckNewLeader;
import io.paddock.protocol.peer.LearnerMessage.Commit;
import io.paddock.protocol.peer.LearnerMessage.Diff;
import io.paddock.protocol.peer.LearnerMessage.FollowerInfo;
import io.paddock.protocol.peer.LearnerMessage.Inform;
import io.paddock.protocol.peer.LearnerMessage.LeaderInfo;
import io.paddock.protocol.peer.LearnerMessage.LeaderPing;
import io.paddock.protocol.peer.LearnerMessage.NewLeader;
import io.paddock.protocol.peer.LearnerMessage.Proposal;
import io.paddock.protocol.peer.LearnerMessage.Snap;
import io.paddock.protocol.peer.LearnerMessage.SnapPart;
import io.paddock.protocol.peer.LearnerMessage.Trunc;
import io.paddock.protocol.peer.LearnerMessage.UpToDate;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnerSyncTest {
    private static final long SELF = 2;
    private static final long LEADER = 1;
    private static final long SESSION = 77;
    /** The learner accepted and follows epoch 4, its log ends at 0x40000000a; the leader proposes epoch 5. */
    private static final long ACCEPTED = 4;
    private static final long CURRENT = 4;
    private static final long LAST = Zxid.make(4, 10);
    private static final long NEW_EPOCH = 5;
    private static final long Z4_8 = Zxid.make(4, 8);
    private static final long Z4_11 = Zxid.make(4, 11);
    private static final long Z4_12 = Zxid.make(4, 12);
    private static final long Z5_1 = Zxid.make(5, 1);
    private static final long Z5_2 = Zxid.make(5, 2);
    private static final long Z5_3 = Zxid.make(5, 3);

    // ---- discovery

    @Test
    void startOpensTheSessionWithFollowerInfo() {
        LearnerSync s = follower();
        assertThat(s.start()).containsExactly(send(new FollowerInfo(SELF, SESSION, 1, ACCEPTED, LAST, false)));
    }

    @Test
    void anObserverSaysSoInItsFollowerInfo() {
        LearnerSync s = new LearnerSync(SELF, new SessionChannel.Outgoing(SESSION), true, ACCEPTED, CURRENT, LAST);
        assertThat(s.start()).containsExactly(send(new FollowerInfo(SELF, SESSION, 1, ACCEPTED, LAST, true)));
    }

    @Test
    void ackEpochGoesOutOnlyAfterTheNewAcceptedEpochIsDurable() {
        LearnerSync s = follower();
        s.start();
        assertThat(s.receive(leaderInfo(NEW_EPOCH))).containsExactly(new PersistAcceptedEpoch(NEW_EPOCH));
        assertThat(s.acceptedEpochPersisted())
            .containsExactly(send(new AckEpoch(SELF, SESSION, 2, CURRENT, LAST)));
    }

    @Test
    void aMessageWhileTheAcceptedEpochIsBeingPersistedIsAProtocolError() {
        LearnerSync s = follower();
        s.start();
        s.receive(leaderInfo(NEW_EPOCH));
        assertThat(s.receive(diff())).singleElement().isInstanceOf(Fail.class);
    }

    @Test
    void aLeaderWithAnEpochBelowTheAcceptedOneIsRefused() {
        LearnerSync s = follower();
        s.start();
        assertThat(s.receive(leaderInfo(ACCEPTED - 1))).singleElement().isInstanceOf(Fail.class);
        assertThatThrownBy(() -> s.receive(diff())).as("a failed sync takes no more input")
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEpochAlreadyAcceptedIsAckedAtOnceAndMarkedSoTheLeaderDoesNotCountIt() {
        LearnerSync s = follower();
        s.start();
        assertThat(s.receive(leaderInfo(ACCEPTED)))
            .containsExactly(send(new AckEpoch(SELF, SESSION, 2, EpochNegotiation.ALREADY_ACCEPTED, LAST)));
    }

    @Test
    void aSecondLeaderInfoIsAProtocolError() {
        LearnerSync s = discovered();
        assertThat(s.receive(leaderInfo(NEW_EPOCH))).singleElement().isInstanceOf(Fail.class);
    }

    // ---- synchronisation, with the bugs it must not have

    @Test
    void aDiffSyncFromStartToServing() {
        LearnerSync s = follower();
        assertThat(s.start()).containsExactly(send(new FollowerInfo(SELF, SESSION, 1, ACCEPTED, LAST, false)));
        assertThat(s.receive(leaderInfo(NEW_EPOCH))).containsExactly(new PersistAcceptedEpoch(NEW_EPOCH));
        assertThat(s.acceptedEpochPersisted()).containsExactly(send(new AckEpoch(SELF, SESSION, 2, CURRENT, LAST)));
        assertThat(s.receive(diff(Z4_11, Z4_12))).containsExactly(new Log(txns(Z4_11, Z4_12)));
        assertThat(s.receive(commit(Z4_12))).isEmpty();
        assertThat(s.receive(newLeader(Z4_12))).isEmpty();
        assertThat(s.logged(Z4_12)).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
        assertThat(s.currentEpochPersisted()).containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z4_12)));
        assertThat(s.receive(upToDate(Z4_12))).containsExactly(new Apply(Z4_12), new StartServing(NEW_EPOCH));
    }

    @Test
    void ZOOKEEPER_3911_ackNewLeaderOnlyAfterDiffTxnsAreDurable() {
        LearnerSync s = discovered();
        s.receive(diff(Z4_11, Z4_12));
        assertThat(s.receive(newLeader(Z4_12))).as("the diff is not durable yet").isEmpty();
        assertThat(s.logged(Z4_11)).isEmpty();
        assertThat(s.logged(Z4_12)).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
        assertThat(s.currentEpochPersisted()).containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z4_12)));
    }

    @Test
    void ZOOKEEPER_4394_proposalsReceivedDuringSyncAreDurableBeforeTheAck() {
        LearnerSync s = discovered();
        assertThat(s.receive(diff(Z4_11))).containsExactly(new Log(txns(Z4_11)));
        assertThat(s.receive(proposal(Z5_1, Z5_2))).containsExactly(new Log(txns(Z5_1, Z5_2)));
        assertThat(s.receive(commit(Z5_1))).isEmpty();
        assertThat(s.receive(newLeader(Z4_11))).isEmpty();
        assertThat(s.logged(Z4_11)).as("the proposals before NewLeader are part of the sync").isEmpty();
        assertThat(s.logged(Z5_1)).isEmpty();
        assertThat(s.logged(Z5_2)).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
        assertThat(s.currentEpochPersisted()).containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z5_2)));
    }

    @Test
    void ZOOKEEPER_4785_aDiffInSeveralBatchesIsAckedOnlyOnceTheLastBatchIsDurable() {
        LearnerSync s = discovered();
        assertThat(s.receive(diff(Z4_11))).containsExactly(new Log(txns(Z4_11)));
        assertThat(s.receive(diff(Z4_12, Z5_1))).containsExactly(new Log(txns(Z4_12, Z5_1)));
        // the first batch is written before NewLeader arrives; the second one is still in flight
        assertThat(s.logged(Z4_11)).isEmpty();
        assertThat(s.receive(newLeader(Z5_1))).isEmpty();
        assertThat(s.logged(Z4_11)).as("a repeated report").isEmpty();
        assertThat(s.logged(Z5_1)).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
    }

    @Test
    void ZOOKEEPER_4643_theCurrentEpochIsPersistedOnlyAfterTheSyncedTxnsAreDurable() {
        LearnerSync s = discovered();
        s.receive(diff(Z4_11));
        List<Action> onNewLeader = s.receive(newLeader(Z4_11));
        // persisting the epoch now would let a crash leave (epoch 5, log without 0x40000000b)
        assertThat(onNewLeader).noneMatch(PersistCurrentEpoch.class::isInstance);
        assertThat(s.logged(Z4_11)).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
    }

    @Test
    void ZOOKEEPER_1282_theCurrentEpochIsPersistedOnNewLeaderNotOnUpToDate() {
        LearnerSync s = discovered();
        s.receive(diff());
        assertThat(s.receive(newLeader(LAST))).as("nothing to make durable")
            .containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
        assertThat(s.receive(upToDate(LAST))).as("UpToDate before the learner acked NewLeader")
            .singleElement().isInstanceOf(Fail.class);
    }

    @Test
    void ZOOKEEPER_1282_upToDatePersistsNothing() {
        LearnerSync s = discovered();
        s.receive(diff());
        s.receive(newLeader(LAST));
        s.currentEpochPersisted();
        assertThat(s.receive(upToDate(LAST))).containsExactly(new Apply(LAST), new StartServing(NEW_EPOCH));
    }

    @Test
    void theAckNewLeaderWaitsForTheCurrentEpochEvenWhenTheTxnsAreDurable() {
        LearnerSync s = discovered();
        s.receive(diff(Z4_11));
        s.receive(newLeader(Z4_11));
        s.logged(Z4_11);
        assertThat(s.receive(proposal(Z5_1))).as("still no ack").containsExactly(new Log(txns(Z5_1)));
        assertThat(s.logged(Z5_1)).isEmpty();
        assertThat(s.currentEpochPersisted()).as("the ack covers what is durable by then")
            .containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z5_1)));
    }

    @Test
    void ZOOKEEPER_1154_aTruncationIsDurableBeforeAnyTxnOfTheDiffIsLogged() {
        LearnerSync s = discovered();
        assertThat(s.receive(trunc(Z4_8))).containsExactly(new Truncate(Z4_8));
        assertThat(s.receive(diff(Z5_1, Z5_2))).as("held behind the truncation").isEmpty();
        assertThat(s.receive(newLeader(Z5_2))).isEmpty();
        assertThat(s.truncated()).containsExactly(new Log(txns(Z5_1, Z5_2)));
        assertThat(s.logged(Z5_2)).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
        assertThat(s.currentEpochPersisted()).containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z5_2)));
    }

    @Test
    void aTruncationAloneIsAckedOnceDurable() {
        LearnerSync s = discovered();
        s.receive(trunc(Z4_8));
        assertThat(s.receive(newLeader(Z4_8))).isEmpty();
        assertThat(s.truncated()).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
        assertThat(s.currentEpochPersisted()).containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z4_8)));
    }

    @Test
    void aTruncationAboveTheLogIsAProtocolError() {
        LearnerSync s = discovered();
        assertThat(s.receive(trunc(Z4_11))).singleElement().isInstanceOf(Fail.class);
    }

    @Test
    void aSnapshotIsInstalledBeforeTheTxnsAfterItAreLogged() {
        LearnerSync s = discovered();
        byte[] image = {1, 2, 3};
        long snapZxid = Zxid.make(5, 1);
        assertThat(s.receive(snap(snapZxid, image))).containsExactly(new InstallSnapshot(snapZxid, List.of(image)));
        assertThat(s.receive(proposal(Z5_2))).isEmpty();
        assertThat(s.receive(newLeader(Z5_2))).isEmpty();
        assertThat(s.snapshotInstalled()).containsExactly(new Log(txns(Z5_2)));
        assertThat(s.logged(Z5_2)).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
    }

    @Test
    void aSnapshotInPartsIsInstalledWhenItsLastPartArrivesAndStaysInParts() {
        LearnerSync s = discovered();
        long snapZxid = Zxid.make(5, 1);
        byte[] first = {1, 2};
        byte[] second = {3};
        byte[] third = {4, 5};
        assertThat(s.receive(new SnapPart(LEADER, SESSION, 2, snapZxid, 0, 3, first))).isEmpty();
        assertThat(s.receive(new SnapPart(LEADER, SESSION, 3, snapZxid, 1, 3, second))).isEmpty();
        List<Action> last = s.receive(new SnapPart(LEADER, SESSION, 4, snapZxid, 2, 3, third));
        assertThat(last).containsExactly(new InstallSnapshot(snapZxid, List.of(first, second, third)));
        assertThat(s.receive(proposal(Z5_2))).as("the txns after it wait for the install").isEmpty();
    }

    @Test
    void aSnapshotPartWithoutItsStartIsAProtocolError() {
        assertThat(discovered().receive(new SnapPart(LEADER, SESSION, 2, Z5_1, 1, 3, new byte[] {3})))
            .singleElement().isInstanceOf(Fail.class);
        LearnerSync afterDiff = discovered();
        afterDiff.receive(diff(Z4_11));
        assertThat(afterDiff.receive(new SnapPart(LEADER, SESSION, 3, Z5_1, 0, 1, new byte[] {3})))
            .singleElement().isInstanceOf(Fail.class);
    }

    @Test
    void aSnapshotBelowTheLearnersLogReplacesIt() {
        LearnerSync s = discovered();
        s.receive(snap(Z4_8, new byte[0]));
        s.receive(newLeader(Z4_8));
        assertThat(s.snapshotInstalled()).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
        assertThat(s.currentEpochPersisted()).containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z4_8)));
        assertThat(s.receive(upToDate(Z4_8))).containsExactly(new Apply(Z4_8), new StartServing(NEW_EPOCH));
    }

    @Test
    void syncMustOpenWithDiffTruncOrSnapAndTruncOrSnapOnlyOpenIt() {
        assertThat(discovered().receive(proposal(Z4_11))).singleElement().isInstanceOf(Fail.class);
        assertThat(discovered().receive(commit(LAST))).singleElement().isInstanceOf(Fail.class);
        assertThat(discovered().receive(newLeader(LAST))).singleElement().isInstanceOf(Fail.class);
        LearnerSync afterDiff = discovered();
        afterDiff.receive(diff(Z4_11));
        assertThat(afterDiff.receive(trunc(Z4_8))).singleElement().isInstanceOf(Fail.class);
        LearnerSync afterTrunc = discovered();
        afterTrunc.receive(trunc(Z4_8));
        assertThat(afterTrunc.receive(snap(Z4_8, new byte[0]))).singleElement().isInstanceOf(Fail.class);
    }

    @Test
    void noDiffAfterNewLeader() {
        LearnerSync s = discovered();
        s.receive(diff());
        s.receive(newLeader(LAST));
        assertThat(s.receive(diff(Z4_11))).singleElement().isInstanceOf(Fail.class);
    }

    @Test
    void txnsMustComeAfterWhatTheLogHolds() {
        assertThat(discovered().receive(diff(LAST))).singleElement().isInstanceOf(Fail.class);
        assertThat(discovered().receive(diff(Z4_12, Z4_11))).singleElement().isInstanceOf(Fail.class);
        LearnerSync s = discovered();
        s.receive(diff(Z4_12));
        assertThat(s.receive(proposal(Z4_11))).singleElement().isInstanceOf(Fail.class);
        LearnerSync truncated = discovered();
        truncated.receive(trunc(Z4_8));
        assertThat(truncated.receive(diff(Zxid.make(4, 9)))).as("after the truncation point is fine").isEmpty();
    }

    @Test
    void newLeaderMustMatchTheEpochAndWhatWasSent() {
        LearnerSync otherEpoch = discovered();
        otherEpoch.receive(diff());
        assertThat(otherEpoch.receive(new NewLeader(LEADER, SESSION, 9, NEW_EPOCH + 1, LAST)))
            .singleElement().isInstanceOf(Fail.class);
        LearnerSync missing = discovered();
        missing.receive(diff(Z4_11));
        assertThat(missing.receive(newLeader(Z4_12))).as("the leader synced up to a txn that never arrived")
            .singleElement().isInstanceOf(Fail.class);
    }

    // ---- between AckNewLeader and UpToDate

    @Test
    void aFollowerAcksProposalsThatBecomeDurableAfterAckNewLeader() {
        LearnerSync s = acked();
        assertThat(s.receive(proposal(Z5_1, Z5_2))).containsExactly(new Log(txns(Z5_1, Z5_2)));
        assertThat(s.receive(proposal(Z5_3))).containsExactly(new Log(txns(Z5_3)));
        assertThat(s.logged(Z5_2)).containsExactly(send(new Ack(SELF, SESSION, 4, Z5_2)));
        assertThat(s.logged(Z5_2)).isEmpty();
        assertThat(s.logged(Z5_3)).containsExactly(send(new Ack(SELF, SESSION, 5, Z5_3)));
        assertThat(s.receive(commit(Z5_2))).isEmpty();
        assertThat(s.receive(upToDate(Z5_2))).containsExactly(new Apply(Z5_2), new StartServing(NEW_EPOCH));
    }

    @Test
    void upToDateAppliesTheGreatestCommitPointKnown() {
        LearnerSync s = acked();
        s.receive(proposal(Z5_1, Z5_2));
        s.receive(commit(Z5_2));
        assertThat(s.receive(upToDate(Z5_1))).containsExactly(new Apply(Z5_2), new StartServing(NEW_EPOCH));
    }

    /**
     * Issue 10, "UpToDate too early": a learner that syncs with an established leader acks NEWLEADER
     * for a DIFF that ends in proposals not committed yet, and its ack may be what commits them. The
     * leader sent UpToDate before it counted that ack, so the UpToDate could name an older commit
     * point than the Commit the ack produced right after it. That path cannot lose or misorder
     * anything: the learner applies only what it holds, and the greatest commit point it knows,
     * whichever of the two arrives first; no client sees a state it could not have seen anyway. The
     * leader now counts the ack first (Leading.ackNewLeader), so UpToDate carries the newer point.
     */
    @Test
    void aLearnerAppliesTheCommitItsOwnNewLeaderAckMadeWhicheverComesFirst() {
        for (boolean upToDateFirst : new boolean[] {true, false}) {
            LearnerSync s = discovered();
            s.receive(diff(Z4_11, Z4_12));
            s.receive(newLeader(Z4_12));
            s.logged(Z4_12);
            s.currentEpochPersisted();
            if (!upToDateFirst) {
                assertThat(s.receive(commit(Z4_12))).isEmpty();
            }
            // served from Z4_11 at first, Z4_12 applied by the Commit that follows (the broadcast phase's)
            assertThat(s.receive(upToDate(Z4_11)))
                .containsExactly(new Apply(upToDateFirst ? Z4_11 : Z4_12), new StartServing(NEW_EPOCH));
        }
    }

    @Test
    void aCommitBeyondTheTxnsReceivedIsAProtocolError() {
        LearnerSync s = acked();
        assertThat(s.receive(commit(Z5_1))).singleElement().isInstanceOf(Fail.class);
        LearnerSync u = acked();
        assertThat(u.receive(upToDate(Z5_1))).singleElement().isInstanceOf(Fail.class);
    }

    @Test
    void aLearnerResyncingInTheEpochItAlreadyFollowsPersistsNoEpoch() {
        LearnerSync s = new LearnerSync(SELF, new SessionChannel.Outgoing(SESSION), false, NEW_EPOCH, NEW_EPOCH, Z5_1);
        s.start();
        assertThat(s.receive(leaderInfo(NEW_EPOCH)))
            .containsExactly(send(new AckEpoch(SELF, SESSION, 2, EpochNegotiation.ALREADY_ACCEPTED, Z5_1)));
        assertThat(s.receive(diff(Z5_2))).containsExactly(new Log(txns(Z5_2)));
        assertThat(s.receive(newLeader(Z5_2))).isEmpty();
        assertThat(s.logged(Z5_2)).containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z5_2)));
    }

    // ---- observers

    @Test
    void anObserverLogsAndCommitsInformedTxnsAndAcksNothingButNewLeader() {
        LearnerSync s = new LearnerSync(SELF, new SessionChannel.Outgoing(SESSION), true, ACCEPTED, CURRENT, LAST);
        s.start();
        s.receive(leaderInfo(NEW_EPOCH));
        s.acceptedEpochPersisted();
        s.receive(diff(Z4_11));
        assertThat(s.receive(inform(Z5_1))).containsExactly(new Log(txns(Z5_1)));
        s.receive(newLeader(Z5_1));
        assertThat(s.logged(Z5_1)).containsExactly(new PersistCurrentEpoch(NEW_EPOCH));
        assertThat(s.currentEpochPersisted()).containsExactly(send(new AckNewLeader(SELF, SESSION, 3, Z5_1)));
        assertThat(s.receive(inform(Z5_2))).containsExactly(new Log(txns(Z5_2)));
        assertThat(s.logged(Z5_2)).as("observers do not ack").isEmpty();
        assertThat(s.receive(upToDate(Z4_11))).containsExactly(new Apply(Z5_2), new StartServing(NEW_EPOCH));
    }

    @Test
    void proposalsAndCommitsAreForFollowersAndInformsForObservers() {
        LearnerSync observer = new LearnerSync(SELF, new SessionChannel.Outgoing(SESSION), true, ACCEPTED, CURRENT, LAST);
        observer.start();
        observer.receive(leaderInfo(NEW_EPOCH));
        observer.acceptedEpochPersisted();
        observer.receive(diff());
        assertThat(observer.receive(proposal(Z5_1))).singleElement().isInstanceOf(Fail.class);
        LearnerSync follower = discovered();
        follower.receive(diff());
        assertThat(follower.receive(inform(Z5_1))).singleElement().isInstanceOf(Fail.class);
    }

    // ---- misuse

    @Test
    void completionsThatNothingWaitsForAreRefused() {
        LearnerSync s = follower();
        assertThatThrownBy(() -> s.receive(leaderInfo(NEW_EPOCH))).as("before start")
            .isInstanceOf(IllegalStateException.class);
        s.start();
        assertThatThrownBy(s::acceptedEpochPersisted).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::currentEpochPersisted).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::truncated).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::snapshotInstalled).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.logged(Z4_11)).as("beyond anything logged")
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.receive(new LeaderPing(LEADER, SESSION, 2)))
            .isInstanceOf(IllegalArgumentException.class);
        LearnerSync truncating = discovered();
        truncating.receive(trunc(Z4_8));
        assertThatThrownBy(() -> truncating.logged(Z4_8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSyncThatIsServingTakesNoMoreInput() {
        LearnerSync s = acked();
        s.receive(upToDate(LAST));
        assertThatThrownBy(() -> s.receive(proposal(Z5_1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.logged(LAST)).isInstanceOf(IllegalStateException.class);
    }

    // ---- helpers

    private static LearnerSync follower() {
        return new LearnerSync(SELF, new SessionChannel.Outgoing(SESSION), false, ACCEPTED, CURRENT, LAST);
    }

    /** A follower that has acked epoch 5 (messages 1 and 2 sent) and awaits the sync. */
    private static LearnerSync discovered() {
        LearnerSync s = follower();
        s.start();
        s.receive(leaderInfo(NEW_EPOCH));
        s.acceptedEpochPersisted();
        return s;
    }

    /** A follower synced by an empty diff that has sent AckNewLeader (message 3). */
    private static LearnerSync acked() {
        LearnerSync s = discovered();
        s.receive(diff());
        s.receive(newLeader(LAST));
        s.currentEpochPersisted();
        return s;
    }

    private static Send send(LearnerMessage m) {
        return new Send(m);
    }

    private static LeaderInfo leaderInfo(long epoch) {
        return new LeaderInfo(LEADER, SESSION, 1, epoch);
    }

    private static Diff diff(long... zxids) {
        return new Diff(LEADER, SESSION, 2, txns(zxids));
    }

    private static Trunc trunc(long to) {
        return new Trunc(LEADER, SESSION, 2, to);
    }

    private static Snap snap(long zxid, byte[] image) {
        return new Snap(LEADER, SESSION, 2, zxid, image);
    }

    private static Proposal proposal(long... zxids) {
        return new Proposal(LEADER, SESSION, 3, txns(zxids));
    }

    private static Inform inform(long... zxids) {
        return new Inform(LEADER, SESSION, 3, txns(zxids));
    }

    private static Commit commit(long zxid) {
        return new Commit(LEADER, SESSION, 3, zxid);
    }

    private static NewLeader newLeader(long lastZxid) {
        return new NewLeader(LEADER, SESSION, 4, NEW_EPOCH, lastZxid);
    }

    private static UpToDate upToDate(long committed) {
        return new UpToDate(LEADER, SESSION, 5, committed);
    }

    private static List<Txn> txns(long... zxids) {
        return Arrays.stream(zxids).mapToObj(z -> new Txn(z, 1, 1, 0, new TxnOp.DeleteTxn("/n" + z))).toList();
    }

    @Test
    void aServerThatDoesNotLeadEndsTheSessionOfALearnerThatTakesItForItsLeader() {
        // a learner that chose server 2, which follows server 3, and has just sent FollowerInfo
        SessionChannel.Incoming justStarted = new SessionChannel.Incoming(77);
        var answer = LearnerSync.notLeading(2, new FollowerInfo(1, 77, 1, 1, 0x100000005L, false), "it follows server 3");
        assertThat(answer).hasValueSatisfying(e -> {
            assertThat(e.sender()).isEqualTo(2);
            assertThat(e.reason()).isEqualTo("server 2 does not lead: it follows server 3");
            assertThat(justStarted.accept(e).accepted()).isTrue();
        });
        // a learner further on in its session (its leader stepped down): the answer is a gap, which ends it too
        SessionChannel.Incoming furtherOn = new SessionChannel.Incoming(78);
        furtherOn.accept(78, 1);
        furtherOn.accept(78, 2);
        var ping = LearnerSync.notLeading(2, new LearnerMessage.LearnerPing(1, 78, 9, java.util.List.of()), "it is looking");
        assertThat(ping).hasValueSatisfying(e -> assertThat(furtherOn.accept(e)).isInstanceOf(SessionChannel.Gap.class));
        // what a leader sends is never answered (a stale message of this server's own leadership)
        assertThat(LearnerSync.notLeading(2, new LeaderPing(3, 79, 4), "it follows server 3")).isEmpty();
        assertThat(LearnerSync.notLeading(2, new LearnerMessage.EndSession(1, 77, 2, "bye"), "it follows server 3")).isEmpty();
    }
}
