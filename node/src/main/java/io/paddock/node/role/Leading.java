package io.paddock.node.role;

import io.paddock.config.NodeConfig;
import io.paddock.node.context.ServerContext;
import io.paddock.node.metrics.ProposalTimes;
import io.paddock.node.context.ServerStats;
import io.paddock.node.request.Request;
import io.paddock.node.request.RequestPreparer;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.ApplyResult;
import io.paddock.node.tree.DataNode;
import io.paddock.node.tree.DataTree;
import io.paddock.node.zab.Leadership;
import io.paddock.node.zab.Leadership.Action;
import io.paddock.node.zab.LearnerCounts;
import io.paddock.node.zab.SyncPlanner;
import io.paddock.persistence.TxnLog;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.peer.PeerMessage;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.txn.EphemeralType;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;
import io.paddock.protocol.txn.TxnOp;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The LEADING role: wires the leader's ZAB rules ({@link Leadership}: discovery, sync,
 * broadcast, liveness) to messages, timers, the transaction log and the tree, and does the
 * leader's housekeeping: it prepares writes into txns, expires sessions (learners report their
 * clients' activity), reaps empty containers and expired TTL nodes, and purges old files.
 *
 * <p>A standalone server is the leader of a quorum of one: it establishes alone.
 */
final class Leading extends Role {
    sealed interface Command extends PeerCommand {
    }

    /** {@code term} names the Leading that asked: a reply to an earlier leadership of this node is dropped. */
    private record Persisted(long term, Step step, long epoch) implements Command {
    }

    private enum Step { ACCEPTED_EPOCH, CURRENT_EPOCH }

    private record HistoryRead(long term, TxnLog.Recent recent) implements Command {
    }

    /** A learner's SNAP image, serialized off this thread ({@code image} null when that failed). */
    private record ImageSerialized(long term, long learner, long session, Leadership.Image image, Throwable failure)
        implements Command {
    }

    private enum SessionTick implements Command { INSTANCE }

    private enum ReapTick implements Command { INSTANCE }

    private enum PingTick implements Command { INSTANCE }

    private enum EstablishTimeout implements Command { INSTANCE }

    /** Sent to itself when a proposal waits to go out: it arrives after the requests already queued. */
    private enum FlushProposals implements Command { INSTANCE }

    /** Leaderships of this node so far: each Leading's replies from the log carry its own number. */
    private static final java.util.concurrent.atomic.AtomicLong TERMS = new java.util.concurrent.atomic.AtomicLong();
    private final long term = TERMS.incrementAndGet();
    private final DataTree tree;
    private final SessionTracker sessions;
    private final Leadership<Request> core;
    private final Set<String> reaping = new HashSet<>();
    private final ProposalTimes proposalTimes;
    /** Actions not yet taken: those an action's own input returns run after the rest, in order. */
    private final ArrayDeque<Action<Request>> todo = new ArrayDeque<>();
    private boolean acting;
    /** What this role becomes once the core stepped down: Looking. */
    private Behavior<PeerCommand> next = this;
    private RequestPreparer preparer;

    /** A standalone server leads a quorum of one in {@code epoch}. */
    static Behavior<PeerCommand> standalone(PeerContext peer, long epoch) {
        Leading leading = new Leading(peer, Leadership.standalone(peer.serverId(), settings(peer), epoch,
            peer.lastApplied()));
        return leading.act(leading.core.startStandalone());
    }

    /** Elected by the ensemble: discovery and sync come first. */
    static Behavior<PeerCommand> elected(PeerContext peer) {
        Leading leading = new Leading(peer, Leadership.elected(peer.serverId(), peer.verifier, settings(peer)));
        NodeConfig cfg = peer.server.config();
        peer.timers.startSingleTimer(EstablishTimeout.INSTANCE, Duration.ofMillis((long) cfg.initLimit() * cfg.tickTime()));
        peer.timers.startTimerAtFixedRate(PingTick.INSTANCE, Duration.ofMillis(Math.max(1, cfg.tickTime() / 2)));
        peer.actor.getLog().info("LEADING: establishing a new epoch (last logged zxid {})", Zxid.toHex(peer.lastLogged));
        for (LearnerMessage.FollowerInfo info : List.copyOf(peer.earlyFollowerInfos.values())) {
            leading.act(leading.core.learnerMessage(info, leading.sessions.now()));
        }
        peer.earlyFollowerInfos.clear();
        return leading.startIfDrained();
    }

    private static Leadership.Settings settings(PeerContext peer) {
        NodeConfig cfg = peer.server.config();
        // tests lower the counter's limit (paddock.zab.maxZxidCounter) to see a rollover without four billion txns
        return new Leadership.Settings(cfg.tickTime(), cfg.syncLimit(), cfg.initLimit(), cfg.maxBuffer(),
            peer.historyWindow, Long.getLong("paddock.zab.maxZxidCounter", 0xffffffffL), PeerContext.MAX_BEHIND_BYTES);
    }

    private Leading(PeerContext peer, Leadership<Request> core) {
        super(peer);
        this.tree = peer.server.tree();
        this.sessions = peer.server.sessions();
        this.core = core;
        this.proposalTimes = new ProposalTimes(peer.server.metrics());
        peer.server.zabPhase(ServerContext.ZabPhase.DISCOVERY, peer.serverId());
    }

    @Override
    public Receive<PeerCommand> createReceive() {
        return shared(newReceiveBuilder()
            .onMessage(QuorumPeer.Submit.class, s -> core.established() ? submit(s.request()) : this)
            .onMessage(Persisted.class, p -> p.term() == term ? persisted(p) : this)
            .onMessage(HistoryRead.class, h -> h.term() == term ? historyRead(h.recent()) : this)
            .onMessage(ImageSerialized.class, i -> i.term() != term ? this : act(i.image() != null
                ? core.imageReady(i.learner(), i.session(), i.image())
                : core.imageFailed(i.learner(), i.session(), i.failure().toString())))
            .onMessageEquals(SessionTick.INSTANCE, this::expireSessions)
            .onMessageEquals(ReapTick.INSTANCE, this::reap)
            .onMessageEquals(PingTick.INSTANCE, () -> {
                peer.server.learnerLags(core.learnerLags()); // for the metrics: a tick is fresh enough
                return act(core.tick(sessions.now())); // monotonic: a clock jump is no silence
            })
            .onMessageEquals(FlushProposals.INSTANCE, () -> act(core.flush()))
            .onMessageEquals(EstablishTimeout.INSTANCE, () -> act(core.establishTimeout())))
            .build();
    }

    /** Takes the core's actions in order; returns this role, or Looking once the core stepped down. */
    private Behavior<PeerCommand> act(List<Action<Request>> actions) {
        todo.addAll(actions);
        if (acting) {
            return next;
        }
        acting = true;
        try {
            while (!todo.isEmpty() && next == this) {
                take(todo.poll());
            }
            todo.clear();
        } finally {
            acting = false;
        }
        publishLearners();
        return next;
    }

    /** Tells mntr and the AdminServer how many learners this leader has, when that changed. */
    private void publishLearners() {
        ServerContext.LeaderState published = peer.server.leading();
        if (published != null && next == this) {
            LearnerCounts counts = core.learnerCounts();
            if (!counts.equals(published.learners())) {
                peer.server.leading(new ServerContext.LeaderState(published.sinceMillis(), counts));
            }
        }
    }

    private void take(Action<Request> action) {
        if (action instanceof Leadership.Send<Request> s) {
            peer.send(s.to(), s.message());
        } else if (action instanceof Leadership.Log<Request> l) {
            proposalTimes.proposed(l.txns(), System.nanoTime());
            String behind = peer.logTxns(l.txns());
            if (behind != null) {
                act(core.stepDown(behind));
            }
        } else if (action instanceof Leadership.FlushLater<Request>) {
            getContext().getSelf().tell(FlushProposals.INSTANCE);
        } else if (action instanceof Leadership.Apply<Request> a) {
            apply(a.committed());
        } else if (action instanceof Leadership.AnswerSync<Request> a) {
            if (a.request().origin() != null) {
                a.request().origin().applied(a.request(), null, ApplyResult.OK);
            }
        } else if (action instanceof Leadership.Forward<Request> f) {
            for (LearnerMessage.Forwarded request : f.requests()) {
                if (core.steppedDown()) {
                    break; // the learner's clients retry elsewhere
                }
                submit(Request.forwarded(request));
            }
        } else if (action instanceof Leadership.TouchSessions<Request> t) {
            t.sessions().forEach(sessions::touch);
        } else if (action instanceof Leadership.PersistAcceptedEpoch<Request> p) {
            persist(Step.ACCEPTED_EPOCH, r -> new TxnLog.AcceptEpoch(p.epoch(), r),
                new Persisted(term, Step.ACCEPTED_EPOCH, p.epoch()));
        } else if (action instanceof Leadership.PersistCurrentEpoch<Request> p) {
            persist(Step.CURRENT_EPOCH, r -> new TxnLog.SetCurrentEpoch(p.epoch(), r),
                new Persisted(term, Step.CURRENT_EPOCH, p.epoch()));
        } else if (action instanceof Leadership.SerializeImage<Request> s) {
            getContext().pipeToSelf(peer.serializeImage(),
                (image, failure) -> new ImageSerialized(term, s.learner(), s.session(), image, failure));
        } else if (action instanceof Leadership.ReadHistory<Request>) {
            getContext().ask(TxnLog.Recent.class, peer.log, LOG_TIMEOUT, TxnLog.ReadRecent::new, (recent, failure) -> {
                if (failure != null) {
                    throw new IllegalStateException("the transaction log did not answer: " + failure);
                }
                return new HistoryRead(term, recent);
            });
        } else if (action instanceof Leadership.Established<Request> e) {
            established(e);
        } else if (action instanceof Leadership.Synced<Request> s) {
            SyncPlanner.Plan plan = s.plan();
            peer.server.stats().learnerSynced(plan instanceof SyncPlanner.Diff ? ServerStats.SyncKind.DIFF
                : plan instanceof SyncPlanner.TruncThenDiff ? ServerStats.SyncKind.TRUNC : ServerStats.SyncKind.SNAP);
            getContext().getLog().info("syncing server {} from zxid {}: {} ({} txns) up to {}", s.learner(),
                Zxid.toHex(s.fromZxid()), plan.getClass().getSimpleName(), s.txns(), Zxid.toHex(s.upTo()));
        } else if (action instanceof Leadership.LinkEnded<Request> l) {
            getContext().getLog().info(l.byLearner() ? "server {} ended its learner session: {}"
                : "ending the learner session of server {}: {}", l.learner(), l.reason());
            peer.closeLearnerLink(l.session()); // after its EndSession; a dead learner's host would never close it
        } else if (action instanceof Leadership.StepDown<Request> s) {
            peer.closeLearnerLinks(); // the learners know at once
            peer.unapplied.addAll(s.uncommitted());
            getContext().getLog().warn("stepping down: {}", s.reason());
            next = Looking.start(peer, s.reason());
        }
    }

    // ---------------------------------------------------------------- establishing

    private Behavior<PeerCommand> startIfDrained() {
        return core.started() || !peer.logDrained() ? next
            : act(core.start(peer.acceptedEpoch, peer.currentEpoch, peer.lastLogged));
    }

    private Behavior<PeerCommand> persisted(Persisted p) {
        if (p.step() == Step.ACCEPTED_EPOCH) {
            peer.acceptedEpoch = p.epoch();
            return act(core.acceptedEpochPersisted());
        }
        peer.currentEpoch = p.epoch();
        return act(core.currentEpochPersisted());
    }

    private Behavior<PeerCommand> historyRead(TxnLog.Recent recent) {
        return act(core.historyRead(recent.txns(), recent.floor(), recent.lastZxid(), peer.lastApplied(), peer.unapplied));
    }

    /** The history up to {@code e.zxid()} is committed: what this node logged but had not applied is applied now, and it serves. */
    private void established(Leadership.Established<Request> e) {
        peer.timers.cancel(EstablishTimeout.INSTANCE);
        peer.server.stats().proposals().reset(); // the sizes of this leadership's proposals, as ZooKeeper's Leader counts them
        List<Applier.Committed> own = new ArrayList<>();
        while (!peer.unapplied.isEmpty() && peer.unapplied.peek().zxid() <= e.zxid()) {
            Txn txn = peer.unapplied.poll();
            if (txn.zxid() > peer.lastApplied()) {
                own.add(new Applier.Committed(txn, null));
            }
        }
        peer.applier.apply(own);
        peer.unapplied.clear();
        NodeConfig cfg = peer.server.config();
        preparer = new RequestPreparer(tree, sessions, cfg.extendedTypesEnabled(), PeerFrames.txnLimit(cfg.maxBuffer()));
        // every committed session gets a full timeout from now: this node saw none of other servers' clients' activity
        sessions.resetTo(tree.sessions());
        peer.timers.startTimerAtFixedRate(SessionTick.INSTANCE, Duration.ofMillis(cfg.tickTime()));
        peer.timers.startTimerAtFixedRate(ReapTick.INSTANCE, Duration.ofMillis(cfg.containerCheckIntervalMs()));
        startPurging();
        if (tree.sessionSecret() == null) {
            // a new ensemble (or data from before secrets): proposed before serving, so every createSession follows it
            propose(new Request(0, 0, RequestPreparer.CREATE_SESSION_SECRET, null, List.of(), Request.SERVER, null));
        }
        String mode = cfg.isStandalone() ? "standalone" : "leader";
        peer.server.serve(mode, r -> getContext().getSelf().tell(new QuorumPeer.Submit(r)), e.epoch());
        peer.server.leading(new ServerContext.LeaderState(System.currentTimeMillis(), core.learnerCounts()));
        peer.ready.complete(Done.getInstance());
        getContext().getLog().info("LEADING in epoch {} from zxid {} ({} learners synced, {} sessions, {} znodes)",
            e.epoch(), Zxid.toHex(tree.lastProcessedZxid()), e.syncedLearners(), tree.sessions().size(), tree.nodeCount());
    }

    // ---------------------------------------------------------------- learners and the log

    @Override
    Behavior<PeerCommand> onPeerMessage(PeerMessage message) {
        return message instanceof LearnerMessage m ? act(core.learnerMessage(m, sessions.now())) : this;
    }

    @Override
    Behavior<PeerCommand> onReachability(long id, boolean reachable) {
        return reachable ? this : act(core.unreachable(id));
    }

    @Override
    Behavior<PeerCommand> onLearnerLinkLost(long learner, long session) {
        return act(core.linkEnded(learner, session));
    }

    @Override
    Behavior<PeerCommand> onLogDurable(long zxid) {
        return core.started() ? act(core.logDurable(zxid)) : startIfDrained();
    }

    // ---------------------------------------------------------------- writes

    private Behavior<PeerCommand> submit(Request r) {
        if (r.op() == RequestPreparer.REVALIDATE) {
            ConnectRequest resumed = (ConnectRequest) r.body();
            sessions.revalidate(tree.sessionSecret(), r.sessionId(), resumed.passwd(), r.connection());
            // a learner follows it with a sync of its own; this node's client waits for one here
            return r.origin() == null ? this : act(core.sync(r));
        }
        if (r.op() == OpCode.SYNC) {
            return act(core.sync(r));
        }
        if (core.exhausted()) {
            // as ZooKeeper on a zxid rollover: a new epoch's counter starts at 0; the client retries with the new leader
            return act(core.stepDown("the zxid counter of epoch " + core.epoch() + " is exhausted; a new epoch is needed"));
        }
        return propose(r);
    }

    private Behavior<PeerCommand> propose(Request r) {
        long zxid = core.nextZxid();
        long now = System.currentTimeMillis();
        TxnOp op = preparer.prepare(r, zxid, now);
        peer.server.stats().proposals().record(TxnCodec.size(op));
        return act(core.propose(new Txn(zxid, r.sessionId(), r.xid(), now, op), r));
    }

    private void apply(List<Leadership.Proposed<Request>> committed) {
        List<Applier.Committed> batch = new ArrayList<>(committed.size());
        for (Leadership.Proposed<Request> p : committed) {
            batch.add(new Applier.Committed(p.txn(), p.request()));
            if (p.request() != null && p.request().op() == OpCode.DELETE_CONTAINER) {
                reaping.remove(((DeleteRequest) p.request().body()).path());
            }
        }
        peer.applier.apply(batch);
        long last = committed.get(committed.size() - 1).txn().zxid();
        proposalTimes.committed(last, System.nanoTime());
        preparer.applied(last);
    }

    // ---------------------------------------------------------------- housekeeping

    private Behavior<PeerCommand> expireSessions() {
        if (core.exhausted()) {
            return this; // the next client write makes this leader step down; the next leader expires them
        }
        for (Long id : sessions.expired()) {
            getContext().getLog().info("Expiring session 0x{}, timeout of {}ms exceeded", Long.toHexString(id),
                sessions.get(id).timeout());
            propose(new Request(id, 0, OpCode.CLOSE_SESSION, null, List.of(), Request.SERVER, null));
        }
        return this;
    }

    /** Deletes containers that had children and have none now, and TTL nodes unchanged for their TTL with no children. */
    private Behavior<PeerCommand> reap() {
        NodeConfig cfg = peer.server.config();
        if (core.exhausted()) {
            return this;
        }
        long budget = Math.max(1, cfg.containerMaxPerMinute() * cfg.containerCheckIntervalMs() / 60_000);
        long now = System.currentTimeMillis();
        budget = reapWhere(tree.containers(), n -> n.cversion() > 0, budget);
        reapWhere(tree.ttlNodes(), n -> now - n.mtime() > EphemeralType.ttlMillis(n.ephemeralOwner()), budget);
        return this;
    }

    /** Proposes the deletion of the childless nodes among {@code paths} that are {@code due}, at most {@code budget}; returns what is left of it. */
    private long reapWhere(Collection<String> paths, Predicate<DataNode> due, long budget) {
        for (String path : List.copyOf(paths)) {
            DataNode n = tree.getNode(path);
            if (budget > 0 && n != null && n.numChildren() == 0 && due.test(n) && reaping.add(path)) {
                propose(new Request(0, 0, OpCode.DELETE_CONTAINER, new DeleteRequest(path, -1), List.of(), Request.SERVER,
                    null));
                budget--;
            }
        }
        return budget;
    }
}
