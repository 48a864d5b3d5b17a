package io.paddock.node.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.node.zab.SyncPlanner.Diff;
import io.paddock.node.zab.SyncPlanner.History;
import io.paddock.node.zab.SyncPlanner.Plan;
import io.paddock.node.zab.SyncPlanner.Snap;
import io.paddock.node.zab.SyncPlanner.TruncThenDiff;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {
    private static final long E1_4 = Zxid.make(1, 4);
    private static final long E1_5 = Zxid.make(1, 5);
    private static final long E1_6 = Zxid.make(1, 6);
    private static final long E1_7 = Zxid.make(1, 7);
    private static final long E2_1 = Zxid.make(2, 1);
    private static final long E2_2 = Zxid.make(2, 2);
    private static final long E2_3 = Zxid.make(2, 3);

    /** Epoch 1 up to 0x100000005, epoch 2 up to 0x200000002; everything since 0x100000003 still held. */
    private static final History ACROSS_EPOCHS = history(Zxid.make(1, 3), E1_4, E1_5, E2_1, E2_2);

    @Test
    void aLearnerLevelWithTheLeaderGetsAnEmptyDiff() {
        assertThat(SyncPlanner.plan(ACROSS_EPOCHS, E2_2)).isEqualTo(new Diff(List.of()));
    }

    @Test
    void aLearnerBehindGetsTheTxnsAfterItsZxid() {
        assertThat(zxids(SyncPlanner.plan(ACROSS_EPOCHS, E1_4))).containsExactly(E1_5, E2_1, E2_2);
        assertThat(zxids(SyncPlanner.plan(ACROSS_EPOCHS, E2_1))).containsExactly(E2_2);
        assertThat(SyncPlanner.plan(ACROSS_EPOCHS, E2_1)).isInstanceOf(Diff.class);
    }

    @Test
    void aLearnerAtTheLastTxnOfAnEpochGetsTheNextEpochAsADiff() {
        Plan plan = SyncPlanner.plan(ACROSS_EPOCHS, E1_5);
        assertThat(plan).isInstanceOf(Diff.class);
        assertThat(zxids(plan)).containsExactly(E2_1, E2_2);
    }

    @Test
    void aLearnerAtTheFloorGetsEverythingHeld() {
        Plan plan = SyncPlanner.plan(ACROSS_EPOCHS, Zxid.make(1, 3));
        assertThat(plan).isInstanceOf(Diff.class);
        assertThat(zxids(plan)).containsExactly(E1_4, E1_5, E2_1, E2_2);
    }

    @Test
    void aLearnerBelowTheFloorGetsASnapshot() {
        assertThat(SyncPlanner.plan(ACROSS_EPOCHS, Zxid.make(1, 2))).isEqualTo(new Snap());
        assertThat(SyncPlanner.plan(ACROSS_EPOCHS, 0)).isEqualTo(new Snap());
    }

    @Test
    void anEmptyLearnerGetsEverythingWhenTheLeaderHoldsItsWholeHistory() {
        History whole = history(0, E1_4, E1_5);
        assertThat(SyncPlanner.plan(whole, 0)).isInstanceOf(Diff.class);
        assertThat(zxids(SyncPlanner.plan(whole, 0))).containsExactly(E1_4, E1_5);
    }

    @Test
    void ZOOKEEPER_1154_aLearnerWithATxnOfAnEpochThatNeverCommittedIsTruncatedBeforeTheNextEpoch() {
        // the learner logged 0x100000006 and 0x100000007, which died with epoch 1's leader
        Plan plan = SyncPlanner.plan(ACROSS_EPOCHS, E1_7);
        assertThat(plan).isInstanceOf(TruncThenDiff.class);
        assertThat(((TruncThenDiff) plan).truncateTo()).isEqualTo(E1_5);
        assertThat(zxids(plan)).containsExactly(E2_1, E2_2);
        assertThat(((TruncThenDiff) SyncPlanner.plan(ACROSS_EPOCHS, E1_6)).truncateTo()).isEqualTo(E1_5);
    }

    @Test
    void ZOOKEEPER_1154_aLearnerAheadOfTheLeaderInItsEpochIsTruncatedToTheLeadersLastZxid() {
        assertThat(SyncPlanner.plan(ACROSS_EPOCHS, E2_3)).isEqualTo(new TruncThenDiff(E2_2, List.of()));
    }

    @Test
    void ZOOKEEPER_1154_aLearnerAheadOfTheLeaderInALaterEpochIsTruncatedToTheLeadersLastZxid() {
        assertThat(SyncPlanner.plan(ACROSS_EPOCHS, Zxid.make(3, 1))).isEqualTo(new TruncThenDiff(E2_2, List.of()));
    }

    @Test
    void ZOOKEEPER_1154_aLearnerWhoseOnlySharedZxidIsTheFloorIsTruncatedToTheFloor() {
        History sinceEpoch2 = history(E1_5, E2_1, E2_2);
        Plan plan = SyncPlanner.plan(sinceEpoch2, E1_7);
        assertThat(plan).isInstanceOf(TruncThenDiff.class);
        assertThat(((TruncThenDiff) plan).truncateTo()).isEqualTo(E1_5);
        assertThat(zxids(plan)).containsExactly(E2_1, E2_2);
    }

    @Test
    void ZOOKEEPER_1154_aLeaderHoldingNoTxnsTruncatesALearnerAheadAndDiffsOneLevel() {
        History none = history(E2_2);
        assertThat(SyncPlanner.plan(none, E2_2)).isEqualTo(new Diff(List.of()));
        assertThat(SyncPlanner.plan(none, E2_3)).isEqualTo(new TruncThenDiff(E2_2, List.of()));
        assertThat(SyncPlanner.plan(none, E2_1)).isEqualTo(new Snap());
    }

    /**
     * Whatever the leader's history and however the learner diverged (as ZAB lets it: a prefix of
     * the leader's log, then txns of an epoch that never committed, which sort between two of the
     * leader's txns or after its last), following the plan leaves the learner with the leader's log.
     */
    @Test
    void followingThePlanAlwaysYieldsTheLeadersLog() {
        for (long seed = 0; seed < 2000; seed++) {
            Random r = new Random(seed);
            List<Long> leader = new ArrayList<>();
            for (long epoch = 1; epoch <= 1 + r.nextInt(4); epoch++) {
                for (int counter = 1, n = r.nextInt(4); counter <= n; counter++) {
                    leader.add(Zxid.make(epoch, counter));
                }
            }
            int firstHeld = leader.isEmpty() ? 0 : r.nextInt(leader.size() + 1);
            long floor = firstHeld == 0 ? 0 : leader.get(firstHeld - 1);
            long lastZxid = leader.isEmpty() ? 0 : leader.get(leader.size() - 1);
            History history = new History(floor, lastZxid, txns(leader.subList(firstHeld, leader.size())));

            int sharedCount = leader.isEmpty() ? 0 : r.nextInt(leader.size() + 1);
            List<Long> learner = new ArrayList<>(leader.subList(0, sharedCount));
            long lastShared = sharedCount == 0 ? 0 : leader.get(sharedCount - 1);
            long nextLeaderZxid = sharedCount < leader.size() ? leader.get(sharedCount) : Long.MAX_VALUE;
            // the learner's own txns: later in the last shared txn's epoch, or in an epoch of its own after it
            long divergentEpoch = r.nextBoolean() ? Zxid.epoch(lastShared) : Zxid.epoch(lastShared) + 1;
            long divergentCounter = divergentEpoch == Zxid.epoch(lastShared) ? Zxid.counter(lastShared) : 0;
            for (int i = 0, n = r.nextInt(3); i < n; i++) {
                long zxid = Zxid.make(divergentEpoch, ++divergentCounter);
                if (zxid >= nextLeaderZxid || leader.contains(zxid)) {
                    break;
                }
                learner.add(zxid);
            }
            long learnerZxid = learner.isEmpty() ? 0 : learner.get(learner.size() - 1);

            Plan plan = SyncPlanner.plan(history, learnerZxid);
            List<Long> synced = new ArrayList<>(learner);
            if (plan instanceof Snap) {
                assertThat(lastShared).as("seed %d: a snapshot only when below the floor", seed).isLessThan(floor);
                synced = new ArrayList<>(leader);
            } else if (plan instanceof TruncThenDiff t) {
                assertThat(t.truncateTo()).as("seed %d: never truncates a shared txn", seed).isGreaterThanOrEqualTo(lastShared);
                synced.removeIf(z -> z > t.truncateTo());
                synced.addAll(zxids(plan));
            } else {
                assertThat(learner).as("seed %d: a diff only when nothing diverged", seed).hasSize(sharedCount);
                synced.addAll(zxids(plan));
            }
            assertThat(synced).as("seed %d: learner %s, plan %s", seed, learner, plan).isEqualTo(leader);
        }
    }

    @Test
    void aHistoryMustBeOrderedAndCoverExactlyItsRange() {
        assertThatThrownBy(() -> history(0, E1_5, E1_4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history(E1_5, E1_5)).as("a txn at the floor").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new History(0, E2_1, txns(List.of(E1_4))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new History(E1_4, E1_5, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static History history(long floor, long... zxids) {
        List<Long> list = new ArrayList<>();
        for (long z : zxids) {
            list.add(z);
        }
        return new History(floor, zxids.length == 0 ? floor : zxids[zxids.length - 1], txns(list));
    }

    private static List<Txn> txns(List<Long> zxids) {
        return zxids.stream().map(z -> new Txn(z, 1, 1, 0, new TxnOp.DeleteTxn("/x" + z))).toList();
    }

    private static List<Long> zxids(Plan plan) {
        List<Txn> txns = plan instanceof Diff d ? d.txns() : ((TruncThenDiff) plan).txns();
        return txns.stream().map(Txn::zxid).toList();
    }
}
