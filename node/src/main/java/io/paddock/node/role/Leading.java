package io.paddock.node.role;

import io.paddock.config.NodeConfig;
import io.paddock.node.request.Request;
import io.paddock.node.request.RequestPreparer;
import io.paddock.node.server.ServerContext;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.ApplyResult;
import io.paddock.node.tree.DataNode;
import io.paddock.node.tree.DataTree;
import io.paddock.node.tree.TreeSnapshot;
import io.paddock.node.cnxn.ClientConnection;
import io.paddock.node.zab.ProposalTracker;
import io.paddock.node.zab.QuorumVerifier;
import io.paddock.persistence.TxnLog;
import io.paddock.persistence.TxnLogBatcher;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.txn.EphemeralType;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The LEADING role: the write pipeline. A write is prepared into a txn with the next zxid,
 * logged through the group-committing batcher, acked by the voters (with a quorum of one, by
 * this node's own durable log), committed in zxid order, applied to the tree, and answered.
 * The leader also expires sessions, reaps empty containers and expired TTL nodes, and takes a
 * snapshot every snapCount txns.
 */
public final class Leading extends AbstractBehavior<Leading.Command> {

    public sealed interface Command {
    }

    /** A write from a client connection (or from this node itself). */
    public record Submit(Request request) implements Command {
    }

    /** The log is durable up to {@code lastZxid}. */
    private record Logged(long lastZxid) implements Command {
    }

    private record SnapshotDone(TxnLog.SnapshotResult result) implements Command {
    }

    private enum SessionTick implements Command { INSTANCE }

    private enum ReapTick implements Command { INSTANCE }

    private enum PurgeTick implements Command { INSTANCE }

    private record Proposal(Txn txn, Request request) {
    }

    private final PeerContext peer;
    private final ServerContext server;
    private final DataTree tree;
    private final SessionTracker sessions;
    private final long epoch;
    private final RequestPreparer preparer;
    private final ProposalTracker proposals;
    private final ActorRef<TxnLogBatcher.Command> batcher;
    private final ActorRef<TxnLog.SnapshotResult> snapshotReplies;
    private final ArrayDeque<Proposal> outstanding = new ArrayDeque<>();
    private final Set<String> reaping = new HashSet<>();
    private long counter;
    private long txnsSinceSnapshot;
    private long snapshotThreshold;

    public static Behavior<Command> create(PeerContext peer, long epoch, boolean snapshotAtStart) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Leading(ctx, timers, peer, epoch, snapshotAtStart)));
    }

    private Leading(ActorContext<Command> ctx, TimerScheduler<Command> timers, PeerContext peer, long epoch,
                    boolean snapshotAtStart) {
        super(ctx);
        this.peer = peer;
        this.server = peer.server();
        this.tree = server.tree();
        this.sessions = server.sessions();
        this.epoch = epoch;
        NodeConfig cfg = server.config();
        this.preparer = new RequestPreparer(tree, sessions, cfg.extendedTypesEnabled());
        this.proposals = new ProposalTracker(new QuorumVerifier(List.of(cfg.serverId())), tree.lastProcessedZxid());
        ActorRef<TxnLogBatcher.Durable> durable = ctx.messageAdapter(TxnLogBatcher.Durable.class, d -> new Logged(d.lastZxid()));
        this.batcher = ctx.spawn(TxnLogBatcher.create(peer.log(), durable, 1000), "batcher");
        ctx.watch(batcher);
        this.snapshotReplies = ctx.messageAdapter(TxnLog.SnapshotResult.class, SnapshotDone::new);
        this.snapshotThreshold = nextSnapshotThreshold(cfg.snapCount());
        timers.startTimerAtFixedRate(SessionTick.INSTANCE, Duration.ofMillis(cfg.tickTime()));
        timers.startTimerAtFixedRate(ReapTick.INSTANCE, Duration.ofMillis(cfg.containerCheckIntervalMs()));
        if (snapshotAtStart) {
            takeSnapshot();
        }
        if (cfg.purgeIntervalHours() > 0) {
            // as ZooKeeper's DatadirCleanupManager: once at start (after the start-up snapshot, which
            // the TxnLog handles first), then every purgeInterval hours
            purge();
            timers.startTimerAtFixedRate(PurgeTick.INSTANCE, Duration.ofHours(cfg.purgeIntervalHours()));
        }
        ctx.getLog().info("LEADING in epoch {} from zxid {} ({} sessions, {} znodes)", epoch,
            Zxid.toHex(tree.lastProcessedZxid()), tree.sessions().size(), tree.nodeCount());
    }

    /** ZooKeeper spreads snapshots between snapCount/2 and snapCount so that an ensemble's servers do not snapshot together. */
    private static long nextSnapshotThreshold(int snapCount) {
        int half = Math.max(1, snapCount / 2);
        return half + ThreadLocalRandom.current().nextInt(half);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Submit.class, s -> {
                propose(s.request());
                return this;
            })
            .onMessage(Logged.class, l -> {
                commit(proposals.ack(server.config().serverId(), l.lastZxid()));
                return this;
            })
            .onMessage(SnapshotDone.class, this::onSnapshotDone)
            .onMessageEquals(SessionTick.INSTANCE, this::expireSessions)
            .onMessageEquals(ReapTick.INSTANCE, this::reap)
            .onMessageEquals(PurgeTick.INSTANCE, () -> {
                purge();
                return this;
            })
            .onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> {
                throw new IllegalStateException("the transaction log batcher stopped; refusing to acknowledge any more writes");
            })
            .build();
    }

    private void propose(Request r) {
        if (Zxid.counterExhausted(Zxid.make(epoch, counter))) {
            throw new IllegalStateException("zxid counter exhausted in epoch " + epoch + "; a new epoch is needed");
        }
        long zxid = Zxid.make(epoch, ++counter);
        long now = System.currentTimeMillis();
        TxnOp op = preparer.prepare(r, zxid, now);
        Txn txn = new Txn(zxid, r.sessionId(), r.xid(), now, op);
        proposals.propose(zxid);
        outstanding.add(new Proposal(txn, r));
        batcher.tell(new TxnLogBatcher.Log(List.of(txn)));
    }

    /** Applies every outstanding proposal up to {@code committed}, in zxid order, and answers each. */
    private void commit(long committed) {
        if (outstanding.isEmpty() || outstanding.peek().txn().zxid() > committed) {
            return;
        }
        Lock lock = tree.writeLock();
        lock.lock();
        try {
            while (!outstanding.isEmpty() && outstanding.peek().txn().zxid() <= committed) {
                Proposal p = outstanding.poll();
                ApplyResult result = tree.apply(p.txn());
                preparer.applied(p.txn().zxid());
                afterApply(p, result);
                txnsSinceSnapshot++;
            }
        } finally {
            lock.unlock();
        }
        if (txnsSinceSnapshot >= snapshotThreshold) {
            takeSnapshot();
        }
    }

    private void afterApply(Proposal p, ApplyResult result) {
        Request r = p.request();
        if (r.op() == OpCode.CLOSE_SESSION && p.txn().op() instanceof TxnOp.CloseSessionTxn) {
            sessions.remove(r.sessionId());
            ClientConnection c = server.connections().forSession(r.sessionId());
            if (c != null && r.origin() == null) {
                c.close();
            }
        } else if (r.op() == OpCode.DELETE_CONTAINER) {
            reaping.remove(((DeleteRequest) r.body()).path());
        }
        if (r.origin() != null) {
            r.origin().applied(r, p.txn(), result);
        }
    }

    private void takeSnapshot() {
        txnsSinceSnapshot = 0;
        snapshotThreshold = nextSnapshotThreshold(server.config().snapCount());
        long started = System.nanoTime();
        byte[] image = TreeSnapshot.write(tree);
        getContext().getLog().info("snapshot of {} znodes at zxid {} serialized in {} ms ({} bytes)", tree.nodeCount(),
            Zxid.toHex(tree.lastProcessedZxid()), (System.nanoTime() - started) / 1_000_000, image.length);
        peer.log().tell(new TxnLog.SaveSnapshot(tree.lastProcessedZxid(), image, snapshotReplies));
    }

    /** Deletes the snapshots older than the newest snapRetainCount, and the log segments they cover. */
    private void purge() {
        getContext().getLog().info("purging snapshots and log segments, keeping the newest {} snapshots",
            server.config().snapRetainCount());
        peer.log().tell(new TxnLog.Purge(server.config().snapRetainCount(), getContext().getSystem().ignoreRef()));
    }

    private Behavior<Command> onSnapshotDone(SnapshotDone d) {
        if (!d.result().saved()) {
            getContext().getLog().warn("snapshot at zxid {} was not saved: {}", Zxid.toHex(d.result().zxid()), d.result().error());
        }
        return this;
    }

    private Behavior<Command> expireSessions() {
        long now = System.currentTimeMillis();
        for (Long id : sessions.expired(now)) {
            getContext().getLog().info("Expiring session 0x{}, timeout of {}ms exceeded", Long.toHexString(id),
                sessions.get(id).timeout());
            propose(new Request(id, 0, OpCode.CLOSE_SESSION, null, List.of(), null));
        }
        return this;
    }

    /** Deletes containers that had children and have none now, and TTL nodes unchanged for their TTL with no children. */
    private Behavior<Command> reap() {
        NodeConfig cfg = server.config();
        long budget = Math.max(1, cfg.containerMaxPerMinute() * cfg.containerCheckIntervalMs() / 60_000);
        long now = System.currentTimeMillis();
        for (String path : List.copyOf(tree.containers())) {
            DataNode n = tree.getNode(path);
            if (budget > 0 && n != null && n.cversion() > 0 && n.numChildren() == 0 && reaping.add(path)) {
                propose(new Request(0, 0, OpCode.DELETE_CONTAINER, new DeleteRequest(path, -1), List.of(), null));
                budget--;
            }
        }
        for (String path : List.copyOf(tree.ttlNodes())) {
            DataNode n = tree.getNode(path);
            if (budget > 0 && n != null && n.numChildren() == 0
                && now - n.mtime() > EphemeralType.ttlMillis(n.ephemeralOwner()) && reaping.add(path)) {
                propose(new Request(0, 0, OpCode.DELETE_CONTAINER, new DeleteRequest(path, -1), List.of(), null));
                budget--;
            }
        }
        return this;
    }
}
