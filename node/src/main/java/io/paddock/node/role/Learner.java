package io.paddock.node.role;

import io.paddock.node.cluster.LearnerLink;
import io.paddock.node.context.ServerContext;
import io.paddock.node.request.Request;
import io.paddock.node.request.RequestPreparer;
import io.paddock.node.tree.ApplyResult;
import io.paddock.node.tree.DataTree;
import io.paddock.node.zab.LearnerSync;
import io.paddock.node.zab.SessionChannel;
import io.paddock.node.zab.Silence;
import io.paddock.persistence.TxnLog;
import io.paddock.protocol.Batches;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.peer.PeerMessage;
import io.paddock.protocol.txn.Txn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;

/**
 * What following and observing share: one learner session with the elected leader, the sync
 * ({@link LearnerSync} decides every step and when it may be acknowledged), then the broadcast
 * phase: txns are logged (grouped while one write is in flight), applied in zxid order when committed, local writes
 * are forwarded to the leader and answered when their txn is applied here, and the clients'
 * session activity is reported to the leader, which expires sessions.
 *
 * <p>Every message of the session travels on its link to the leader, numbered; a gap ends it, and so
 * does the link's end, a leader silent for initLimit ticks during sync or syncLimit ticks after
 * ({@link Silence}: time this node itself did not run does not count), or one found unreachable.
 */
abstract class Learner extends Role {
    sealed interface Command extends PeerCommand {
    }

    private enum Ping implements Command { INSTANCE }

    /** The leader has not answered FollowerInfo yet: it may not have been leading when it arrived. */
    private enum ResendFollowerInfo implements Command { INSTANCE }

    /** Sent to itself when a write waits to be forwarded: it arrives after the requests already queued. */
    private enum FlushForwards implements Command { INSTANCE }

    /** Learner session {@code session}'s link to the leader is open ({@code link}), or {@code ended} says why not. */
    private record LinkChanged(long session, LearnerLink.Link link, String ended) implements Command {
    }

    /** A log command of this session completed; {@code step} says which. */
    private record Persisted(long session, Step step, long value) implements Command {
    }

    private enum Step { ACCEPTED_EPOCH, CURRENT_EPOCH, TRUNCATED }

    /** The leader's image saved, or not, for the install of this session. */
    private record Installed(long session, TxnLog.SnapshotResult result) implements Command {
    }

    private static final long RESEND_MS = 500;

    /** Saving a large image takes longer: the same bound as the journal's calls (reference.conf). */
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);

    protected final long leader;
    private final boolean observer;
    private final SessionChannel.Outgoing out;
    private final SessionChannel.Incoming in;
    private LearnerSync sync;
    /** How long the leader has been silent: checked on every ping tick. */
    private final Silence leaderSilence;
    private LearnerMessage.FollowerInfo followerInfo;
    private boolean serving;
    /** A truncation or snapshot installation is in progress: durability reports wait for it. */
    private boolean rewriting;
    private final LocalWrites localWrites = new LocalWrites();

    static Behavior<PeerCommand> follow(PeerContext peer, long leader, boolean observer) {
        Learner learner = observer ? new Observing(peer, leader) : new Following(peer, leader);
        return learner.begin();
    }

    Learner(PeerContext peer, long leader, boolean observer) {
        super(peer);
        this.leader = leader;
        this.observer = observer;
        long session = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        this.out = new SessionChannel.Outgoing(session);
        this.in = new SessionChannel.Incoming(session);
        this.leaderSilence = new Silence(peer.server.sessions().now(), peer.server.config().tickTime());
        peer.server.zabPhase(ServerContext.ZabPhase.DISCOVERY, leader);
    }

    /** ZooKeeper's mode name for srvr/mntr. */
    abstract String mode();

    /** A txn message of the broadcast phase (after UpToDate). */
    abstract Behavior<PeerCommand> onBroadcast(LearnerMessage message);

    /** The log became durable up to {@code zxid} during the broadcast phase. */
    abstract void durableWhileServing(long zxid);

    private Behavior<PeerCommand> begin() {
        long session = out.session();
        peer.openLeaderLink(leader, session, (link, failure) -> new LinkChanged(session, link, failure == null ? null
            : "no learner link to the leader: " + failure.getMessage()),
            new LinkChanged(session, null, "the connection to the leader's process closed (it stopped or died)"));
        peer.timers.startTimerAtFixedRate(Ping.INSTANCE, Duration.ofMillis(Math.max(1, peer.server.config().tickTime() / 2)));
        return this;
    }

    private Behavior<PeerCommand> linkChanged(LinkChanged c) {
        if (c.session() != out.session()) {
            return this; // closed by the end of its session
        }
        if (c.link() == null) {
            return end(c.ended());
        }
        peer.leaderLink = c.link();
        return startSyncWhenReady();
    }

    /** Starts the sync once the link is open and the log drained (a session reports where the log durably ends). */
    private Behavior<PeerCommand> startSyncWhenReady() {
        boolean linked = peer.leaderLink != null && peer.leaderLink.session() == out.session();
        if (sync != null || !linked || !peer.logDrained()) {
            return this;
        }
        sync = new LearnerSync(peer.serverId(), out, observer, peer.acceptedEpoch, peer.currentEpoch, peer.lastLogged);
        peer.server.zabPhase(ServerContext.ZabPhase.SYNCHRONIZATION, leader);
        getContext().getLog().info("{} server {}: syncing from zxid 0x{} (session {})", observer ? "OBSERVING" : "FOLLOWING",
            leader, Long.toHexString(peer.lastLogged), out.session());
        return act(sync.start());
    }

    /** Pings the leader, and ends the session if the leader has been silent for initLimit (syncing) or syncLimit (serving) ticks. */
    private Behavior<PeerCommand> ping() {
        int ticks = serving ? peer.server.config().syncLimit() : peer.server.config().initLimit();
        long silent = leaderSilence.tick(peer.server.sessions().now());
        if (silent > (long) ticks * peer.server.config().tickTime()) {
            return end("the leader was silent for " + silent + " ms");
        }
        if (sync != null) {
            ping(peer.server.sessions().drainTouched());
        }
        return this;
    }

    @Override
    public Receive<PeerCommand> createReceive() {
        ReceiveBuilder<PeerCommand> b = newReceiveBuilder()
            .onMessage(QuorumPeer.Submit.class, s -> submit(s.request()))
            .onMessage(Persisted.class, this::persisted)
            .onMessage(LinkChanged.class, this::linkChanged)
            .onMessage(Installed.class, this::installed)
            .onMessageEquals(Ping.INSTANCE, this::ping)
            .onMessageEquals(FlushForwards.INSTANCE, this::flushForwards)
            .onMessageEquals(ResendFollowerInfo.INSTANCE, () -> {
                if (in.expectedSeq() == 1) {
                    peer.send(leader, followerInfo);
                } else {
                    peer.timers.cancel(ResendFollowerInfo.INSTANCE);
                }
                return this;
            });
        return shared(b).build();
    }

    private void send(LearnerMessage message) {
        if (message instanceof LearnerMessage.FollowerInfo info) {
            followerInfo = info;
            peer.timers.startTimerAtFixedRate(ResendFollowerInfo.INSTANCE, Duration.ofMillis(RESEND_MS));
        }
        peer.send(leader, message);
    }

    @Override
    Behavior<PeerCommand> onPeerMessage(PeerMessage message) {
        if (message instanceof LearnerMessage m && m.sender() != leader) {
            LearnerSync.notLeading(peer.serverId(), m, "it follows server " + leader).ifPresent(e -> peer.send(m.sender(), e));
            return this;
        }
        if (!(message instanceof LearnerMessage m) || sync == null) {
            return this;
        }
        SessionChannel.Verdict verdict = in.accept(m);
        if (verdict instanceof SessionChannel.ForeignSession) {
            return this; // a message of an earlier session, still on its way
        }
        if (verdict instanceof SessionChannel.Gap gap) {
            return end("message " + gap.expected() + " from the leader was lost (got " + gap.received() + ")");
        }
        leaderSilence.heard();
        if (m instanceof LearnerMessage.LeaderPing) {
            return this;
        }
        if (m instanceof LearnerMessage.EndSession e) {
            return end("the leader ended the session: " + e.reason());
        }
        if (m instanceof LearnerMessage.SyncDone done) {
            localWrites.syncDone(done.token(), done.zxid());
            answerAppliedSyncs();
            return this;
        }
        return serving ? onBroadcast(m) : act(sync.receive(m));
    }

    @Override
    Behavior<PeerCommand> onLogDurable(long zxid) {
        if (sync == null) {
            return startSyncWhenReady();
        }
        if (serving) {
            durableWhileServing(zxid);
            return this;
        }
        return rewriting ? this : act(sync.logged(Math.min(zxid, peer.lastLogged)));
    }

    @Override
    Behavior<PeerCommand> onReachability(long id, boolean reachable) {
        return id == leader && !reachable ? end("the leader became unreachable") : this;
    }

    /** The install of the leader's image completed: only then may the sync go on (and ack what it holds). */
    private Behavior<PeerCommand> installed(Installed i) {
        if (i.session() != out.session()) {
            return this;
        }
        if (!i.result().saved()) {
            return QuorumPeer.stop(peer, "the leader's snapshot could not be saved: " + i.result().error());
        }
        rewriting = false;
        peer.server.stats().snapshotStored(i.result().zxid());
        peer.logRewrittenTo(i.result().zxid());
        return act(sync.snapshotInstalled());
    }

    /** Carries out what the sync decided, in order. */
    private Behavior<PeerCommand> act(List<LearnerSync.Action> actions) {
        for (LearnerSync.Action a : actions) {
            if (a instanceof LearnerSync.Send s) {
                send(s.message());
            } else if (a instanceof LearnerSync.PersistAcceptedEpoch p) {
                persist(Step.ACCEPTED_EPOCH, r -> new TxnLog.AcceptEpoch(p.epoch(), r),
                    new Persisted(out.session(), Step.ACCEPTED_EPOCH, p.epoch()));
            } else if (a instanceof LearnerSync.PersistCurrentEpoch p) {
                persist(Step.CURRENT_EPOCH, r -> new TxnLog.SetCurrentEpoch(p.epoch(), r),
                    new Persisted(out.session(), Step.CURRENT_EPOCH, p.epoch()));
            } else if (a instanceof LearnerSync.Truncate t) {
                rewriting = true;
                peer.applier.logCutTo(t.toZxid());
                persist(Step.TRUNCATED, r -> new TxnLog.Truncate(t.toZxid(), r),
                    new Persisted(out.session(), Step.TRUNCATED, t.toZxid()));
            } else if (a instanceof LearnerSync.InstallSnapshot s) {
                installSnapshot(s.zxid(), s.image());
            } else if (a instanceof LearnerSync.Log l) {
                peer.unapplied.addAll(l.txns());
                peer.logTxns(l.txns());
            } else if (a instanceof LearnerSync.Apply ap) {
                applyUpTo(ap.upToZxid());
            } else if (a instanceof LearnerSync.StartServing s) {
                startServing(s.epoch());
            } else if (a instanceof LearnerSync.Fail f) {
                return end(f.reason());
            }
        }
        return this;
    }

    private Behavior<PeerCommand> persisted(Persisted p) {
        if (p.session() != out.session()) {
            return this;
        }
        switch (p.step()) {
            case ACCEPTED_EPOCH:
                peer.acceptedEpoch = p.value();
                return act(sync.acceptedEpochPersisted());
            case CURRENT_EPOCH:
                peer.currentEpoch = p.value();
                return act(sync.currentEpochPersisted());
            default:
                if (p.value() < peer.lastApplied()) {
                    // the tree shows txns that never committed (recovery applies the whole log): rebuild
                    // it from the snapshot and the log as they are now
                    peer.closeLeaderLink();
                    throw new RestartRequested("the log was truncated to " + Zxid.toHex(p.value())
                        + " below the applied zxid " + Zxid.toHex(peer.lastApplied()));
                }
                rewriting = false;
                peer.logRewrittenTo(p.value());
                return act(sync.truncated());
        }
    }

    /** The leader's tree replaces this node's; the log is cut to it and the image saved as a snapshot. */
    private void installSnapshot(long zxid, List<byte[]> image) {
        DataTree tree = peer.installTree(image);
        rewriting = true;
        // replaces the whole log, txns above zxid included; answered to this session alone (not taken for a snapshot of its own)
        long session = out.session();
        getContext().ask(TxnLog.SnapshotResult.class, peer.log, INSTALL_TIMEOUT,
            r -> new TxnLog.InstallSnapshot(zxid, image, r), (result, failure) -> {
                if (failure != null) {
                    throw new IllegalStateException("the transaction log did not install the leader's snapshot: " + failure);
                }
                return new Installed(session, result);
            });
        getContext().getLog().info("installed the leader's snapshot at zxid {} ({} znodes)", Zxid.toHex(zxid), tree.nodeCount());
    }

    private void startServing(long epoch) {
        serving = true;
        // the sessions a client may resume here are exactly the synced tree's: not one this node marked
        // closing while it led (a close never committed), nor one a truncated or replaced tree lacks
        peer.server.sessions().resetTo(peer.server.tree().sessions());
        peer.server.serve(mode(), r -> getContext().getSelf().tell(new QuorumPeer.Submit(r)), epoch);
        peer.ready.complete(Done.getInstance());
        startPurging();
        getContext().getLog().info("{} server {} in epoch {}, serving clients from zxid {}", mode().toUpperCase(),
            leader, epoch, Zxid.toHex(peer.lastApplied()));
    }

    /** Applies every txn this node holds up to {@code zxid}, answering the local clients whose writes they are. */
    void applyUpTo(long zxid) {
        List<Applier.Committed> batch = new ArrayList<>();
        while (!peer.unapplied.isEmpty() && peer.unapplied.peek().zxid() <= zxid) {
            Txn txn = peer.unapplied.poll();
            if (txn.zxid() > peer.lastApplied()) {
                batch.add(new Applier.Committed(txn, localWrites.matching(txn)));
            }
        }
        peer.applier.apply(batch);
        answerAppliedSyncs();
    }

    private Behavior<PeerCommand> submit(Request r) {
        if (!serving) {
            return this; // its connection is being closed
        }
        if (r.op() == OpCode.SYNC || r.op() == RequestPreparer.REVALIDATE) {
            long token = r.op() == OpCode.SYNC ? localWrites.sync(r) : localWrites.revalidate(r);
            flushForwards(); // the leader sees the sync after the writes that came before it
            send(new LearnerMessage.SyncRequest(peer.serverId(), out.session(), out.next(), token));
        } else if (localWrites.write(r)) {
            getContext().getSelf().tell(FlushForwards.INSTANCE);
        }
        return this;
    }

    /** Forwards the waiting writes in as few ForwardRequests as fit the peer frame. */
    private Behavior<PeerCommand> flushForwards() {
        for (List<LearnerMessage.Forwarded> part : localWrites.drain(peer.batchBudget())) {
            if (serving) {
                send(new LearnerMessage.ForwardRequest(peer.serverId(), out.session(), out.next(), part));
            }
        }
        return this;
    }

    /** Liveness, with the sessions this node's clients touched, in pings that each fit the peer frame. */
    private void ping(List<Long> touched) {
        List<List<Long>> parts = Batches.split(touched, id -> PeerFrames.SESSION_TOUCH, peer.batchBudget());
        for (List<Long> part : parts.isEmpty() ? List.of(touched) : parts) {
            send(new LearnerMessage.LearnerPing(peer.serverId(), out.session(), out.next(), part));
        }
    }

    private void answerAppliedSyncs() {
        for (Request r : localWrites.syncsApplied(peer.lastApplied())) {
            if (r.origin() != null) {
                r.origin().applied(r, null, ApplyResult.OK);
            }
        }
    }

    Behavior<PeerCommand> end(String why) {
        if (sync != null) {
            send(new LearnerMessage.EndSession(peer.serverId(), out.session(), out.next(), why));
        }
        peer.closeLeaderLink();
        getContext().getLog().info("learner session with server {} ended: {}", leader, why);
        return Looking.start(peer, why);
    }

    long session() {
        return out.session();
    }

    long nextSeq() {
        return out.next();
    }
}
