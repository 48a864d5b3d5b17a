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
import java.util.concurrent.Executor;
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
 * <p>A snapshot is serialized off the applier's thread, from a view of the tree opened between two
 * txns ({@link TreeSnapshot#begin}), so writes go on while a large tree is written: the applier
 * only copies the paths and, for each node it changes meanwhile, the node's old content. One
 * snapshot is serialized at a time; one falling due meanwhile is skipped, as ZooKeeper does.
 *
 * <p>A snapshot never claims a zxid the log does not hold durably. A node may apply a committed
 * txn before its own copy is on disk (the quorum that committed it may not include this node's
 * log, and ZooKeeper does the same), so the tree can be ahead of the durable log. The image is
 * exactly the tree at the zxid its view opened at, and handed to the log only once the log is
 * durable up to that zxid: a snapshot ahead of the log would make the log claim
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

    private record Image(long zxid, List<byte[]> parts) {
    }

    /** A snapshot's serialization ended: {@code image} (its parts, {@link TreeSnapshot.Pending#writeParts}) is null when it failed. */
    record Serialized(DataTree tree, long zxid, int nodes, List<byte[]> image, Throwable failure, long nanos) {
        long bytes() {
            return image.stream().mapToLong(part -> part.length).sum();
        }
    }

    private final Executor serializer;
    private final ActorRef<Serialized> serializedTo;
    /** The zxid of the snapshot being serialized; -1 when none. */
    private long serializing = -1;
    /** Whether the one being serialized no longer fits the log (cut below it, or the tree replaced). */
    private boolean dropSerializing;
    /** Whether the log has an image to save and has not answered yet. */
    private boolean saving;

    /**
     * @param serializer   where snapshots are serialized (not the applier's thread)
     * @param serializedTo gets each {@link Serialized}, which goes back to {@link #serialized} on the applier's thread
     */
    Applier(ServerContext server, ActorRef<TxnLog.Command> log, ActorRef<TxnLog.SnapshotResult> snapshotReplies,
            LongSupplier durable, Executor serializer, ActorRef<Serialized> serializedTo, Logger logger) {
        this.serializer = serializer;
        this.serializedTo = serializedTo;
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

    /** Opens a view of the tree between two txns and has it serialized off this thread. */
    void takeSnapshot() {
        txnsSinceSnapshot = 0;
        snapshotThreshold = nextSnapshotThreshold(server.config().snapCount());
        if (serializing >= 0) {
            logger.info("snapshot skipped: the one at zxid {} is still being serialized", Zxid.toHex(serializing));
            return;
        }
        DataTree tree = server.tree();
        TreeSnapshot.Pending pending = TreeSnapshot.begin(tree);
        serializing = pending.zxid();
        dropSerializing = false;
        log.tell(new TxnLog.HoldRecent(pending.zxid())); // its tail must still be in the log's ring when it arrives
        long started = System.nanoTime();
        pending.writePartsOn(serializer).whenComplete((image, failure) ->
            serializedTo.tell(new Serialized(tree, pending.zxid(), pending.nodeCount(), image, failure,
                System.nanoTime() - started)));
    }

    /** A snapshot's serialization ended; the image waits for the log to be durable up to its zxid. */
    void serialized(Serialized s) {
        serializing = -1;
        if (s.failure() != null) {
            logger.error("snapshot at zxid {} could not be serialized", Zxid.toHex(s.zxid()), s.failure());
            return;
        }
        if (dropSerializing || s.tree() != server.tree()) {
            logger.info("dropping the snapshot at zxid {}: the log was cut below it or the tree replaced meanwhile",
                Zxid.toHex(s.zxid()));
            return;
        }
        logger.info("snapshot of {} znodes at zxid {} serialized in {} ms ({} bytes)", s.nodes(), Zxid.toHex(s.zxid()),
            s.nanos() / 1_000_000, s.bytes());
        waiting = new Image(s.zxid(), s.image()); // a newer image replaces one still waiting
        logDurable(durable.getAsLong());
    }

    /** The log is durable up to {@code zxid}: an image waiting for that goes to the log now. */
    void logDurable(long zxid) {
        if (waiting != null && waiting.zxid() <= zxid) {
            log.tell(new TxnLog.SaveSnapshot(waiting.zxid(), waiting.parts(), snapshotReplies));
            waiting = null;
            saving = true;
        }
    }

    /** The log is cut back to {@code zxid}: an image showing txns above it will never be durable here. */
    void logCutTo(long zxid) {
        if (serializing > zxid) {
            dropSerializing = true;
        }
        if (waiting != null && waiting.zxid() > zxid) {
            logger.info("dropping the snapshot at zxid {}: the log is cut back to {}", Zxid.toHex(waiting.zxid()),
                Zxid.toHex(zxid));
            waiting = null;
        }
    }

    /** The tree was replaced (a leader's SNAP): an image of the old one, maybe of another branch, is dropped. */
    void treeReplaced() {
        dropSerializing = serializing >= 0;
        waiting = null;
    }

    /** Whether a snapshot is being serialized, waits for the log, or is being saved: its result will come. */
    boolean snapshotInFlight() {
        return serializing >= 0 || waiting != null || saving;
    }

    void snapshotSaved(TxnLog.SnapshotResult result) {
        saving = false;
        if (!result.saved()) {
            logger.warn("snapshot at zxid {} was not saved: {}", Zxid.toHex(result.zxid()), result.error());
        }
    }
}
