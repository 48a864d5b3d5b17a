package io.paddock.persistence;

import static io.paddock.persistence.Txns.txn;
import static io.paddock.persistence.Txns.txns;
import static io.paddock.persistence.Txns.zxid;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;
import io.paddock.protocol.txn.TxnOp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TxnLogBatcherTest {
    @TempDir
    static Path dir;
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = TestSystems.start("TxnLogBatcherTest", dir);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** Receives the Append a fake log got, checks its txns and acknowledges it as the real log would. */
    private static void acknowledge(TestProbe<TxnLog.Command> log, List<Txn> expected) {
        TxnLog.Append append = log.expectMessageClass(TxnLog.Append.class);
        assertThat(zxids(append.txns())).isEqualTo(zxids(expected));
        append.replyTo().tell(new TxnLog.Appended(expected.get(expected.size() - 1).zxid(), expected.size()));
    }

    private static List<Long> zxids(List<Txn> txns) {
        return txns.stream().map(Txn::zxid).toList();
    }

    @Test
    void gathersWhatArrivesDuringAWriteIntoTheNextAppend() {
        TestProbe<TxnLog.Command> log = kit.createTestProbe();
        TestProbe<TxnLogBatcher.Durable> durable = kit.createTestProbe();
        ActorRef<TxnLogBatcher.Command> batcher = kit.spawn(TxnLogBatcher.create(log.getRef(), durable.getRef(), 100,
            Long.MAX_VALUE));

        batcher.tell(new TxnLogBatcher.Log(List.of(txn(1))));
        TxnLog.Append first = log.expectMessageClass(TxnLog.Append.class);
        assertThat(zxids(first.txns())).containsExactly(zxid(1));
        // while the first write is in flight
        batcher.tell(new TxnLogBatcher.Log(List.of(txn(2))));
        batcher.tell(new TxnLogBatcher.Log(txns(3, 4)));
        batcher.tell(new TxnLogBatcher.Log(List.of(txn(5))));
        first.replyTo().tell(new TxnLog.Appended(zxid(1), 1));

        durable.expectMessage(new TxnLogBatcher.Durable(zxid(1)));
        acknowledge(log, txns(2, 5));
        durable.expectMessage(new TxnLogBatcher.Durable(zxid(5)));

        batcher.tell(new TxnLogBatcher.Log(List.of(txn(6)))); // idle again: written at once
        acknowledge(log, txns(6, 6));
        durable.expectMessage(new TxnLogBatcher.Durable(zxid(6)));
    }

    @Test
    void splitsBatchesAtMaxBatch() {
        TestProbe<TxnLog.Command> log = kit.createTestProbe();
        TestProbe<TxnLogBatcher.Durable> durable = kit.createTestProbe();
        ActorRef<TxnLogBatcher.Command> batcher = kit.spawn(TxnLogBatcher.create(log.getRef(), durable.getRef(), 2,
            Long.MAX_VALUE));

        batcher.tell(new TxnLogBatcher.Log(txns(1, 5)));
        acknowledge(log, txns(1, 2));
        acknowledge(log, txns(3, 4));
        acknowledge(log, txns(5, 5));
        durable.expectMessage(new TxnLogBatcher.Durable(zxid(2)));
        durable.expectMessage(new TxnLogBatcher.Durable(zxid(4)));
        durable.expectMessage(new TxnLogBatcher.Durable(zxid(5)));
    }

    /** One journal record stays small when txns carry 1 MB each: the bytes bound the batch as the count does. */
    @Test
    void splitsBatchesAtMaxBatchBytesWithALargerTxnAlone() {
        TestProbe<TxnLog.Command> log = kit.createTestProbe();
        TestProbe<TxnLogBatcher.Durable> durable = kit.createTestProbe();
        List<Txn> txns = List.of(withData(1, 1000), withData(2, 1000), withData(3, 1000), withData(4, 4000),
            withData(5, 1000), withData(6, 1000));
        long twoSmall = TxnCodec.size(txns.get(0)) + TxnCodec.size(txns.get(1));
        ActorRef<TxnLogBatcher.Command> batcher = kit.spawn(TxnLogBatcher.create(log.getRef(), durable.getRef(), 100,
            twoSmall + 100));

        batcher.tell(new TxnLogBatcher.Log(txns));
        acknowledge(log, txns.subList(0, 2));
        acknowledge(log, txns.subList(2, 3));
        acknowledge(log, txns.subList(3, 4)); // larger than the bound on its own
        acknowledge(log, txns.subList(4, 6));
        for (long last : List.of(2L, 3L, 4L, 6L)) {
            durable.expectMessage(new TxnLogBatcher.Durable(zxid(last)));
        }
    }

    private static Txn withData(long counter, int bytes) {
        return new Txn(zxid(counter), 1, (int) counter, 0, new TxnOp.SetDataTxn("/n", new byte[bytes], (int) counter));
    }

    @Test
    void manyQuickLogsBecomeFewerDurableWritesInZxidOrder() {
        TestProbe<TxnLog.Recovered> recovered = kit.createTestProbe();
        ActorRef<TxnLog.Command> log = kit.spawn(TxnLog.create(7, recovered.getRef(), HistoryWindow.of(1000)));
        recovered.receiveMessage();
        TestProbe<TxnLogBatcher.Durable> durable = kit.createTestProbe();
        ActorRef<TxnLogBatcher.Command> batcher = kit.spawn(TxnLogBatcher.create(log, durable.getRef(), 500, Long.MAX_VALUE));

        int count = 5000;
        long start = System.nanoTime();
        for (int i = 1; i <= count; i++) {
            batcher.tell(new TxnLogBatcher.Log(List.of(txn(i))));
        }
        List<Long> durableZxids = new ArrayList<>();
        while (durableZxids.isEmpty() || durableZxids.get(durableZxids.size() - 1) != zxid(count)) {
            durableZxids.add(durable.receiveMessage().lastZxid());
        }
        long micros = (System.nanoTime() - start) / 1000;
        System.out.printf("TxnLogBatcher: %d txns sent as %d Log messages became %d durable writes "
                + "(%.1f txns each) in %d ms, %.0f txns/s%n",
            count, count, durableZxids.size(), (double) count / durableZxids.size(), micros / 1000,
            count * 1e6 / micros);
        assertThat(durableZxids.size()).isLessThan(count);
        assertThat(durableZxids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void stopsWhenTheLogStops() {
        ActorRef<TxnLog.Command> log = kit.spawn(Behaviors.<TxnLog.Command>ignore());
        TestProbe<TxnLogBatcher.Durable> durable = kit.createTestProbe();
        ActorRef<TxnLogBatcher.Command> batcher = kit.spawn(TxnLogBatcher.create(log, durable.getRef(), 10, Long.MAX_VALUE));
        batcher.tell(new TxnLogBatcher.Log(List.of(txn(1))));
        kit.stop(log);
        TestProbe<Object> watcher = kit.createTestProbe();
        watcher.expectTerminated(batcher);
    }
}
