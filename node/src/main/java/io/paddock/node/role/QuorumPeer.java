package io.paddock.node.role;

import io.paddock.node.server.ServerContext;
import io.paddock.node.tree.DataTree;
import io.paddock.node.tree.TreeSnapshot;
import io.paddock.node.watch.WatchManager;
import io.paddock.persistence.TxnLog;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.txn.Txn;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The node. It recovers the tree from its transaction log (latest snapshot plus every later
 * txn), makes a new epoch durable before using it, and then takes its role. A standalone
 * server is the leader of a quorum of one.
 *
 * <p>If the transaction log stops (a disk error, say), nothing more can be acknowledged: the
 * peer stops, and with it the node.
 */
public final class QuorumPeer {

    public sealed interface Command {
    }

    private record LogRecovered(TxnLog.Recovered recovered) implements Command {
    }

    private record EpochDurable(long epoch, boolean replayed) implements Command {
    }

    private QuorumPeer() {
    }

    /** {@code ready} completes once the node serves clients, or fails if it cannot start. */
    public static Behavior<Command> create(ServerContext server, CompletableFuture<Done> ready) {
        return Behaviors.setup(ctx -> {
            long serverId = server.config().serverId();
            ActorRef<TxnLog.Recovered> onRecovered = ctx.messageAdapter(TxnLog.Recovered.class, LogRecovered::new);
            ActorRef<TxnLog.Command> log = ctx.spawn(TxnLog.create(serverId, onRecovered, 10_000), "txnlog");
            ctx.watch(log);
            PeerContext peer = new PeerContext(server, log);
            return Behaviors.receive(Command.class)
                .onMessage(LogRecovered.class, r -> recover(ctx, peer, r.recovered(), ready))
                .onSignal(Terminated.class, t -> logStopped(ctx, ready, t))
                .build();
        });
    }

    private static Behavior<Command> recover(ActorContext<Command> ctx, PeerContext peer, TxnLog.Recovered r,
                                             CompletableFuture<Done> ready) {
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
        ServerContext server = peer.server();
        server.installTree(tree);
        long now = System.currentTimeMillis();
        tree.sessions().forEach((id, timeout) -> server.sessions().add(id, timeout, now));
        ctx.getLog().info("recovered {} znodes and {} sessions at zxid {}: snapshot at {} plus {} txns, in {} ms",
            tree.nodeCount(), tree.sessions().size(), Zxid.toHex(tree.lastProcessedZxid()),
            Zxid.toHex(r.snapshotZxid()), r.txns().size(), (System.nanoTime() - started) / 1_000_000);
        long epoch = Math.max(Math.max(r.acceptedEpoch(), r.currentEpoch()), Zxid.epoch(tree.lastProcessedZxid())) + 1;
        boolean replayed = !r.txns().isEmpty();
        // ZOOKEEPER-1282/1291: an epoch is durable before anything is done in it
        ActorRef<Done> durable = ctx.messageAdapter(Done.class, d -> new EpochDurable(epoch, replayed));
        peer.log().tell(new TxnLog.AcceptEpoch(epoch, ctx.getSystem().ignoreRef()));
        peer.log().tell(new TxnLog.SetCurrentEpoch(epoch, durable));
        return Behaviors.receive(Command.class)
            .onMessage(EpochDurable.class, e -> lead(ctx, peer, e, ready))
            .onSignal(Terminated.class, t -> logStopped(ctx, ready, t))
            .build();
    }

    private static Behavior<Command> lead(ActorContext<Command> ctx, PeerContext peer, EpochDurable e,
                                          CompletableFuture<Done> ready) {
        ActorRef<Leading.Command> leader = ctx.spawn(Leading.create(peer, e.epoch(), e.replayed()), "leading");
        ctx.watch(leader);
        peer.server().serve("standalone", request -> leader.tell(new Leading.Submit(request)), e.epoch());
        ready.complete(Done.getInstance());
        return Behaviors.receive(Command.class)
            .onSignal(Terminated.class, t -> {
                ctx.getLog().error("{} stopped; this node stops serving", t.getRef().path().name());
                return stop(peer, ready);
            })
            .build();
    }

    private static Behavior<Command> logStopped(ActorContext<Command> ctx, CompletableFuture<Done> ready, Terminated t) {
        ctx.getLog().error("the transaction log stopped before the node could serve (see the error above)");
        // the root cause names the damaged file and offset, or the missing events: worth the one line an operator reads
        String why = "";
        if (t instanceof ChildFailed failed) {
            Throwable root = failed.getCause();
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            why = ": " + root.getMessage();
        }
        ready.completeExceptionally(new IllegalStateException("the transaction log could not be recovered" + why));
        return Behaviors.stopped();
    }

    private static Behavior<Command> stop(PeerContext peer, CompletableFuture<Done> ready) {
        peer.server().serve("stopped", null, peer.server().epoch());
        peer.server().connections().closeAll();
        ready.completeExceptionally(new IllegalStateException("the node stopped"));
        return Behaviors.stopped();
    }
}
