package io.paddock.node.role;

import io.paddock.node.context.Connection;
import io.paddock.node.context.ServerContext;
import io.paddock.node.request.Request;
import io.paddock.node.tree.ApplyResult;
import io.paddock.node.tree.DataTree;
import io.paddock.node.tree.TreeSnapshot;
import io.paddock.persistence.TxnLog;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * Commits txns to the node's tree, whatever its role: applies them in zxid order under one hold
 * of the write lock, answers the local client whose request each one was, ends the sessions
 * a txn closes, and takes a snapshot every snapCount/2..snapCount txns.
 *
 * <p>A snapshot never claims a zxid the log does not hold durably. A node may apply a committed
 * txn before its own copy is on disk (the quorum that committed it may not include this node's
 * log, and ZooKeeper does the same), so the tree can be ahead of the durable log. The image is
 * serialized at once (it is exactly the tree at its last applied zxid) but handed to the log only
 * once the log is durable up to that zxid: a snapshot ahead of the log would make the log claim
 * txns it may not have, and break its zxid order.
 */
final class Applier {
    /** A committed txn and the request it came from, when that request was received here (else null). */
    record Committed(Txn txn, Request request) {
        /** Whether a local client is waiting for this txn's reply. */
        boolean answersClient() {
            return request != null && request.origin() != null;
        }
    }

    private final ServerContext server;
    private final ActorRef<TxnLog.Command> log;
    private final ActorRef<TxnLog.SnapshotResult> snapshotReplies;
    private final Logger logger;
    private long txnsSinceSnapshot;
    private long snapshotThreshold;
    /** The zxid the log is durable up to, as the node knows it. */
    private final LongSupplier durable;
    /** A serialized image waiting for the log to become durable up to its zxid; null when none. */
    private Image waiting;

    private record Image(long zxid, byte[] bytes) {
    }

    Applier(ServerContext server, ActorRef<TxnLog.Command> log, ActorRef<TxnLog.SnapshotResult> snapshotReplies,
            LongSupplier durable, Logger logger) {
        this.server = server;
        this.durable = durable;
        this.log = log;
        this.snapshotReplies = snapshotReplies;
        this.logger = logger;
        this.snapshotThreshold = nextSnapshotThreshold(server.config().snapCount());
    }

    /** ZooKeeper spreads snapshots between snapCount/2 and snapCount so that an ensemble's servers do not snapshot together. */
    private static long nextSnapshotThreshold(int snapCount) {
        int half = Math.max(1, snapCount / 2);
        return half + ThreadLocalRandom.current().nextInt(half);
    }

    void apply(List<Committed> committed) {
        if (committed.isEmpty()) {
            return;
        }
        DataTree tree = server.tree();
        Lock lock = tree.writeLock();
        lock.lock();
        try {
            for (Committed c : committed) {
                ApplyResult result = tree.apply(c.txn());
                trackSessions(c);
                if (c.answersClient()) {
                    c.request().origin().applied(c.request(), c.txn(), result);
                }
            }
        } finally {
            lock.unlock();
        }
        txnsSinceSnapshot += committed.size();
        if (txnsSinceSnapshot >= snapshotThreshold) {
            takeSnapshot();
        }
    }

    /**
     * Every replica knows the live sessions, so that a client can resume its session on any of
     * them. A closed session is forgotten, and its connection here closed unless that client
     * asked for the close (its reply closes it).
     */
    private void trackSessions(Committed c) {
        if (c.txn().op() instanceof TxnOp.CreateSessionTxn created) {
            server.sessions().addIfAbsent(c.txn().sessionId(), created.timeOut());
        } else if (c.txn().op() instanceof TxnOp.CloseSessionTxn) {
            long sessionId = c.txn().sessionId();
            server.sessions().remove(sessionId);
            Connection conn = server.connections().forSession(sessionId);
            if (conn != null && !c.answersClient()) {
                conn.close();
            }
        }
    }

    /** Serialises the tree between two txns, so the image is exactly the tree at its last applied zxid, and saves it. */
    void takeSnapshot() {
        txnsSinceSnapshot = 0;
        snapshotThreshold = nextSnapshotThreshold(server.config().snapCount());
        DataTree tree = server.tree();
        long started = System.nanoTime();
        byte[] image = TreeSnapshot.write(tree);
        long zxid = tree.lastProcessedZxid();
        logger.info("snapshot of {} znodes at zxid {} serialized in {} ms ({} bytes)", tree.nodeCount(),
            Zxid.toHex(zxid), (System.nanoTime() - started) / 1_000_000, image.length);
        waiting = new Image(zxid, image); // a newer image replaces one still waiting
        logDurable(durable.getAsLong());
    }

    /** The log is durable up to {@code zxid}: an image waiting for that goes to the log now. */
    void logDurable(long zxid) {
        if (waiting != null && waiting.zxid() <= zxid) {
            log.tell(new TxnLog.SaveSnapshot(waiting.zxid(), waiting.bytes(), snapshotReplies));
            waiting = null;
        }
    }

    /** The log is cut back to {@code zxid}: an image showing txns above it will never be durable here. */
    void logCutTo(long zxid) {
        if (waiting != null && waiting.zxid() > zxid) {
            logger.info("dropping the snapshot at zxid {}: the log is cut back to {}", Zxid.toHex(waiting.zxid()),
                Zxid.toHex(zxid));
            waiting = null;
        }
    }

    /** The tree was replaced (a leader's SNAP): an image of the old one, maybe of another branch, is dropped. */
    void treeReplaced() {
        waiting = null;
    }

    void snapshotSaved(TxnLog.SnapshotResult result) {
        if (!result.saved()) {
            logger.warn("snapshot at zxid {} was not saved: {}", Zxid.toHex(result.zxid()), result.error());
        }
    }
}
