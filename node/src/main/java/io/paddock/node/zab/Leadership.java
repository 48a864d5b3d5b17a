package io.paddock.node.zab;

import io.paddock.persistence.HistoryWindow;
import io.paddock.persistence.RecentTxns;
import io.paddock.protocol.Batches;
import io.paddock.protocol.ByteParts;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.LearnerMessage.FollowerInfo;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.txn.Txn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's side of ZAB, from its election to its step-down, as ZooKeeper's Leader and its
 * LearnerHandlers: each input returns the actions to take, in order, and reads no clock (ticks
 * carry the time). {@code R} is the driver's request, carried from a proposal to its commit.
 * <ol>
 *   <li>Discovery ({@link EpochNegotiation}) starts once the driver reports its log drained
 *       ({@link #start}); FollowerInfos that come earlier wait for it.</li>
 *   <li>When discovery is done the new epoch is made current ({@link PersistCurrentEpoch}) and
 *       the history read ({@link ReadHistory}); each learner that acked the epoch is synced from
 *       it (DIFF, TRUNC + DIFF or SNAP, as {@link SyncPlanner} decides), gets NEWLEADER, and from
 *       then on every new proposal. A SNAP waits for its image, which the driver serializes off
 *       its thread ({@link SerializeImage}, then {@link #imageReady}); the txns proposed meanwhile
 *       follow the image in the DIFF.</li>
 *   <li>Once the epoch is current here and a quorum of voters, this node included, has acked
 *       NEWLEADER, the whole history is committed: {@link Established}.</li>
 *   <li>Broadcast: a proposal ({@link #propose}) waits in the unsent batch, which the driver
 *       flushes when the requests already queued are in ({@link FlushLater}, then
 *       {@link #flush()}): one {@link Log} and, per follower, the txns it lacks in as few Proposal
 *       messages as fit a peer frame. A txn commits once a quorum of voters has it durable
 *       (cumulative acks, this node's own log included: {@link #logDurable}); commits are applied
 *       in zxid order ({@link Apply}), announced (Commit, or Inform to observers), and syncs
 *       queued behind them answered.</li>
 *   <li>Liveness ({@link #tick}): a learner silent for syncLimit ticks (initLimit while it
 *       syncs) loses its session; the leader steps down when no quorum of synced followers has
 *       been heard for syncLimit ticks ({@link Silence}: a stall of this node is not their
 *       silence).</li>
 * </ol>
 * {@link StepDown} ends it: the uncommitted proposals go back to the driver, for the next leader to
 * decide on. A standalone server ({@link #standalone}) is a quorum of one that establishes as soon
 * as its epoch is current.
 */
public final class Leadership<R> {
    /** What the driver must do next, in list order. */
    public sealed interface Action<R> {
    }

    /** Send {@code message} to learner {@code to} (already numbered in its session). */
    public record Send<R>(long to, LearnerMessage message) implements Action<R> {
    }

    /** Persist {@code epoch} as the accepted epoch; report with {@link #acceptedEpochPersisted()}. */
    public record PersistAcceptedEpoch<R>(long epoch) implements Action<R> {
    }

    /** Persist {@code epoch} as the current epoch; report with {@link #currentEpochPersisted()}. */
    public record PersistCurrentEpoch<R>(long epoch) implements Action<R> {
    }

    /**
     * Serialize the applied tree for learner {@code learner}'s SNAP in its session {@code session},
     * off the role's thread: report with {@link #imageReady} (or {@link #imageFailed}). Meanwhile the
     * history keeps every txn, so that the DIFF after the image has no gap.
     */
    public record SerializeImage<R>(long learner, long session) implements Action<R> {
    }

    /** Read the log's recent txns; report with {@link #historyRead}. */
    public record ReadHistory<R>() implements Action<R> {
    }

    /** Append {@code txns} to the log; report durability with {@link #logDurable}. */
    public record Log<R>(List<Txn> txns) implements Action<R> {
    }

    /** Proposals wait to go out: call {@link #flush()} after the requests already queued. */
    public record FlushLater<R>() implements Action<R> {
    }

    /** The epoch is established: everything up to {@code zxid} is committed; apply it and serve. */
    public record Established<R>(long epoch, long zxid, int syncedLearners) implements Action<R> {
    }

    /** Apply these committed proposals, in order, and answer their requests. */
    public record Apply<R>(List<Proposed<R>> committed) implements Action<R> {
    }

    /** Answer a sync of this node's client: everything proposed before it is applied. */
    public record AnswerSync<R>(R request) implements Action<R> {
    }

    /** Writes a learner forwarded for its clients: prepare and {@link #propose} (or {@link #sync}) each. */
    public record Forward<R>(long learner, List<LearnerMessage.Forwarded> requests) implements Action<R> {
    }

    /** A learner reports its clients' activity in these sessions. */
    public record TouchSessions<R>(List<Long> sessions) implements Action<R> {
    }

    /** Learner {@code learner}'s sync went out: {@code plan}, with {@code txns} txns, up to {@code upTo}. */
    public record Synced<R>(long learner, SyncPlanner.Plan plan, long fromZxid, int txns, long upTo)
        implements Action<R> {
    }

    /** Learner {@code learner}'s session {@code session} ended ({@code byLearner}: it said so). */
    public record LinkEnded<R>(long learner, long session, String reason, boolean byLearner) implements Action<R> {
    }

    /** Leave leadership: {@code uncommitted} stay in the log, for the next leader to decide on. */
    public record StepDown<R>(String reason, List<Txn> uncommitted) implements Action<R> {
    }

    /** A proposal and the request it came from (null for the leader's own). */
    public record Proposed<R>(Txn txn, R request) {
    }

    /**
     * The tree as applied, for a SNAP: its image in parts (the node's are a G1 region each: one
     * array of hundreds of MB would hold the whole JVM at a safepoint while it is allocated).
     */
    public record Image(long zxid, List<byte[]> parts) {
        public Image(long zxid, byte[] bytes) {
            this(zxid, List.of(bytes));
        }
    }

    /**
     * @param tickMillis     tickTime
     * @param syncLimit      ticks a synced learner may be silent
     * @param initLimit      ticks a syncing learner may be silent
     * @param maxBuffer      jute.maxbuffer: bounds every message by the peer frame
     * @param window         the history kept for DIFF syncs
     * @param maxZxidCounter the largest zxid counter of an epoch (tests lower it)
     * @param maxUnackedBytes bytes of proposals a follower may have unacked (see {@link #MAX_UNACKED})
     */
    public record Settings(long tickMillis, int syncLimit, int initLimit, int maxBuffer, HistoryWindow window,
                           long maxZxidCounter, long maxUnackedBytes) {
    }

    /**
     * Proposals a follower may have unacked, as long as their bytes stay within
     * {@link Settings#maxUnackedBytes}, before it counts as too far behind and its session ends: what
     * it has not acked waits in the leader's queue for its link and in its own log's queue, and a
     * follower whose disk is slow or stuck must not fill either heap.
     */
    static final long MAX_UNACKED = 50_000;

    /** What the leader keeps of one learner session. */
    private static final class Link {
        final long id;
        final boolean observer;
        final SessionChannel.Outgoing out;
        final SessionChannel.Incoming in;
        final Silence silence;
        /** It acked NEWLEADER. */
        boolean synced;
        /** Its sync went out: every later proposal and commit goes to it too. */
        boolean forwarding;
        /** Its SNAP waits for the image ({@link SerializeImage}), from the learner's {@code snapFrom}. */
        boolean awaitingImage;
        long snapFrom;
        long sent;
        long acked;
        /** Proposals sent and not acked, oldest first: the last zxid, the txns and the bytes of each message. */
        private final ArrayDeque<long[]> unacked = new ArrayDeque<>();
        private long unackedTxns;
        private long unackedBytes;

        Link(FollowerInfo info, long now, long maxStep) {
            this.id = info.sender();
            this.observer = info.observer();
            this.out = new SessionChannel.Outgoing(info.session());
            this.in = new SessionChannel.Incoming(info.session());
            this.silence = new Silence(now, maxStep);
        }

        void acked(long upTo) {
            acked = Math.max(acked, upTo);
            while (!unacked.isEmpty() && unacked.peek()[0] <= upTo) {
                long[] m = unacked.poll();
                unackedTxns -= m[1];
                unackedBytes -= m[2];
            }
        }

        void proposalSent(Part part) {
            List<Txn> txns = part.txns();
            unacked.add(new long[] {txns.get(txns.size() - 1).zxid(), txns.size(), part.bytes()});
            unackedTxns += txns.size();
            unackedBytes += part.bytes();
        }

        /**
         * Why {@code more} proposals would put it too far behind, or null. Once it has acked everything
         * it gets the next batch whatever its bytes, so that a bound below one batch cannot stall it.
         */
        String tooFarBehind(List<Part> more, Settings settings) {
            if (unackedTxns + more.stream().mapToLong(p -> p.txns().size()).sum() > MAX_UNACKED) {
                return "more than " + MAX_UNACKED + " proposals unacked";
            }
            return unackedTxns > 0 && unackedBytes + more.stream().mapToLong(Part::bytes).sum() > settings.maxUnackedBytes()
                ? "more than " + settings.maxUnackedBytes() + " bytes of proposals unacked" : null;
        }
    }

    /** One Proposal's txns and their bytes ({@link PeerFrames#size}), counted once for all the followers it goes to. */
    private record Part(List<Txn> txns, long bytes) {
    }

    /** In zxid order: proposals awaiting their commit, and syncs awaiting everything proposed before them. */
    private sealed interface Pending {
    }

    private record Outstanding<R>(Proposed<R> proposed) implements Pending {
    }

    /**
     * A sync: {@code local} for a client of this node, else {@code learner}'s, with its {@code token}
     * in learner session {@code session} (tokens start again in every session).
     */
    private record SyncMark<R>(R local, long learner, long session, long token) implements Pending {
        boolean fromLearner() {
            return local == null;
        }
    }

    private final long selfId;
    private final QuorumVerifier verifier;
    private final Settings settings;
    private final boolean elected;
    private final Map<Long, Link> links = new LinkedHashMap<>();
    private final ArrayDeque<Pending> outstanding = new ArrayDeque<>();
    /** Proposed, but not yet logged nor sent (see {@link FlushLater}). */
    private final List<Txn> unsent = new ArrayList<>();
    /** Learners synced and forwarded every proposal: DIFF-able history, committed and outstanding; null until read. */
    private RecentTxns history;
    /** SerializeImage actions not yet reported: the history is not trimmed while any is out. */
    private int imagesSerializing;
    private final List<long[]> syncsAwaitingHistory = new ArrayList<>();
    private final List<FollowerInfo> infosAwaitingStart = new ArrayList<>();
    /** The voters that acked NEWLEADER, this node included once its epoch is current. */
    private final Set<Long> newLeaderAcks = new HashSet<>();
    private EpochNegotiation negotiation;
    private ProposalTracker proposals;
    private long epoch;
    private boolean epochCurrent;
    private boolean established;
    private boolean steppedDown;
    /** The history at election (standalone: the applied tree): committed once a quorum acks NEWLEADER. */
    private long establishZxid;
    private long lastCommitted;
    private long counter;
    /** How long no quorum of synced followers has been heard from; null until established. */
    private Silence quorumSilence;
    /** The syncs in {@link #outstanding}, waiting for the proposals before them. */
    private int pendingSyncs;
    private List<Action<R>> actions = new ArrayList<>();

    private Leadership(long selfId, QuorumVerifier verifier, Settings settings, boolean elected) {
        this.selfId = selfId;
        this.verifier = verifier;
        this.settings = settings;
        this.elected = elected;
    }

    /** Elected by the ensemble: discovery starts with {@link #start}. */
    public static <R> Leadership<R> elected(long selfId, QuorumVerifier verifier, Settings settings) {
        return new Leadership<>(selfId, verifier, settings, true);
    }

    /**
     * A standalone server leads a quorum of one in {@code epoch}, from its applied tree at
     * {@code applied}: the epoch is made durable before anything is proposed in it
     * (ZOOKEEPER-1282/1291), and then it is established.
     */
    public static <R> Leadership<R> standalone(long selfId, Settings settings, long epoch, long applied) {
        Leadership<R> l = new Leadership<>(selfId, new QuorumVerifier(List.of(selfId)), settings, false);
        l.epoch = epoch;
        l.establishZxid = applied;
        l.history = new RecentTxns(List.of(), applied);
        l.proposals = new ProposalTracker(l.verifier, applied);
        return l;
    }

    /** The standalone's first actions: persist its epoch, accepted then current. */
    public List<Action<R>> startStandalone() {
        emit(new PersistAcceptedEpoch<>(epoch));
        emit(new PersistCurrentEpoch<>(epoch));
        return done();
    }

    // ---------------------------------------------------------------- discovery and sync

    /** The log is drained: it durably ends at {@code lastLogged}. Discovery starts. */
    public List<Action<R>> start(long acceptedEpoch, long currentEpoch, long lastLogged) {
        if (started() || steppedDown) {
            return done();
        }
        negotiation = new EpochNegotiation(selfId, verifier, acceptedEpoch, currentEpoch, lastLogged);
        negotiate(negotiation.start());
        for (FollowerInfo info : infosAwaitingStart) {
            if (!steppedDown) {
                negotiate(negotiation.followerInfo(info.sender(), info.acceptedEpoch()));
            }
        }
        infosAwaitingStart.clear();
        return done();
    }

    /** Whether discovery has started (see {@link #start}); a standalone has none to start. */
    public boolean started() {
        return negotiation != null || !elected;
    }

    public List<Action<R>> acceptedEpochPersisted() {
        if (negotiation != null && !steppedDown) {
            negotiate(negotiation.acceptedEpochPersisted());
        }
        return done();
    }

    public List<Action<R>> currentEpochPersisted() {
        epochCurrent = true;
        if (!elected) {
            establish();
        } else {
            tryEstablish();
        }
        return done();
    }

    /**
     * The log's ring of recent txns was read: {@code ring}, every logged txn above {@code floor} up to
     * {@code lastZxid}, the history at election. {@code applied} is what the tree shows and
     * {@code unapplied} what this node logged above it, in zxid order. When the ring no longer reaches
     * back to the tree (this node logged more txns than the ring keeps without applying them: a
     * follower whose commits lagged, now elected), a SNAP of the tree plus the ring would leave a gap,
     * so the history is every logged txn above the tree, which {@code unapplied} holds.
     */
    public List<Action<R>> historyRead(List<Txn> ring, long floor, long lastZxid, long applied, Deque<Txn> unapplied) {
        if (floor <= applied) {
            history = new RecentTxns(ring, floor);
        } else if (!unapplied.isEmpty() && unapplied.peekLast().zxid() == lastZxid && unapplied.peekFirst().zxid() > applied) {
            history = new RecentTxns(List.copyOf(unapplied), applied);
        } else {
            throw new IllegalStateException("the txns logged above the applied zxid " + Zxid.toHex(applied)
                + " are not all known: the log's ring starts above " + Zxid.toHex(floor)
                + " and ends at " + Zxid.toHex(lastZxid));
        }
        establishZxid = lastZxid;
        proposals = new ProposalTracker(verifier, applied);
        if (establishZxid > applied) {
            proposals.propose(establishZxid);
        }
        for (long[] s : syncsAwaitingHistory) {
            syncLearner(s[0], s[1]);
        }
        syncsAwaitingHistory.clear();
        tryEstablish();
        return done();
    }

    private void negotiate(List<EpochNegotiation.Action> steps) {
        for (EpochNegotiation.Action a : steps) {
            if (a instanceof EpochNegotiation.PersistAcceptedEpoch p) {
                emit(new PersistAcceptedEpoch<>(p.epoch()));
            } else if (a instanceof EpochNegotiation.SendLeaderInfo s) {
                Link link = links.get(s.to());
                if (link != null) {
                    send(link, new LearnerMessage.LeaderInfo(selfId, link.out.session(), link.out.next(), s.newEpoch()));
                }
            } else if (a instanceof EpochNegotiation.DiscoveryDone d) {
                epoch = d.newEpoch();
                emit(new PersistCurrentEpoch<>(epoch));
                emit(new ReadHistory<>());
            } else if (a instanceof EpochNegotiation.StartSync s) {
                if (history != null) {
                    syncLearner(s.learner(), s.lastZxid());
                } else {
                    syncsAwaitingHistory.add(new long[] {s.learner(), s.lastZxid()});
                }
            } else if (a instanceof EpochNegotiation.StepDown s) {
                stepDownNow(s.reason());
                return;
            }
        }
    }

    private void followerInfo(FollowerInfo info, long now) {
        Link old = links.get(info.sender());
        if (old != null && old.in.session() == info.session()) {
            return; // the learner resent it before our answer arrived
        }
        if (old != null) {
            forget(old); // a new session replaces the old one
        }
        Link link = new Link(info, now, settings.tickMillis());
        link.in.accept(info);
        links.put(link.id, link);
        if (negotiation == null) {
            infosAwaitingStart.add(info);
        } else {
            negotiate(negotiation.followerInfo(info.sender(), info.acceptedEpoch()));
        }
    }

    /** Sends the learner what it lacks, then NEWLEADER; from now on it also gets every new proposal. */
    private void syncLearner(long id, long learnerZxid) {
        Link link = links.get(id);
        if (link == null) {
            return;
        }
        long upTo = syncPoint(link);
        List<Txn> held = history.upTo(upTo);
        SyncPlanner.Plan plan = SyncPlanner.plan(new SyncPlanner.History(history.floor(), upTo, held), learnerZxid);
        List<Txn> txns;
        if (plan instanceof SyncPlanner.Diff d) {
            txns = d.txns();
        } else if (plan instanceof SyncPlanner.TruncThenDiff t) {
            send(link, new LearnerMessage.Trunc(selfId, link.out.session(), link.out.next(), t.truncateTo()));
            txns = t.txns();
        } else {
            // serializing a large tree takes seconds: not on the thread that commits everyone's writes
            link.awaitingImage = true;
            link.snapFrom = learnerZxid;
            imagesSerializing++;
            emit(new SerializeImage<>(id, link.out.session()));
            return;
        }
        List<List<Txn>> parts = inMessages(txns);
        if (parts.isEmpty() && plan instanceof SyncPlanner.Diff) {
            parts = List.of(List.of()); // a sync opens with a Diff even when there is nothing to send
        }
        finishSync(link, plan, learnerZxid, parts, txns.size(), upTo);
    }

    /** Where a learner's sync ends: what it will have been sent once NEWLEADER goes out. */
    private long syncPoint(Link link) {
        return !established ? establishZxid : link.observer ? lastCommitted : proposals.lastProposed();
    }

    private void finishSync(Link link, SyncPlanner.Plan plan, long learnerZxid, List<List<Txn>> diffs, int txns, long upTo) {
        for (List<Txn> part : diffs) {
            send(link, new LearnerMessage.Diff(selfId, link.out.session(), link.out.next(), part));
        }
        send(link, new LearnerMessage.NewLeader(selfId, link.out.session(), link.out.next(), epoch, upTo));
        link.sent = upTo;
        link.forwarding = true;
        emit(new Synced<>(link.id, plan, learnerZxid, txns, upTo));
    }

    /**
     * The applied tree's image for learner {@code learner}'s SNAP ({@link SerializeImage}) is ready:
     * the SNAP goes out, then the txns proposed after the image, then NEWLEADER. Ignored when that
     * learner session has ended meanwhile.
     */
    public List<Action<R>> imageReady(long learner, long session, Image image) {
        Link link = imageReported(learner, session);
        if (link == null) {
            return done();
        }
        if (history.floor() > image.zxid()) {
            // the DIFF after the image starts at the floor: txns between them would be missing
            throw new IllegalStateException("a SNAP at " + Zxid.toHex(image.zxid()) + " cannot be followed by the"
                + " history, which starts above " + Zxid.toHex(history.floor()));
        }
        long upTo = syncPoint(link);
        List<Txn> txns = history.upTo(upTo).stream().filter(t -> t.zxid() > image.zxid()).toList();
        sendSnapshot(link, image);
        finishSync(link, new SyncPlanner.Snap(), link.snapFrom, inMessages(txns), txns.size(), upTo);
        return done();
    }

    /** The image for learner {@code learner}'s SNAP could not be made: its session ends, and it will try again. */
    public List<Action<R>> imageFailed(long learner, long session, String why) {
        Link link = imageReported(learner, session);
        if (link != null) {
            dropLink(link, "its SNAP image could not be serialized: " + why);
        }
        return done();
    }

    /** The link still waiting for this image, or null. */
    private Link imageReported(long learner, long session) {
        imagesSerializing--;
        Link link = links.get(learner);
        if (steppedDown || link == null || link.out.session() != session || !link.awaitingImage) {
            return null;
        }
        link.awaitingImage = false;
        return link;
    }

    /** The image in SnapParts of at most jute.maxbuffer bytes, so that no message outgrows the peer frame. */
    private void sendSnapshot(Link link, Image image) {
        List<byte[]> messages = ByteParts.recut(image.parts(), settings.maxBuffer()); // never none: an image has a header
        for (int i = 0; i < messages.size(); i++) {
            send(link, new LearnerMessage.SnapPart(selfId, link.out.session(), link.out.next(), image.zxid(), i,
                messages.size(), messages.get(i)));
        }
    }

    private void ackNewLeader(Link link, long lastZxid) {
        link.synced = true;
        link.acked(lastZxid);
        if (established) {
            // counted first, so that UpToDate carries the commit point this very ack may have moved; the
            // learner applies the greatest commit point it knows either way (LearnerSyncTest)
            if (!link.observer) {
                commit(proposals.ack(link.id, lastZxid));
            }
            send(link, new LearnerMessage.UpToDate(selfId, link.out.session(), link.out.next(), lastCommitted));
            return;
        }
        if (!link.observer) {
            proposals.ack(link.id, lastZxid);
            newLeaderAcks.add(link.id);
        }
        tryEstablish();
    }

    /**
     * Once the epoch is current here and a quorum of voters (this node included) has acked
     * NEWLEADER, the quorum holds the whole history and has made the epoch current: the history
     * is committed. (Even an empty history needs the quorum: it is how the epoch takes hold.)
     */
    private void tryEstablish() {
        if (established || steppedDown || !epochCurrent || history == null) {
            return;
        }
        proposals.ack(selfId, establishZxid);
        newLeaderAcks.add(selfId);
        if (verifier.containsQuorum(newLeaderAcks)) {
            establish();
        }
    }

    private void establish() {
        established = true;
        lastCommitted = establishZxid;
        int synced = (int) links.values().stream().filter(l -> l.synced).count();
        emit(new Established<>(epoch, establishZxid, synced));
        for (Link link : links.values()) {
            if (link.synced) {
                send(link, new LearnerMessage.UpToDate(selfId, link.out.session(), link.out.next(), lastCommitted));
            }
        }
    }

    // ---------------------------------------------------------------- learner messages and liveness

    /** A message from a learner, at {@code now} (a monotonic clock, ms). */
    public List<Action<R>> learnerMessage(LearnerMessage m, long now) {
        if (steppedDown) {
            return done();
        }
        if (m instanceof FollowerInfo info) {
            followerInfo(info, now);
            return done();
        }
        Link link = links.get(m.sender());
        if (link == null) {
            return done();
        }
        SessionChannel.Verdict verdict = link.in.accept(m);
        if (verdict instanceof SessionChannel.ForeignSession) {
            return done();
        }
        if (verdict instanceof SessionChannel.Gap gap) {
            dropLink(link, "message " + gap.expected() + " was lost (got " + gap.received() + ")");
            return done();
        }
        link.silence.heard();
        if (m instanceof LearnerMessage.AckEpoch a) {
            if (negotiation != null) {
                negotiate(negotiation.ackEpoch(link.id, a.currentEpoch(), a.lastZxid()));
            }
        } else if (m instanceof LearnerMessage.AckNewLeader a) {
            ackNewLeader(link, a.lastZxid());
        } else if (m instanceof LearnerMessage.Ack a) {
            if (proposals == null) {
                return done(); // no sync went out yet: nothing it could ack
            }
            link.acked(a.upToZxid());
            commit(proposals.ack(link.id, a.upToZxid()));
        } else if (m instanceof LearnerMessage.ForwardRequest f) {
            if (established) {
                emit(new Forward<>(link.id, f.requests()));
            }
        } else if (m instanceof LearnerMessage.SyncRequest s) {
            if (established) {
                sync(new SyncMark<R>(null, link.id, link.out.session(), s.token()));
            }
        } else if (m instanceof LearnerMessage.LearnerPing p) {
            emit(new TouchSessions<>(p.touchedSessions()));
        } else if (m instanceof LearnerMessage.EndSession e) {
            forget(link);
            emit(new LinkEnded<>(link.id, link.out.session(), e.reason(), true));
        }
        return done();
    }

    /**
     * The periodic check at {@code now} (every half tick): pings every learner, ends the sessions
     * of silent ones, and steps down without a quorum of synced followers heard.
     */
    public List<Action<R>> tick(long now) {
        if (steppedDown) {
            return done();
        }
        long syncWindow = settings.syncLimit() * settings.tickMillis();
        long initWindow = settings.initLimit() * settings.tickMillis();
        Set<Long> heard = new HashSet<>();
        heard.add(selfId);
        for (Link link : List.copyOf(links.values())) {
            long silent = link.silence.tick(now);
            if (silent > (link.synced ? syncWindow : initWindow)) {
                dropLink(link, "silent for " + silent + " ms");
                continue;
            }
            send(link, new LearnerMessage.LeaderPing(selfId, link.out.session(), link.out.next()));
            if (link.synced && silent <= syncWindow) {
                heard.add(link.id);
            }
        }
        if (!established) {
            return done();
        }
        if (quorumSilence == null) {
            quorumSilence = new Silence(now, settings.tickMillis());
        }
        if (verifier.containsQuorum(heard)) {
            quorumSilence.heard();
        }
        long silent = quorumSilence.tick(now);
        if (silent > syncWindow) {
            stepDownNow("no quorum of synced followers heard for " + silent + " ms");
        }
        return done();
    }

    /** The cluster's failure detector finds learner {@code id}'s node unreachable. */
    public List<Action<R>> unreachable(long id) {
        Link link = links.get(id);
        if (link != null && !steppedDown) {
            dropLink(link, "unreachable");
        }
        return done();
    }

    /**
     * The connection of learner {@code id}'s session {@code session} ended: its process is gone or
     * it left. Its session ends now rather than after syncLimit ticks of silence.
     */
    public List<Action<R>> linkEnded(long id, long session) {
        Link link = links.get(id);
        if (link != null && link.out.session() == session && !steppedDown) {
            dropLink(link, "its connection closed");
        }
        return done();
    }

    /** initLimit ticks after the election: without an established epoch, the leader steps down. */
    public List<Action<R>> establishTimeout() {
        if (!established && !steppedDown) {
            stepDownNow("no quorum synced within initLimit ticks");
        }
        return done();
    }

    /** Leaves leadership: what is proposed but not committed stays in the log, for the next leader to decide. */
    public List<Action<R>> stepDown(String why) {
        if (!steppedDown) {
            stepDownNow(why);
        }
        return done();
    }

    private void stepDownNow(String why) {
        flushUnsent(); // into the log: the next leader decides on them like on any uncommitted proposal
        for (Link link : List.copyOf(links.values())) {
            dropLink(link, "the leader steps down: " + why);
        }
        List<Txn> uncommitted = new ArrayList<>();
        for (Pending p : outstanding) {
            if (p instanceof Outstanding<?> o) {
                uncommitted.add(o.proposed().txn());
            }
        }
        outstanding.clear();
        pendingSyncs = 0;
        steppedDown = true;
        emit(new StepDown<>(why, uncommitted));
    }

    /** Ends a learner's session; it will look for the leader again and re-sync. */
    private void dropLink(Link link, String reason) {
        send(link, new LearnerMessage.EndSession(selfId, link.out.session(), link.out.next(), reason));
        forget(link);
        emit(new LinkEnded<>(link.id, link.out.session(), reason, false));
    }

    private void forget(Link link) {
        links.remove(link.id);
        newLeaderAcks.remove(link.id);
        if (proposals != null) {
            proposals.forget(link.id);
        }
    }

    // ---------------------------------------------------------------- broadcast

    /** Whether this epoch's zxids are used up: the next write makes the leader step down (a new epoch is needed). */
    public boolean exhausted() {
        return counter >= settings.maxZxidCounter();
    }

    /** The zxid the next proposal must carry. */
    public long nextZxid() {
        if (!established || exhausted()) {
            throw new IllegalStateException("no zxid to propose with: " + (established ? "the epoch is exhausted"
                : "the epoch is not established"));
        }
        return Zxid.make(epoch, counter + 1);
    }

    /** Proposes {@code txn}, which carries {@link #nextZxid()}, for {@code request}. */
    public List<Action<R>> propose(Txn txn, R request) {
        if (txn.zxid() != nextZxid()) {
            throw new IllegalArgumentException("proposal " + Zxid.toHex(txn.zxid()) + " is not the next zxid "
                + Zxid.toHex(nextZxid()));
        }
        counter++;
        proposals.propose(txn.zxid());
        outstanding.add(new Outstanding<>(new Proposed<>(txn, request)));
        history.add(txn);
        if (unsent.isEmpty()) {
            emit(new FlushLater<>());
        }
        unsent.add(txn);
        return done();
    }

    /** A sync of this node's client: answered once everything proposed before it is applied. */
    public List<Action<R>> sync(R request) {
        java.util.Objects.requireNonNull(request, "request");
        if (!steppedDown) {
            sync(new SyncMark<>(request, 0, 0, 0));
        }
        return done();
    }

    private void sync(SyncMark<R> mark) {
        if (outstanding.isEmpty()) {
            answer(mark);
        } else {
            outstanding.add(mark);
            pendingSyncs++;
        }
    }

    /** Logs the waiting proposals as one batch and sends each follower those it lacks. */
    public List<Action<R>> flush() {
        if (!steppedDown) {
            flushUnsent();
        }
        return done();
    }

    private void flushUnsent() {
        if (unsent.isEmpty()) {
            return;
        }
        List<Txn> batch = List.copyOf(unsent);
        unsent.clear();
        emit(new Log<>(batch));
        long last = batch.get(batch.size() - 1).zxid();
        List<Part> whole = null;
        for (Link link : List.copyOf(links.values())) {
            if (!link.forwarding || link.observer || link.sent >= last) {
                continue;
            }
            long sent = link.sent;
            List<Part> parts;
            if (sent < batch.get(0).zxid()) {
                whole = whole == null ? proposalParts(batch) : whole;
                parts = whole;
            } else {
                // a learner synced since these were proposed got the first of them in its DIFF
                parts = proposalParts(batch.stream().filter(t -> t.zxid() > sent).toList());
            }
            String behind = link.tooFarBehind(parts, settings);
            if (behind != null) {
                dropLink(link, behind);
                continue;
            }
            for (Part part : parts) {
                send(link, new LearnerMessage.Proposal(selfId, link.out.session(), link.out.next(), part.txns()));
                link.proposalSent(part);
            }
            link.sent = last;
        }
    }

    private List<Part> proposalParts(List<Txn> txns) {
        return inMessages(txns).stream().map(p -> new Part(p, p.stream().mapToLong(PeerFrames::size).sum())).toList();
    }

    /** This node's own log is durable up to {@code zxid}: it counts as this node's ack. */
    public List<Action<R>> logDurable(long zxid) {
        if (established && !steppedDown) {
            commit(proposals.ack(selfId, zxid));
        }
        return done();
    }

    /** Applies and announces everything up to {@code committed}, and answers the syncs that waited for it. */
    private void commit(long committed) {
        List<Proposed<R>> batch = new ArrayList<>();
        while (!outstanding.isEmpty()) {
            Pending p = outstanding.peek();
            if (p instanceof Outstanding<?> o) {
                @SuppressWarnings("unchecked")
                Proposed<R> proposed = (Proposed<R>) o.proposed();
                if (proposed.txn().zxid() > committed) {
                    break;
                }
                batch.add(proposed);
            } else {
                announce(batch);
                batch = new ArrayList<>();
                @SuppressWarnings("unchecked")
                SyncMark<R> mark = (SyncMark<R>) p;
                pendingSyncs--;
                answer(mark);
            }
            outstanding.poll();
        }
        announce(batch);
    }

    private void announce(List<Proposed<R>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        emit(new Apply<>(batch));
        lastCommitted = batch.get(batch.size() - 1).txn().zxid();
        List<List<Txn>> informs = null;
        for (Link link : links.values()) {
            if (!link.forwarding) {
                continue;
            }
            if (link.observer) {
                if (informs == null) {
                    informs = inMessages(batch.stream().map(Proposed::txn).toList());
                }
                for (List<Txn> part : informs) {
                    send(link, new LearnerMessage.Inform(selfId, link.out.session(), link.out.next(), part));
                }
            } else {
                send(link, new LearnerMessage.Commit(selfId, link.out.session(), link.out.next(), lastCommitted));
            }
        }
        if (imagesSerializing == 0) {
            history.trim(settings.window(), lastCommitted);
        }
    }

    private void answer(SyncMark<R> mark) {
        if (!mark.fromLearner()) {
            emit(new AnswerSync<>(mark.local()));
            return;
        }
        Link link = links.get(mark.learner());
        if (link != null && link.out.session() == mark.session()) {
            send(link, new LearnerMessage.SyncDone(selfId, link.out.session(), link.out.next(), mark.token(),
                lastCommitted));
        }
    }

    // ---------------------------------------------------------------- state, for the driver and tests

    public boolean established() {
        return established;
    }

    /** After {@link StepDown}: every later input is ignored. */
    public boolean steppedDown() {
        return steppedDown;
    }

    public long epoch() {
        return epoch;
    }

    public long lastCommitted() {
        return lastCommitted;
    }

    /** The learners with a session, in the order they came. */
    public List<Long> learners() {
        return List.copyOf(links.keySet());
    }

    /**
     * The learners as mntr counts them: a learner is synced once its sync went out, as ZooKeeper
     * counts its forwarding followers (from then on it gets every proposal).
     */
    public LearnerCounts learnerCounts() {
        int followers = 0;
        int nonVoting = 0;
        List<Long> observers = new ArrayList<>();
        for (Link link : links.values()) {
            if (!link.forwarding) {
                continue;
            }
            if (link.observer) {
                observers.add(link.id);
            } else {
                followers++;
                if (!verifier.isVoter(link.id)) {
                    nonVoting++;
                }
            }
        }
        return new LearnerCounts(links.size(), followers, nonVoting, observers, pendingSyncs);
    }

    /**
     * For each following learner the leader forwards to, how many committed txns it has not acked
     * yet, by server id: the learner lag metric. Only within the leader's epoch (a learner whose
     * last ack is older has no comparable counter yet); observers ack nothing and are left out.
     */
    public Map<Long, Long> learnerLags() {
        Map<Long, Long> lags = new TreeMap<>();
        for (Link link : links.values()) {
            if (link.forwarding && !link.observer && Zxid.epoch(link.acked) == Zxid.epoch(lastCommitted)) {
                lags.put(link.id, Math.max(0, Zxid.counter(lastCommitted) - Zxid.counter(link.acked)));
            }
        }
        return lags;
    }

    /** Whether learner {@code id} has acked NEWLEADER in its current session. */
    public boolean synced(long id) {
        Link link = links.get(id);
        return link != null && link.synced;
    }

    /** Txns cut, in order, into batches that each fit one peer message (by their encoded sizes). */
    private List<List<Txn>> inMessages(List<Txn> txns) {
        return Batches.split(txns, PeerFrames::size, PeerFrames.batchBudget(settings.maxBuffer()));
    }

    private void send(Link link, LearnerMessage message) {
        emit(new Send<>(link.id, message));
    }

    private void emit(Action<R> action) {
        actions.add(action);
    }

    private List<Action<R>> done() {
        List<Action<R>> out = actions;
        actions = new ArrayList<>();
        return out;
    }
}
