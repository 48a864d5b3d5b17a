package io.paddock.persistence;

import static io.paddock.persistence.Txns.txns;
import static io.paddock.persistence.Txns.zxid;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.txn.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentTxnsTest {
    private static List<Long> zxids(List<Txn> txns) {
        return txns.stream().map(Txn::zxid).toList();
    }

    @Test
    void keepsTheNewestAndKnowsHowFarBackItReaches() {
        RecentTxns recent = new RecentTxns();
        assertThat(recent.reachesBack(0)).isTrue();
        recent.append(txns(1, 5), HistoryWindow.of(3), Long.MAX_VALUE);
        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.floor()).isEqualTo(zxid(2));
        assertThat(recent.reachesBack(zxid(1))).isFalse();
        assertThat(recent.reachesBack(zxid(2))).isTrue();
        assertThat(zxids(recent.after(zxid(2)))).containsExactly(zxid(3), zxid(4), zxid(5));
        assertThat(zxids(recent.after(zxid(4)))).containsExactly(zxid(5));
        assertThat(recent.after(zxid(5))).isEmpty();
    }

    /** A snapshot being serialized holds the txns above its zxid, beyond what the window keeps. */
    @Test
    void keepsEverythingAboveAHeldZxid() {
        RecentTxns recent = new RecentTxns();
        recent.append(txns(1, 10), HistoryWindow.of(3), zxid(4));
        assertThat(recent.reachesBack(zxid(4))).isTrue();
        assertThat(zxids(recent.after(zxid(4)))).hasSize(6);
        recent.append(txns(11, 12), HistoryWindow.of(3), Long.MAX_VALUE); // the hold ended
        assertThat(recent.size()).isEqualTo(3);
    }

    @Test
    void truncationDropsTheNewestAndCanLowerTheFloor() {
        RecentTxns recent = new RecentTxns();
        recent.append(txns(1, 10), HistoryWindow.of(4), Long.MAX_VALUE); // keeps 7..10, floor 6
        recent.truncate(zxid(8));
        assertThat(zxids(recent.after(0))).containsExactly(zxid(7), zxid(8));
        recent.truncate(zxid(3)); // below the floor: nothing above 3 is logged any more
        assertThat(recent.size()).isZero();
        assertThat(recent.reachesBack(zxid(3))).isTrue();
    }

    @Test
    void aSnapshotFromElsewhereResetsIt() {
        RecentTxns recent = new RecentTxns();
        recent.append(txns(1, 3), HistoryWindow.of(10), Long.MAX_VALUE);
        recent.resetTo(zxid(50));
        assertThat(recent.size()).isZero();
        assertThat(recent.reachesBack(zxid(49))).isFalse();
        assertThat(recent.reachesBack(zxid(50))).isTrue();
    }

    /** Counted in txns alone, 10,000 writes of 1 MB would pin 10 GB: the window also bounds the bytes. */
    @Test
    void keepsNoMoreBytesThanTheWindowAllows() {
        List<Txn> logged = txns(1, 11);
        HistoryWindow lastThree = new HistoryWindow(1000, bytes(logged.subList(7, 10)));
        RecentTxns recent = new RecentTxns();
        recent.append(logged.subList(0, 10), lastThree, Long.MAX_VALUE);
        assertThat(zxids(recent.after(0))).containsExactly(zxid(8), zxid(9), zxid(10));
        assertThat(recent.floor()).isEqualTo(zxid(7));

        RecentTxns restored = new RecentTxns(recent.after(0), recent.floor());
        restored.append(logged.subList(10, 11), new HistoryWindow(1000, bytes(logged.subList(8, 11))), Long.MAX_VALUE);
        assertThat(zxids(restored.after(0))).as("the size is known again after a restore")
            .containsExactly(zxid(9), zxid(10), zxid(11));
    }

    /** A leader's history keeps its outstanding proposals, however many: a learner synced now needs them. */
    @Test
    void trimmingKeepsWhatIsAboveTheBound() {
        RecentTxns history = new RecentTxns(List.of(), 0);
        txns(1, 6).forEach(history::add);
        history.trim(HistoryWindow.of(2), zxid(3)); // 4..6 outstanding
        assertThat(zxids(history.after(0))).containsExactly(zxid(4), zxid(5), zxid(6));
        assertThat(history.floor()).isEqualTo(zxid(3));
        assertThat(zxids(history.upTo(zxid(5)))).containsExactly(zxid(4), zxid(5));
        history.trim(HistoryWindow.of(2), zxid(6));
        assertThat(zxids(history.after(0))).containsExactly(zxid(5), zxid(6));
    }

    private static long bytes(List<Txn> txns) {
        return txns.stream().mapToLong(HistoryWindow::sizeOf).sum();
    }
}
