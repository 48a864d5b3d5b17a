package io.paddock.persistence;

import static io.paddock.persistence.Txns.txn;
import static io.paddock.persistence.Txns.txns;
import static io.paddock.persistence.Txns.zxid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;
import io.paddock.protocol.txn.TxnOp;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    private static List<Long> zxids(List<Txn> txns) {
        return txns.stream().map(Txn::zxid).toList();
    }

    @Test
    void gathersWhatArrivesDuringAWriteIntoTheNextAppend() {
        GroupCommit commit = new GroupCommit(100, Long.MAX_VALUE);

        assertThat(zxids(commit.add(List.of(txn(1))))).containsExactly(zxid(1));
        // while the first write is in flight
        assertThat(commit.add(List.of(txn(2)))).isEmpty();
        assertThat(commit.add(txns(3, 4))).isEmpty();
        assertThat(commit.add(List.of(txn(5)))).isEmpty();

        assertThat(zxids(commit.written())).isEqualTo(zxids(txns(2, 5)));
        assertThat(commit.written()).as("nothing waits").isEmpty();
        assertThat(zxids(commit.add(List.of(txn(6))))).as("idle again: written at once").containsExactly(zxid(6));
    }

    @Test
    void splitsBatchesAtMaxBatch() {
        GroupCommit commit = new GroupCommit(2, Long.MAX_VALUE);

        assertThat(zxids(commit.add(txns(1, 5)))).isEqualTo(zxids(txns(1, 2)));
        assertThat(zxids(commit.written())).isEqualTo(zxids(txns(3, 4)));
        assertThat(zxids(commit.written())).isEqualTo(zxids(txns(5, 5)));
        assertThat(commit.written()).isEmpty();
    }

    /** One journal record stays small when txns carry 1 MB each: the bytes bound the batch as the count does. */
    @Test
    void splitsBatchesAtMaxBatchBytesWithALargerTxnAlone() {
        List<Txn> txns = List.of(withData(1, 1000), withData(2, 1000), withData(3, 1000), withData(4, 4000),
            withData(5, 1000), withData(6, 1000));
        long twoSmall = TxnCodec.size(txns.get(0)) + TxnCodec.size(txns.get(1));
        GroupCommit commit = new GroupCommit(100, twoSmall + 100);

        assertThat(commit.add(txns)).isEqualTo(txns.subList(0, 2));
        assertThat(commit.written()).isEqualTo(txns.subList(2, 3));
        assertThat(commit.written()).as("larger than the bound on its own").isEqualTo(txns.subList(3, 4));
        assertThat(commit.written()).isEqualTo(txns.subList(4, 6));
        assertThat(commit.written()).isEmpty();
    }

    @Test
    void countsTheBytesThatWaitButNotTheAppendInFlight() {
        List<Txn> txns = List.of(withData(1, 1000), withData(2, 2000), withData(3, 3000));
        GroupCommit commit = new GroupCommit(1, Long.MAX_VALUE);

        assertThat(commit.add(txns.subList(0, 1))).hasSize(1);
        assertThat(commit.waitingBytes()).isZero();
        assertThat(commit.add(txns.subList(1, 3))).isEmpty();
        assertThat(commit.waitingBytes()).isEqualTo(TxnCodec.size(txns.get(1)) + TxnCodec.size(txns.get(2)));
        assertThat(commit.written()).isEqualTo(txns.subList(1, 2));
        assertThat(commit.waitingBytes()).isEqualTo(TxnCodec.size(txns.get(2)));
        commit.written();
        assertThat(commit.waitingBytes()).isZero();
    }

    @Test
    void refusesBoundsThatAdmitNothing() {
        assertThatThrownBy(() -> new GroupCommit(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupCommit(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Txn withData(long counter, int bytes) {
        return new Txn(zxid(counter), 1, (int) counter, 0, new TxnOp.SetDataTxn("/n", new byte[bytes], (int) counter));
    }
}
