package io.paddock.node.role;

import io.paddock.node.cluster.LearnerLink;
import io.paddock.node.cluster.PeerDirectory;
import io.paddock.node.context.DiskUsage;
import io.paddock.node.context.ServerContext;
import io.paddock.node.request.Request;
import io.paddock.node.tree.DataTree;
import io.paddock.node.tree.TreeSnapshot;
import io.paddock.node.watch.WatchManager;
import io.paddock.persistence.HistoryWindow;
import io.paddock.persistence.TxnLog;
import io.paddock.persistence.GroupCommit;
import io.paddock.protocol.Throwables;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.PeerMessage;
import io.paddock.protocol.txn.Txn;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The node: one actor whose behavior is its role. It recovers the tree from its transaction log
 * (latest snapshot plus every later txn), then takes its role. A standalone server is the
 * leader of a quorum of one.
 *
 * <p>The transaction log lives as long as the node; the node sends it Appends itself, one at a
 * time with whatever arrived meanwhile ({@link GroupCommit}). If the log stops (a disk error,
 * say), nothing more can be acknowledged and the node stops.
 */
public final class QuorumPeer {

    /** Messages every role receives. */
    public sealed interface Shared extends PeerCommand {
    }

    /** A client write from one of this node's connections (or from the node itself). */
    public record Submit(Request request) implements Shared {
    }

    /** The node's log is durable up to {@code lastZxid}. */
    record LogDurable(long lastZxid) implements Shared {
    }

    record SnapshotSaved(TxnLog.SnapshotResult result) implements Shared {
    }

    /** Every purgeInterval hours while the node serves ({@link Role#startPurging}). */
    enum PurgeTick implements Shared { INSTANCE }

    record SnapshotSerialized(Applier.Serialized serialized) implements Shared {
    }

    /** A message from another server, through this node's peer endpoint (or a learner's link to its leader). */
    record FromPeer(PeerMessage message) implements Shared {
    }

    /** A learner's message on its link to this node. */
    record FromLearnerLink(LearnerLink.Link link, LearnerMessage message) implements Shared {
    }

    /** A learner's link to this node ended. */
    record LearnerLinkLost(LearnerLink.Link link) implements Shared {
    }

    /** The peer directory saw a server come, go, or change reachability. */
    record Directory(PeerDirectory.Event event) implements Shared {
    }

    private record LogRecovered(TxnLog.Recovered recovered) implements Shared {
    }

    private QuorumPeer() {
    }

    /**
     * {@code ready} completes once the node serves clients, or fails if it cannot start. A role
     * that finds the in-memory state out of step with the log ({@link RestartRequested}) has the
     * node restarted: it recovers from disk again.
     */
    public static Behavior<PeerCommand> create(ServerContext server, CompletableFuture<Done> ready,
                                               LearnerLink.Listener learnerLinks) {
        // an expected way back, not an error: the supervisor logs why at INFO
        return Behaviors.supervise(peer(server, ready, learnerLinks)).onFailure(RestartRequested.class,
            SupervisorStrategy.restart().withLogLevel(org.slf4j.event.Level.INFO));
    }

    private static Behavior<PeerCommand> peer(ServerContext server, CompletableFuture<Done> ready,
                                              LearnerLink.Listener learnerLinks) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            long serverId = server.config().serverId();
            ActorRef<TxnLog.Recovered> onRecovered = ctx.messageAdapter(TxnLog.Recovered.class, LogRecovered::new);
            HistoryWindow window = HistoryWindow.of(server.config().commitLogCount());
            ActorRef<TxnLog.Command> log = ctx.spawn(TxnLog.create(serverId, onRecovered, window), "txnlog");
            ctx.watch(log);
            PeerContext peer = new PeerContext(ctx, timers, server, log, new GroupCommit(LOG_BATCH_TXNS, LOG_BATCH_BYTES),
                ready, window, learnerLinks);
            if (!server.config().isStandalone()) {
                // other servers reach this node through one endpoint, registered with the Receptionist: an
                // adapter, so that a peer's message costs one mailbox, this node's own
                ActorRef<PeerMessage> endpoint = ctx.messageAdapter(PeerMessage.class, FromPeer::new);
                ActorRef<PeerDirectory.Event> events = ctx.messageAdapter(PeerDirectory.Event.class, Directory::new);
                ctx.spawn(PeerDirectory.create(server.config(), endpoint, events), "directory");
            }
            if (learnerLinks != null) {
                ActorRef<PeerCommand> self = ctx.getSelf();
                learnerLinks.receiveWith(new LearnerLink.Receiver() {
                    @Override
                    public void received(LearnerLink.Link link, LearnerMessage message) {
                        self.tell(new FromLearnerLink(link, message));
                    }

                    @Override
                    public void lost(LearnerLink.Link link) {
                        self.tell(new LearnerLinkLost(link));
                    }
                });
            }
            // what arrives before the log is recovered waits for the role: above all the directory's
            // PeerUp events, which are sent once per change only (after a restart of this actor the
            // cluster is there already and they come at once; dropped, the node could never reach a peer)
            return Behaviors.<PeerCommand>withStash(EARLY_MESSAGES, stash -> Behaviors.receive(PeerCommand.class)
                .onMessage(LogRecovered.class, r -> stash.unstashAll(recovered(peer, r.recovered())))
                .onMessage(PeerCommand.class, m -> {
                    if (stash.isFull()) {
                        ctx.getLog().warn("dropping {} received before the log was recovered", m.getClass().getSimpleName());
                    } else {
                        stash.stash(m);
                    }
                    return Behaviors.same();
                })
                .onSignal(Terminated.class, t -> stop(peer, "the transaction log could not be recovered" + rootCause(t)))
                .build());
        }));
    }

    /**
     * One journal write holds at most this many txns and bytes: 1,000 small txns amortize the fsync
     * well, and a few MiB keep one record (and the memory to serialize it) small when txns carry 1 MB.
     */
    private static final int LOG_BATCH_TXNS = 1000;
    private static final long LOG_BATCH_BYTES = 4 << 20;

    /** Messages kept while the log recovers (directory events, peers' notifications, early client writes). */
    private static final int EARLY_MESSAGES = 10_000;

    private static Behavior<PeerCommand> recovered(PeerContext peer, TxnLog.Recovered r) {
        ActorContext<PeerCommand> ctx = peer.actor;
        long started = System.nanoTime();
        WatchManager watches = new WatchManager();
        DataTree tree = r.image() == null ? new DataTree(watches) : TreeSnapshot.read(r.image(), watches);
        Lock lock = tree.writeLock();
        lock.lock();
        try {
            for (Txn txn : r.txns()) {
                if (txn.zxid() <= tree.lastProcessedZxid()) {
                    throw new IllegalStateException("journal replay out of order: " + Zxid.toHex(txn.zxid())
                        + " after " + Zxid.toHex(tree.lastProcessedZxid()));
                }
                tree.apply(txn);
            }
        } finally {
            lock.unlock();
        }
        ServerContext server = peer.server;
        server.installTree(tree);
        // exactly the recovered tree's sessions: after a restart of this actor (a truncation) the tracker
        // still holds those of the txns that were cut off
        server.sessions().resetTo(tree.sessions());
        ctx.getLog().info("recovered {} znodes and {} sessions at zxid {}: snapshot at {} plus {} txns, in {} ms",
            tree.nodeCount(), tree.sessions().size(), Zxid.toHex(tree.lastProcessedZxid()),
            Zxid.toHex(r.snapshotZxid()), r.txns().size(), (System.nanoTime() - started) / 1_000_000);
        peer.acceptedEpoch = r.acceptedEpoch();
        peer.currentEpoch = r.currentEpoch();
        peer.lastLogged = tree.lastProcessedZxid();
        peer.loggingUpTo = peer.lastLogged;
        server.stats().logDurableTo(peer.lastLogged);
        if (r.image() != null) {
            // ZooKeeper too reports the file's time for the snapshot it started from
            server.stats().snapshotStored(r.snapshotZxid(), DiskUsage.newestModified(server.config().dataDir().resolve("snapshots")));
        }
        if (server.config().isStandalone()) {
            if (!r.txns().isEmpty()) {
                // recovery replayed txns: a snapshot now keeps the next recovery short. (In an ensemble
                // the log may end in txns that never committed; the tree is snapshotted only once a
                // leader has confirmed it.)
                peer.applier.takeSnapshot();
            }
            long epoch = Math.max(Math.max(r.acceptedEpoch(), r.currentEpoch()), Zxid.epoch(tree.lastProcessedZxid())) + 1;
            return Leading.standalone(peer, epoch);
        }
        // an ensemble node opens its client port now and refuses clients until it serves: it may wait
        // a long time for a quorum, and srvr/ruok should answer meanwhile
        peer.ready.complete(Done.getInstance());
        return Looking.start(peer, "recovered");
    }

    /** The root cause of a child's failure names the damaged file and offset, or the missing events: worth the one line an operator reads. */
    static String rootCause(Terminated t) {
        if (!(t instanceof ChildFailed failed)) {
            return "";
        }
        return ": " + Throwables.root(failed.getCause()).getMessage();
    }

    /** Stops the node: it serves nobody any more, and whoever waits for it to start learns why. */
    static Behavior<PeerCommand> stop(PeerContext peer, String why) {
        peer.actor.getLog().error("{}; this node stops", why);
        peer.server.stopServing("stopped");
        peer.ready.completeExceptionally(new IllegalStateException(why));
        return Behaviors.stopped();
    }
}
