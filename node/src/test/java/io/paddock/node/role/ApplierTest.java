package io.paddock.node.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.paddock.config.MetricsProvider;
import io.paddock.config.NodeConfig;
import io.paddock.node.context.ServerContext;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.DataTree;
import io.paddock.node.watch.WatchManager;
import io.paddock.persistence.TxnLog;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The applier's snapshot rule: a snapshot is handed to the log only once the log is durable up
 * to the snapshot's zxid. Seen under a 32x16 write load: a follower applied commits ahead of its
 * own durable log, snapshotted at the applied zxid, the log took that zxid as its end, and the
 * next append broke zxid order and stopped the node.
 */
class ApplierTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final Duration QUIET = Duration.ofMillis(200);

    private final TestProbe<TxnLog.Command> log = testKit.createTestProbe();
    private final TestProbe<TxnLog.SnapshotResult> replies = testKit.createTestProbe();
    private final TestProbe<Applier.Serialized> serialized = testKit.createTestProbe();
    private final ServerContext server = new ServerContext(config(), new SessionTracker(1, 0, () -> 0));
    private long durable;
    // snapCount 2: a snapshot is due after every batch. Serialized on this thread; its end comes
    // back to the applier when a test passes it on, as the node's actor does
    private final Applier applier = new Applier(server, log.getRef(), replies.getRef(), () -> durable, Runnable::run,
        serialized.getRef(), LoggerFactory.getLogger(ApplierTest.class));
    private long zxid = 0x100000000L;

    ApplierTest() {
        server.installTree(new DataTree(new WatchManager()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static NodeConfig config() {
        Path dir = Path.of("target", "applier-test");
        return new NodeConfig(dir.resolve("zoo.cfg"), 1, 2000, 10, 5, dir, dir, new InetSocketAddress("127.0.0.1", 0),
            60, 4000, 40000, 2, 3, 0, Set.of("ruok"), 1048575, 1000, false, 60000, 10000, 10000, Map.of(), true, false, false,
            "127.0.0.1", 8080, "/commands", MetricsProvider.NONE, null, false, List.of());
    }

    private void applyCreates(int n) {
        List<Applier.Committed> batch = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            zxid++;
            batch.add(new Applier.Committed(new Txn(zxid, 0, 0, 0,
                new TxnOp.CreateTxn("/n" + zxid, new byte[0], Acl.OPEN_ACL_UNSAFE, 0, (int) (zxid & 0xffff))), null));
        }
        applier.apply(batch);
    }

    /** A snapshot began: its serialization's end, once the log was told to hold the txns above its zxid. */
    private Applier.Serialized begun() {
        Applier.Serialized s = serialized.receiveMessage();
        assertEquals(new TxnLog.HoldRecent(s.zxid()), log.receiveMessage(), "the log holds the snapshot's tail");
        return s;
    }

    /** Applies creates (a snapshot falls due) and hands the serialized image back to the applier. */
    private void applyCreatesAndSerialize(int n) {
        applyCreates(n);
        applier.serialized(begun());
    }

    @Test
    void aSnapshotAheadOfTheDurableLogWaitsForTheLog() {
        durable = zxid + 1;
        applyCreatesAndSerialize(3); // applied up to durable + 2
        log.expectNoMessage(QUIET);

        durable = zxid;
        applier.logDurable(durable);
        TxnLog.SaveSnapshot save = assertInstanceOf(TxnLog.SaveSnapshot.class, log.receiveMessage());
        assertEquals(zxid, save.zxid());
    }

    @Test
    void aSnapshotTheLogAlreadyHoldsGoesAtOnce() {
        durable = zxid + 5;
        applyCreatesAndSerialize(3);
        TxnLog.SaveSnapshot save = assertInstanceOf(TxnLog.SaveSnapshot.class, log.receiveMessage());
        assertEquals(zxid, save.zxid());
    }

    @Test
    void aWaitingSnapshotAboveACutIsDropped() {
        long cut = zxid + 1;
        durable = zxid;
        applyCreatesAndSerialize(3);
        applier.logCutTo(cut);
        applier.logDurable(zxid + 10);
        log.expectNoMessage(QUIET);
    }

    @Test
    void aWaitingSnapshotOfAReplacedTreeIsDropped() {
        durable = zxid;
        applyCreatesAndSerialize(2);
        applier.treeReplaced();
        applier.logDurable(zxid + 10);
        log.expectNoMessage(QUIET);
    }

    @Test
    void aSnapshotBeingSerializedWhenTheLogIsCutBelowItIsDropped() {
        durable = zxid;
        applyCreates(3);
        Applier.Serialized done = begun();
        applier.logCutTo(zxid - 1); // a TRUNC arrives while the image is being written
        applier.serialized(done);
        applier.logDurable(zxid + 10);
        log.expectNoMessage(QUIET);
    }

    @Test
    void aSnapshotBeingSerializedWhenTheTreeIsReplacedIsDropped() {
        durable = zxid + 10;
        applyCreates(3);
        Applier.Serialized done = begun();
        server.installTree(new DataTree(new WatchManager())); // a SNAP arrives meanwhile
        applier.treeReplaced();
        applier.serialized(done);
        log.expectNoMessage(QUIET);
    }

    /** While one snapshot is being serialized, the next that falls due is skipped, not queued. */
    @Test
    void oneSnapshotIsSerializedAtATime() {
        durable = zxid + 10;
        applyCreates(3);
        Applier.Serialized first = begun();
        applyCreates(3);
        serialized.expectNoMessage(QUIET);
        applier.serialized(first);
        TxnLog.SaveSnapshot save = assertInstanceOf(TxnLog.SaveSnapshot.class, log.receiveMessage());
        assertEquals(first.zxid(), save.zxid());
        applyCreates(3);
        assertEquals(zxid, begun().zxid(), "the next snapshot once the first is done");
    }
}
