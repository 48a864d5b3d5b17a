package io.paddock.node.role;

import io.paddock.config.NodeConfig;
import io.paddock.node.context.ServerStats;
import io.paddock.node.request.Request;
import io.paddock.node.request.RequestPreparer;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.ApplyResult;
import io.paddock.node.tree.DataNode;
import io.paddock.node.tree.DataTree;
import io.paddock.node.tree.TreeSnapshot;
import io.paddock.node.zab.EpochNegotiation;
import io.paddock.node.zab.ProposalTracker;
import io.paddock.node.zab.SessionChannel;
import io.paddock.node.zab.Silence;
import io.paddock.node.zab.SyncPlanner;
import io.paddock.persistence.RecentTxns;
import io.paddock.persistence.TxnLog;
import io.paddock.protocol.Batches;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.peer.PeerMessage;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.Requests;
import io.paddock.protocol.txn.EphemeralType;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The LEADING role: the write pipeline, and the ensemble's leader.
 *
 * <p>Elected, it first establishes its epoch (ZAB discovery and synchronisation): it collects
 * the learners' FollowerInfo until a quorum is in, makes the new epoch durable as its accepted
 * epoch before proposing it (ZOOKEEPER-1291), collects a quorum of AckEpochs, makes the epoch
 * current, and syncs each learner from its history (DIFF, TRUNC + DIFF, or SNAP, as
 * {@link SyncPlanner} decides). Once a quorum (itself included) has acked NEWLEADER, its whole
 * history is committed, and it serves.
 *
 * <p>Then a write is prepared into a txn with the next zxid; the txns proposed while requests
 * queue in the mailbox are logged as one batch (through the group-committing batcher) and sent to
 * each follower as one Proposal message. A txn is committed once a quorum of voters has logged it (cumulative
 * acks, {@link ProposalTracker}), applied in zxid order, answered, and announced (Commit to
 * followers, Inform with the txns to observers). The leader also expires sessions (learners
 * report their clients' activity), reaps empty containers and expired TTL nodes, and steps down
 * when it has not heard from a quorum for syncLimit ticks.
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

    private enum SessionTick implements Command { INSTANCE }

    private enum ReapTick implements Command { INSTANCE }

    private enum PurgeTick implements Command { INSTANCE }

    private enum PingTick implements Command { INSTANCE }

    private enum EstablishTimeout implements Command { INSTANCE }

    /** Sent to itself when a proposal waits to go out: it arrives after the requests already queued. */
    private enum FlushProposals implements Command { INSTANCE }

    /** What the leader keeps of one learner session. */
    private static final class Link {
        final long id;
        final boolean observer;
        final SessionChannel.Outgoing out;
        final SessionChannel.Incoming in;
        /** It acked NEWLEADER. */
        boolean synced;
        /** Its sync went out: every later proposal and commit goes to it too. */
        boolean forwarding;
        /** How long it has been silent: checked on every ping tick. */
        final Silence silence;
        long sent;
        long acked;

        Link(long id, boolean observer, long session, long now, long maxStep) {
            this.id = id;
            this.observer = observer;
            this.out = new SessionChannel.Outgoing(session);
            this.in = new SessionChannel.Incoming(session);
            this.silence = new Silence(now, maxStep);
        }
    }

    /** In zxid order: proposals awaiting their commit, and syncs awaiting everything proposed before them. */
    private sealed interface Pending {
    }

    private record Proposed(Txn txn, Request request) implements Pending {
    }

    /** A sync: {@code local} for a client of this node, else {@code learner} and its {@code token}. */
    private record SyncMark(Request local, long learner, long token) implements Pending {
    }

    /** How long a pending log command may take before the node gives up on its disk. */
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(60);
    /** Proposals a follower may have unacked before it counts as too far behind and its session ends. */
    private static final long MAX_UNACKED = 50_000;

    /** Leaderships of this node so far: each Leading's replies from the log carry its own number. */
    private static final java.util.concurrent.atomic.AtomicLong TERMS = new java.util.concurrent.atomic.AtomicLong();
    private final long term = TERMS.incrementAndGet();
    private final DataTree tree;
    private final SessionTracker sessions;
    private final Map<Long, Link> links = new HashMap<>();
    private final ArrayDeque<Pending> outstanding = new ArrayDeque<>();
    /**
     * Proposed, but not yet logged nor sent: the proposals made while the mailbox holds requests
     * are logged in one batch and go to each follower as one message (FlushProposals).
     */
    private final List<Txn> unsent = new ArrayList<>();
    private final Set<String> reaping = new HashSet<>();
    /**
     * The txns a learner can be DIFF-synced from: every txn above its floor, committed and outstanding;
     * committed ones leave it once it holds more than the history window allows. Null until loaded.
     */
    private RecentTxns history;
    private final List<long[]> syncsAwaitingHistory = new ArrayList<>();
    private final List<LearnerMessage.FollowerInfo> infosAwaitingDrain = new ArrayList<>();
    /** The voters that acked NEWLEADER, this node included once its epoch is current: a quorum of them establishes the epoch. */
    private final Set<Long> newLeaderAcks = new HashSet<>();
    private EpochNegotiation negotiation;
    private ProposalTracker proposals;
    private RequestPreparer preparer;
    private boolean historyLoaded;
    private long epoch;
    private boolean epochCurrent;
    private boolean established;
    /** Came out of an election (a standalone server also does, after a zxid rollover): discovery runs first. */
    private boolean elected;
    /** The leader's history at election: committed once a quorum acks NEWLEADER. */
    private long establishZxid;
    private long lastCommitted;
    private long counter;
    /**
     * The largest zxid counter of an epoch: 2^32 - 1. Tests lower it (the system property
     * paddock.zab.maxZxidCounter, read when a leadership starts) to see a rollover without
     * writing four billion txns.
     */
    private final long maxZxidCounter = Long.getLong("paddock.zab.maxZxidCounter", 0xffffffffL);
    /** How long no quorum of synced followers has been heard from; null until established. */
    private Silence quorumSilence;

    /**
     * A standalone server leads a quorum of one. Its new epoch is made durable before anything
     * is proposed in it (ZOOKEEPER-1282/1291), then it serves.
     */
    static Behavior<PeerCommand> standalone(PeerContext peer, long epoch) {
        peer.log.tell(new TxnLog.AcceptEpoch(epoch, peer.actor.getSystem().ignoreRef()));
        Leading leading = new Leading(peer);
        leading.epoch = epoch;
        leading.persist(Step.CURRENT_EPOCH, epoch, r -> new TxnLog.SetCurrentEpoch(epoch, r));
        return leading;
    }

    /** Elected by the ensemble: discovery and sync come first. */
    static Behavior<PeerCommand> elected(PeerContext peer) {
        Leading leading = new Leading(peer);
        leading.elected = true;
        NodeConfig cfg = peer.server.config();
        peer.timers.startSingleTimer(EstablishTimeout.INSTANCE, Duration.ofMillis((long) cfg.initLimit() * cfg.tickTime()));
        peer.timers.startTimerAtFixedRate(PingTick.INSTANCE, Duration.ofMillis(Math.max(1, cfg.tickTime() / 2)));
        peer.actor.getLog().info("LEADING: establishing a new epoch (last logged zxid {})", Zxid.toHex(peer.lastLogged));
        Behavior<PeerCommand> next = leading;
        for (LearnerMessage.FollowerInfo info : List.copyOf(peer.earlyFollowerInfos.values())) {
            next = leading.followerInfo(info);
        }
        peer.earlyFollowerInfos.clear();
        return next == leading ? leading.startNegotiationIfDrained() : next;
    }

    private Leading(PeerContext peer) {
        super(peer);
        this.tree = peer.server.tree();
        this.sessions = peer.server.sessions();
    }

    @Override
    public Receive<PeerCommand> createReceive() {
        return shared(newReceiveBuilder()
            .onMessage(QuorumPeer.Submit.class, s -> established ? submit(s.request()) : this)
            .onMessage(Persisted.class, p -> p.term() == term ? persisted(p) : this)
            .onMessage(HistoryRead.class, h -> h.term() == term ? historyRead(h.recent()) : this)
            .onMessageEquals(SessionTick.INSTANCE, this::expireSessions)
            .onMessageEquals(ReapTick.INSTANCE, this::reap)
            .onMessageEquals(PurgeTick.INSTANCE, () -> {
                purge();
                return this;
            })
            .onMessageEquals(PingTick.INSTANCE, this::pingAndCheckLiveness)
            .onMessageEquals(FlushProposals.INSTANCE, () -> {
                flushProposals();
                return this;
            })
            .onMessageEquals(EstablishTimeout.INSTANCE, () -> established ? this
                : stepDown("no quorum synced within initLimit ticks")))
            .build();
    }

    // ---------------------------------------------------------------- establishing

    private Behavior<PeerCommand> startNegotiationIfDrained() {
        if (negotiation != null || !peer.logDrained()) {
            return this;
        }
        negotiation = new EpochNegotiation(peer.serverId(), peer.verifier, peer.acceptedEpoch, peer.currentEpoch,
            peer.lastLogged);
        Behavior<PeerCommand> next = act(negotiation.start());
        for (LearnerMessage.FollowerInfo info : infosAwaitingDrain) {
            if (next != this) {
                return next;
            }
            next = act(negotiation.followerInfo(info.sender(), info.acceptedEpoch()));
        }
        infosAwaitingDrain.clear();
        return next;
    }

    private Behavior<PeerCommand> act(List<EpochNegotiation.Action> actions) {
        for (EpochNegotiation.Action a : actions) {
            if (a instanceof EpochNegotiation.PersistAcceptedEpoch p) {
                persist(Step.ACCEPTED_EPOCH, p.epoch(), r -> new TxnLog.AcceptEpoch(p.epoch(), r));
            } else if (a instanceof EpochNegotiation.SendLeaderInfo s) {
                Link link = links.get(s.to());
                if (link != null) {
                    send(link, new LearnerMessage.LeaderInfo(peer.serverId(), link.out.session(), link.out.next(), s.newEpoch()));
                }
            } else if (a instanceof EpochNegotiation.DiscoveryDone d) {
                epoch = d.newEpoch();
                persist(Step.CURRENT_EPOCH, d.newEpoch(), r -> new TxnLog.SetCurrentEpoch(d.newEpoch(), r));
                getContext().ask(TxnLog.Recent.class, peer.log, LOG_TIMEOUT, TxnLog.ReadRecent::new, (recent, failure) -> {
                    if (failure != null) {
                        throw new IllegalStateException("the transaction log did not answer: " + failure);
                    }
                    return new HistoryRead(term, recent);
                });
            } else if (a instanceof EpochNegotiation.StartSync s) {
                if (historyLoaded) {
                    syncLearner(s.learner(), s.lastZxid());
                } else {
                    syncsAwaitingHistory.add(new long[] {s.learner(), s.lastZxid()});
                }
            } else if (a instanceof EpochNegotiation.StepDown s) {
                return stepDown(s.reason());
            }
        }
        return this;
    }

    private void persist(Step step, long value, Function<ActorRef<Done>, TxnLog.Command> command) {
        getContext().ask(Done.class, peer.log, LOG_TIMEOUT, command::apply, (done, failure) -> {
            if (failure != null) {
                throw new IllegalStateException("the transaction log did not persist the " + step + ": " + failure);
            }
            return new Persisted(term, step, value);
        });
    }

    private Behavior<PeerCommand> persisted(Persisted p) {
        if (p.step() == Step.ACCEPTED_EPOCH) {
            peer.acceptedEpoch = p.epoch();
            return act(negotiation.acceptedEpochPersisted());
        }
        peer.currentEpoch = p.epoch();
        epochCurrent = true;
        if (!elected) {
            // standalone at start-up: nothing to sync, the log is the history
            peer.acceptedEpoch = p.epoch();
            establishZxid = peer.lastApplied();
            history = new RecentTxns(List.of(), establishZxid);
            historyLoaded = true;
            proposals = new ProposalTracker(peer.verifier, establishZxid);
            return establish();
        }
        return tryEstablish();
    }

    private Behavior<PeerCommand> historyRead(TxnLog.Recent recent) {
        long applied = peer.lastApplied();
        if (recent.floor() <= applied) {
            history = new RecentTxns(recent.txns(), recent.floor());
        } else {
            // The log's ring no longer reaches back to the tree: this node logged more txns than the ring
            // keeps without applying them (a follower whose commits lagged, now elected). A SNAP of the
            // tree plus the ring would leave a gap, so the history is every logged txn above the tree,
            // which the unapplied queue holds.
            Txn last = peer.unapplied.peekLast();
            if (last == null || last.zxid() != recent.lastZxid() || peer.unapplied.peekFirst().zxid() <= applied) {
                throw new IllegalStateException("the txns logged above the applied zxid " + Zxid.toHex(applied)
                    + " are not all known: the log's ring starts above " + Zxid.toHex(recent.floor())
                    + " and ends at " + Zxid.toHex(recent.lastZxid()));
            }
            history = new RecentTxns(List.copyOf(peer.unapplied), applied);
        }
        establishZxid = recent.lastZxid();
        historyLoaded = true;
        proposals = new ProposalTracker(peer.verifier, peer.lastApplied());
        if (establishZxid > peer.lastApplied()) {
            proposals.propose(establishZxid);
        }
        for (long[] s : syncsAwaitingHistory) {
            syncLearner(s[0], s[1]);
        }
        syncsAwaitingHistory.clear();
        return tryEstablish();
    }

    /**
     * Once the epoch is current here and a quorum of voters (this node included) has acked
     * NEWLEADER, the quorum holds the whole history and has made the epoch current: the history
     * is committed. (Even an empty history needs the quorum: it is how the epoch takes hold.)
     */
    private Behavior<PeerCommand> tryEstablish() {
        if (established || !epochCurrent || !historyLoaded) {
            return this;
        }
        proposals.ack(peer.serverId(), establishZxid);
        newLeaderAcks.add(peer.serverId());
        return peer.verifier.containsQuorum(newLeaderAcks) ? establish() : this;
    }

    private Behavior<PeerCommand> establish() {
        established = true;
        peer.timers.cancel(EstablishTimeout.INSTANCE);
        // the history is committed: what this node logged but had not applied yet is applied now
        List<Applier.Committed> own = new ArrayList<>();
        while (!peer.unapplied.isEmpty() && peer.unapplied.peek().zxid() <= establishZxid) {
            Txn txn = peer.unapplied.poll();
            if (txn.zxid() > peer.lastApplied()) {
                own.add(new Applier.Committed(txn, null));
            }
        }
        peer.applier.apply(own);
        peer.unapplied.clear();
        lastCommitted = establishZxid;
        for (Link link : links.values()) {
            if (link.synced) {
                send(link, new LearnerMessage.UpToDate(peer.serverId(), link.out.session(), link.out.next(), lastCommitted));
            }
        }
        NodeConfig cfg = peer.server.config();
        preparer = new RequestPreparer(tree, sessions, cfg.extendedTypesEnabled(), PeerFrames.txnLimit(cfg.maxBuffer()));
        // every committed session gets a full timeout from now: this node's record of the sessions of
        // other servers' clients is as old as their creation (it saw none of their activity)
        sessions.resetTo(tree.sessions());
        quorumSilence = new Silence(sessions.now(), cfg.tickTime());
        peer.timers.startTimerAtFixedRate(SessionTick.INSTANCE, Duration.ofMillis(cfg.tickTime()));
        peer.timers.startTimerAtFixedRate(ReapTick.INSTANCE, Duration.ofMillis(cfg.containerCheckIntervalMs()));
        if (cfg.purgeIntervalHours() > 0) {
            // as ZooKeeper's DatadirCleanupManager: once at start (after the start-up snapshot, which
            // the TxnLog handles first), then every purgeInterval hours
            purge();
            peer.timers.startTimerAtFixedRate(PurgeTick.INSTANCE, Duration.ofHours(cfg.purgeIntervalHours()));
        }
        if (tree.sessionSecret() == null) {
            // a new ensemble (or data from before secrets): proposed before serving, so every createSession follows it
            propose(new Request(0, 0, RequestPreparer.CREATE_SESSION_SECRET, null, List.of(), null));
        }
        String mode = peer.server.config().isStandalone() ? "standalone" : "leader";
        peer.server.serve(mode, r -> getContext().getSelf().tell(new QuorumPeer.Submit(r)), epoch);
        peer.ready.complete(Done.getInstance());
        getContext().getLog().info("LEADING in epoch {} from zxid {} ({} learners synced, {} sessions, {} znodes)", epoch,
            Zxid.toHex(tree.lastProcessedZxid()), links.values().stream().filter(l -> l.synced).count(),
            tree.sessions().size(), tree.nodeCount());
        return this;
    }

    // ---------------------------------------------------------------- learners

    @Override
    Behavior<PeerCommand> onPeerMessage(PeerMessage message) {
        if (message instanceof LearnerMessage.FollowerInfo info) {
            return followerInfo(info);
        }
        if (!(message instanceof LearnerMessage m)) {
            return this;
        }
        Link link = links.get(m.sender());
        if (link == null) {
            return this;
        }
        SessionChannel.Verdict verdict = link.in.accept(m);
        if (verdict instanceof SessionChannel.ForeignSession) {
            return this;
        }
        if (verdict instanceof SessionChannel.Gap gap) {
            dropLink(link, "message " + gap.expected() + " was lost (got " + gap.received() + ")");
            return this;
        }
        link.silence.heard();
        if (m instanceof LearnerMessage.AckEpoch a) {
            return act(negotiation.ackEpoch(link.id, a.currentEpoch(), a.lastZxid()));
        } else if (m instanceof LearnerMessage.AckNewLeader a) {
            return ackNewLeader(link, a.lastZxid());
        } else if (m instanceof LearnerMessage.Ack a) {
            link.acked = Math.max(link.acked, a.upToZxid());
            commit(proposals.ack(link.id, a.upToZxid()));
        } else if (m instanceof LearnerMessage.ForwardRequest f) {
            Behavior<PeerCommand> next = this;
            for (LearnerMessage.Forwarded request : f.requests()) {
                if (next != this || !established) {
                    break; // stepped down: the learner's clients retry elsewhere
                }
                next = submit(forwarded(request));
            }
            return next;
        } else if (m instanceof LearnerMessage.SyncRequest s) {
            if (established) {
                sync(new SyncMark(null, link.id, s.token()));
            }
        } else if (m instanceof LearnerMessage.LearnerPing p) {
            for (long session : p.touchedSessions()) {
                sessions.touch(session);
            }
        } else if (m instanceof LearnerMessage.EndSession e) {
            getContext().getLog().info("server {} ended its learner session: {}", link.id, e.reason());
            forget(link);
        }
        return this;
    }

    private Behavior<PeerCommand> followerInfo(LearnerMessage.FollowerInfo info) {
        Link old = links.get(info.sender());
        if (old != null && old.in.session() == info.session()) {
            return this; // the learner resent it before our answer arrived
        }
        if (old != null) {
            forget(old); // a new session replaces the old one
        }
        Link link = new Link(info.sender(), info.observer(), info.session(), sessions.now(),
            peer.server.config().tickTime());
        link.in.accept(info);
        links.put(link.id, link);
        if (negotiation == null) {
            infosAwaitingDrain.add(info);
            return this;
        }
        return act(negotiation.followerInfo(info.sender(), info.acceptedEpoch()));
    }

    /** Sends the learner what it lacks, then NEWLEADER; from now on it also gets every new proposal. */
    private void syncLearner(long id, long learnerZxid) {
        Link link = links.get(id);
        if (link == null) {
            return;
        }
        long upTo = !established ? establishZxid : link.observer ? lastCommitted : lastProposed();
        List<Txn> held = history.upTo(upTo);
        SyncPlanner.Plan plan = SyncPlanner.plan(new SyncPlanner.History(history.floor(), upTo, held), learnerZxid);
        List<Txn> txns;
        if (plan instanceof SyncPlanner.Diff d) {
            txns = d.txns();
        } else if (plan instanceof SyncPlanner.TruncThenDiff t) {
            send(link, new LearnerMessage.Trunc(peer.serverId(), link.out.session(), link.out.next(), t.truncateTo()));
            txns = t.txns();
        } else {
            long at = peer.lastApplied();
            if (history.floor() > at) {
                // the DIFF after the image starts at the floor: txns between them would be missing
                throw new IllegalStateException("a SNAP at " + Zxid.toHex(at) + " cannot be followed by the history,"
                    + " which starts above " + Zxid.toHex(history.floor()));
            }
            sendSnapshot(link, at, TreeSnapshot.write(tree));
            txns = held.stream().filter(t -> t.zxid() > at).toList();
        }
        sendDiff(link, txns, plan instanceof SyncPlanner.Diff);
        send(link, new LearnerMessage.NewLeader(peer.serverId(), link.out.session(), link.out.next(), epoch, upTo));
        link.sent = upTo;
        link.forwarding = true;
        peer.server.stats().learnerSynced(plan instanceof SyncPlanner.Diff ? ServerStats.SyncKind.DIFF
            : plan instanceof SyncPlanner.TruncThenDiff ? ServerStats.SyncKind.TRUNC : ServerStats.SyncKind.SNAP);
        getContext().getLog().info("syncing server {} from zxid {}: {} ({} txns) up to {}", id, Zxid.toHex(learnerZxid),
            plan.getClass().getSimpleName(), txns.size(), Zxid.toHex(upTo));
    }

    /** The image in parts of at most jute.maxbuffer bytes, so that no message outgrows Artery's frame. */
    private void sendSnapshot(Link link, long zxid, byte[] image) {
        int partSize = peer.server.config().maxBuffer();
        int count = Math.max(1, (image.length + partSize - 1) / partSize);
        for (int i = 0; i < count; i++) {
            byte[] part = java.util.Arrays.copyOfRange(image, i * partSize, Math.min(image.length, (i + 1) * partSize));
            send(link, new LearnerMessage.SnapPart(peer.serverId(), link.out.session(), link.out.next(), zxid, i, count, part));
        }
    }

    /** Txns in Diff messages that each fit a peer frame (a sync opens with a Diff even when there is nothing to send). */
    private void sendDiff(Link link, List<Txn> txns, boolean opensSync) {
        for (List<Txn> part : inMessages(txns)) {
            send(link, new LearnerMessage.Diff(peer.serverId(), link.out.session(), link.out.next(), part));
        }
        if (opensSync && txns.isEmpty()) {
            send(link, new LearnerMessage.Diff(peer.serverId(), link.out.session(), link.out.next(), List.of()));
        }
    }

    /** Txns cut, in order, into batches that each fit one peer message (by their encoded sizes). */
    private List<List<Txn>> inMessages(List<Txn> txns) {
        return Batches.split(txns, PeerFrames::size, PeerFrames.batchBudget(peer.server.config().maxBuffer()));
    }

    private Behavior<PeerCommand> ackNewLeader(Link link, long lastZxid) {
        link.synced = true;
        link.acked = Math.max(link.acked, lastZxid);
        if (established) {
            // counted first, so that UpToDate carries the commit point this very ack may have moved; the
            // learner applies the greatest commit point it knows either way (LearnerSyncTest)
            if (!link.observer) {
                commit(proposals.ack(link.id, lastZxid));
            }
            send(link, new LearnerMessage.UpToDate(peer.serverId(), link.out.session(), link.out.next(), lastCommitted));
            return this;
        }
        if (!link.observer) {
            proposals.ack(link.id, lastZxid);
            newLeaderAcks.add(link.id);
        }
        return tryEstablish();
    }

    private void send(Link link, LearnerMessage message) {
        peer.send(link.id, message);
    }

    /** Ends a learner's session; it will look for the leader again and re-sync. */
    private void dropLink(Link link, String reason) {
        getContext().getLog().info("ending the learner session of server {}: {}", link.id, reason);
        send(link, new LearnerMessage.EndSession(peer.serverId(), link.out.session(), link.out.next(), reason));
        forget(link);
    }

    private void forget(Link link) {
        links.remove(link.id);
        newLeaderAcks.remove(link.id);
        if (proposals != null) {
            proposals.forget(link.id);
        }
    }

    private Behavior<PeerCommand> pingAndCheckLiveness() {
        NodeConfig cfg = peer.server.config();
        long now = sessions.now(); // monotonic: a wall clock jump must not look like silence
        long syncWindow = (long) cfg.syncLimit() * cfg.tickTime();
        long initWindow = (long) cfg.initLimit() * cfg.tickTime();
        Set<Long> heard = new HashSet<>();
        heard.add(peer.serverId());
        for (Link link : List.copyOf(links.values())) {
            long silent = link.silence.tick(now);
            if (silent > (link.synced ? syncWindow : initWindow)) {
                dropLink(link, "silent for " + silent + " ms");
                continue;
            }
            send(link, new LearnerMessage.LeaderPing(peer.serverId(), link.out.session(), link.out.next()));
            if (link.synced && silent <= syncWindow) {
                heard.add(link.id);
            }
        }
        if (!established) {
            return this;
        }
        if (peer.verifier.containsQuorum(heard)) {
            quorumSilence.heard();
        }
        long silent = quorumSilence.tick(now);
        return silent > syncWindow ? stepDown("no quorum of synced followers heard for " + silent + " ms") : this;
    }

    @Override
    Behavior<PeerCommand> onReachability(long id, boolean reachable) {
        Link link = links.get(id);
        if (link != null && !reachable) {
            dropLink(link, "unreachable");
        }
        return this;
    }

    /** Leaves leadership: what is proposed but not committed stays in the log, for the next leader to decide. */
    private Behavior<PeerCommand> stepDown(String why) {
        flushProposals(); // into the log: the next leader decides on them like on any uncommitted proposal
        for (Link link : List.copyOf(links.values())) {
            dropLink(link, "the leader steps down: " + why);
        }
        for (Pending p : outstanding) {
            if (p instanceof Proposed pr) {
                peer.unapplied.add(pr.txn());
            }
        }
        outstanding.clear();
        getContext().getLog().warn("stepping down: {}", why);
        return Looking.start(peer, why);
    }

    // ---------------------------------------------------------------- broadcast

    /**
     * A learner's forwarded write, as a request without a local client (the learner answers it).
     * deleteContainer is refused (UNIMPLEMENTED, as an unknown opcode): only this leader's reaper
     * proposes it, and no client may send it.
     */
    private static Request forwarded(LearnerMessage.Forwarded f) {
        if (f.op() == OpCode.DELETE_CONTAINER) {
            return new Request(f.sessionId(), f.cxid(), OpCode.ERROR, null, f.authInfo(), null);
        }
        JuteInput in = new JuteInput(f.body());
        JuteRecord body = f.op() == OpCode.CREATE_SESSION ? ConnectRequest.read(in) : Requests.read(f.op(), in);
        return new Request(f.sessionId(), f.cxid(), f.op(), body, f.authInfo(), null);
    }

    private Behavior<PeerCommand> submit(Request r) {
        if (r.op() == OpCode.SYNC) {
            sync(new SyncMark(r, 0, 0));
            return this;
        }
        if (counter >= maxZxidCounter) {
            // as ZooKeeper on a zxid rollover: a re-election opens a new epoch, whose counter starts at 0;
            // the write's client is disconnected and retries against the new leader
            return stepDown("the zxid counter of epoch " + epoch + " is exhausted; a new epoch is needed");
        }
        propose(r);
        return this;
    }

    private void sync(SyncMark mark) {
        if (outstanding.isEmpty()) {
            answer(mark);
        } else {
            outstanding.add(mark);
        }
    }

    private void propose(Request r) {
        long zxid = Zxid.make(epoch, ++counter);
        long now = System.currentTimeMillis();
        TxnOp op = preparer.prepare(r, zxid, now);
        Txn txn = new Txn(zxid, r.sessionId(), r.xid(), now, op);
        proposals.propose(zxid);
        outstanding.add(new Proposed(txn, r));
        history.add(txn);
        if (unsent.isEmpty()) {
            getContext().getSelf().tell(FlushProposals.INSTANCE);
        }
        unsent.add(txn);
    }

    /**
     * Logs the waiting proposals as one batch and sends each follower those it lacks, in as few
     * Proposal messages as fit the peer frame.
     */
    private void flushProposals() {
        if (unsent.isEmpty()) {
            return;
        }
        List<Txn> batch = List.copyOf(unsent);
        unsent.clear();
        peer.logTxns(batch);
        long last = batch.get(batch.size() - 1).zxid();
        List<List<Txn>> whole = null;
        for (Link link : List.copyOf(links.values())) {
            if (!link.forwarding || link.observer || link.sent >= last) {
                continue;
            }
            if (Zxid.epoch(link.acked) == epoch && Zxid.counter(last) - Zxid.counter(link.acked) > MAX_UNACKED) {
                dropLink(link, "more than " + MAX_UNACKED + " proposals unacked");
                continue;
            }
            long sent = link.sent;
            List<List<Txn>> parts;
            if (sent < batch.get(0).zxid()) {
                whole = whole == null ? inMessages(batch) : whole;
                parts = whole;
            } else {
                // a learner synced since these were proposed got the first of them in its DIFF
                parts = inMessages(batch.stream().filter(t -> t.zxid() > sent).toList());
            }
            for (List<Txn> txns : parts) {
                send(link, new LearnerMessage.Proposal(peer.serverId(), link.out.session(), link.out.next(), txns));
            }
            link.sent = last;
        }
    }

    private long lastProposed() {
        return proposals.lastProposed();
    }

    @Override
    Behavior<PeerCommand> onLogDurable(long zxid) {
        if (elected && negotiation == null) {
            return startNegotiationIfDrained();
        }
        if (established) {
            commit(proposals.ack(peer.serverId(), zxid));
        }
        return this;
    }

    /** Applies and announces everything up to {@code committed}, and answers the syncs that waited for it. */
    private void commit(long committed) {
        List<Applier.Committed> batch = new ArrayList<>();
        while (!outstanding.isEmpty()) {
            Pending p = outstanding.peek();
            if (p instanceof Proposed pr) {
                if (pr.txn().zxid() > committed) {
                    break;
                }
                batch.add(new Applier.Committed(pr.txn(), pr.request()));
            } else {
                flush(batch);
                batch = new ArrayList<>();
                answer((SyncMark) p);
            }
            outstanding.poll();
        }
        flush(batch);
    }

    private void flush(List<Applier.Committed> batch) {
        if (batch.isEmpty()) {
            return;
        }
        peer.applier.apply(batch);
        lastCommitted = batch.get(batch.size() - 1).txn().zxid();
        preparer.applied(lastCommitted);
        List<Txn> txns = new ArrayList<>(batch.size());
        for (Applier.Committed c : batch) {
            txns.add(c.txn());
            if (c.request() != null && c.request().op() == OpCode.DELETE_CONTAINER) {
                reaping.remove(((DeleteRequest) c.request().body()).path());
            }
        }
        List<List<Txn>> informs = null;
        for (Link link : links.values()) {
            if (!link.forwarding) {
                continue;
            }
            if (link.observer) {
                informs = informs == null ? inMessages(txns) : informs;
                for (List<Txn> part : informs) {
                    send(link, new LearnerMessage.Inform(peer.serverId(), link.out.session(), link.out.next(), part));
                }
            } else {
                send(link, new LearnerMessage.Commit(peer.serverId(), link.out.session(), link.out.next(), lastCommitted));
            }
        }
        history.trim(peer.historyWindow, lastCommitted);
    }

    private void answer(SyncMark mark) {
        if (mark.local() != null) {
            if (mark.local().origin() != null) {
                mark.local().origin().applied(mark.local(), null, ApplyResult.OK);
            }
            return;
        }
        Link link = links.get(mark.learner());
        if (link != null) {
            send(link, new LearnerMessage.SyncDone(peer.serverId(), link.out.session(), link.out.next(), mark.token(),
                lastCommitted));
        }
    }

    // ---------------------------------------------------------------- housekeeping

    private void purge() {
        peer.log.tell(new TxnLog.Purge(peer.server.config().snapRetainCount(), getContext().getSystem().ignoreRef()));
    }

    private Behavior<PeerCommand> expireSessions() {
        if (counter >= maxZxidCounter) {
            return this; // the next client write makes this leader step down; the next leader expires them
        }
        for (Long id : sessions.expired()) {
            getContext().getLog().info("Expiring session 0x{}, timeout of {}ms exceeded", Long.toHexString(id),
                sessions.get(id).timeout());
            propose(new Request(id, 0, OpCode.CLOSE_SESSION, null, List.of(), null));
        }
        return this;
    }

    /** Deletes containers that had children and have none now, and TTL nodes unchanged for their TTL with no children. */
    private Behavior<PeerCommand> reap() {
        NodeConfig cfg = peer.server.config();
        if (counter >= maxZxidCounter) {
            return this;
        }
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
