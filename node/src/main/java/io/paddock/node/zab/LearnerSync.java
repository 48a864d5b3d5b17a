package io.paddock.node.zab;

import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.LearnerMessage.AckEpoch;
import io.paddock.protocol.peer.LearnerMessage.AckNewLeader;
import io.paddock.protocol.peer.LearnerMessage.Commit;
import io.paddock.protocol.peer.LearnerMessage.Diff;
import io.paddock.protocol.peer.LearnerMessage.FollowerInfo;
import io.paddock.protocol.peer.LearnerMessage.Inform;
import io.paddock.protocol.peer.LearnerMessage.LeaderInfo;
import io.paddock.protocol.peer.LearnerMessage.NewLeader;
import io.paddock.protocol.peer.LearnerMessage.Proposal;
import io.paddock.protocol.peer.LearnerMessage.Snap;
import io.paddock.protocol.peer.LearnerMessage.SnapPart;
import io.paddock.protocol.peer.LearnerMessage.Trunc;
import io.paddock.protocol.peer.LearnerMessage.UpToDate;
import io.paddock.protocol.txn.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A learner's side of ZAB discovery and synchronisation, from FollowerInfo to serving, as
 * ZooKeeper's Learner.registerWithLeader and syncWithLeader, with every durability point made an
 * explicit step: each input returns the actions to take, in order, and an action that persists
 * something holds everything after it back until its completion is reported
 * ({@link #acceptedEpochPersisted()}, {@link #truncated()}, {@link #snapshotInstalled()},
 * {@link #logged(long)}, {@link #currentEpochPersisted()}).
 * <ol>
 *   <li>{@link #start()} sends FollowerInfo(acceptedEpoch, lastZxid).</li>
 *   <li>LeaderInfo(e): an epoch below the accepted one is refused (the learner promised not to
 *       follow an older leader); a new one is persisted as the accepted epoch <em>before</em>
 *       AckEpoch(currentEpoch, lastZxid) goes out, because the ack is that promise. An epoch equal
 *       to the accepted one was promised before, maybe to another leader, so it is acked with
 *       {@link EpochNegotiation#ALREADY_ACCEPTED}, which the leader does not count.</li>
 *   <li>Sync opens with Diff, Trunc or Snap (whole, or in SnapParts). The log is truncated or replaced by the snapshot
 *       first; txns (Diff, Proposal, Inform) are logged only after that is durable, in zxid
 *       order. Commits are remembered.</li>
 *   <li>NewLeader(e): once every txn received before it is durable, the current epoch is
 *       persisted, and once that is durable too, AckNewLeader goes out. The current epoch changes
 *       on NEWLEADER, not on UPTODATE (ZOOKEEPER-1282); an ack before the synced txns are
 *       durable lets the leader count a copy that a crash can still lose (ZOOKEEPER-3911, -4394,
 *       -4785); and a current epoch durable before the txns lets a crashed learner come back
 *       claiming the new epoch with the old log, win an election and truncate committed txns
 *       (ZOOKEEPER-4643).</li>
 *   <li>A follower acks proposals that become durable after AckNewLeader, cumulatively.</li>
 *   <li>UpToDate(z): apply everything committed, up to z, and start serving. The sync is then
 *       over: durability of txns logged during it is acked by the broadcast phase, as any other
 *       proposal's.</li>
 * </ol>
 * A message the protocol does not allow at that point, or that contradicts what the learner
 * holds, ends in {@link Fail}: the caller ends the session and looks for a leader again. Calling
 * a completion event that nothing waits for, or anything after {@link StartServing} or
 * {@link Fail}, is a programming error. Timeouts (initLimit, syncLimit) are the caller's.
 */
public final class LearnerSync {
    /** What the learner must do next, in list order. */
    public sealed interface Action {
    }

    /** Send {@code message} to the leader (already numbered in this session). */
    public record Send(LearnerMessage message) implements Action {
    }

    /** Persist {@code epoch} as the accepted epoch; report with {@link #acceptedEpochPersisted()}. */
    public record PersistAcceptedEpoch(long epoch) implements Action {
    }

    /** Drop every logged txn above {@code toZxid}; report with {@link #truncated()}. */
    public record Truncate(long toZxid) implements Action {
    }

    /** Replace the tree and log by the leader's image at {@code zxid}; report with {@link #snapshotInstalled()}. */
    public record InstallSnapshot(long zxid, List<byte[]> image) implements Action {
    }

    /** Append {@code txns} to the log; report with {@link #logged(long)}. */
    public record Log(List<Txn> txns) implements Action {
    }

    /** Persist {@code epoch} as the current epoch; report with {@link #currentEpochPersisted()}. */
    public record PersistCurrentEpoch(long epoch) implements Action {
    }

    /** Apply to the tree every txn this node has (logged or received) up to {@code upToZxid} that it does not reflect yet. */
    public record Apply(long upToZxid) implements Action {
    }

    /** Synced: serve clients and follow (or observe) the leader of {@code epoch}. */
    public record StartServing(long epoch) implements Action {
    }

    /** The sync cannot go on: end the session. */
    public record Fail(String reason) implements Action {
    }

    private enum Phase {
        NEW, AWAIT_LEADER_INFO, PERSISTING_ACCEPTED_EPOCH, AWAIT_SYNC, SYNCING, AWAIT_DURABLE, AWAIT_UP_TO_DATE,
        SERVING, FAILED
    }

    /** A truncation or snapshot installation in progress: txns wait behind it. */
    private enum Rewrite { NONE, TRUNCATE, SNAPSHOT }

    private final long selfId;
    private final SessionChannel.Outgoing out;
    private final boolean observer;
    private final long acceptedEpoch;
    private final long lastZxid;
    private long currentEpoch;
    private Phase phase = Phase.NEW;
    private long newEpoch;
    /** The zxid the log ends at once every requested action completes. */
    private long logEnd;
    /** The zxid the log durably ends at (meaningless while a rewrite is in progress). */
    private long durable;
    private Rewrite rewrite = Rewrite.NONE;
    private long rewriteTo;
    /** Txns received while a rewrite is in progress. */
    private final List<Txn> waitingForRewrite = new ArrayList<>();
    private long committed;
    /** Everything up to here had been received when NewLeader arrived, and must be durable before the ack. */
    private long syncedUpTo;
    private boolean currentEpochRequested;
    private long ackedUpTo;
    /** The leader's image as its parts arrive (a Snap in parts, each within a peer frame). */
    /** The leader's image as its SnapParts came, kept in parts: one array of hundreds of MB would stall the JVM. */
    private List<byte[]> snapParts;

    /**
     * @param out           this learner session's numbering of messages to the leader
     * @param observer      an observer receives Inform (committed txns) instead of Proposal and Commit, and acks nothing after sync
     * @param acceptedEpoch the accepted epoch, as persisted
     * @param currentEpoch  the current epoch, as persisted
     * @param lastZxid      the zxid the log durably ends at
     */
    public LearnerSync(long selfId, SessionChannel.Outgoing out, boolean observer, long acceptedEpoch,
                       long currentEpoch, long lastZxid) {
        this.selfId = selfId;
        this.out = out;
        this.observer = observer;
        this.acceptedEpoch = acceptedEpoch;
        this.currentEpoch = currentEpoch;
        this.lastZxid = lastZxid;
        this.logEnd = lastZxid;
        this.durable = lastZxid;
    }

    /**
     * What a server that does not lead answers a learner's message with, if it is one a learner
     * sends its leader: the end of that learner's session. The learner chose this server on votes
     * that the others have since revised, or this server led once and stepped down; without an
     * answer the learner would wait out initLimit or syncLimit (20 or 10 s with ZooKeeper's
     * defaults) for a server that will not lead it. The answer is numbered as the session's first
     * message: a learner that expects that ends the session on its reason, one further on on the
     * gap. (A ZooKeeper learner finds out as fast: only a leader listens on the quorum port.)
     */
    public static Optional<LearnerMessage.EndSession> notLeading(long selfId, LearnerMessage m, String why) {
        boolean toALeader = m instanceof FollowerInfo || m instanceof LearnerMessage.AckEpoch || m instanceof AckNewLeader
            || m instanceof LearnerMessage.Ack || m instanceof LearnerMessage.ForwardRequest
            || m instanceof LearnerMessage.SyncRequest || m instanceof LearnerMessage.LearnerPing;
        return toALeader ? Optional.of(new LearnerMessage.EndSession(selfId, m.session(), 1,
            "server " + selfId + " does not lead: " + why)) : Optional.empty();
    }

    /** Opens the session. */
    public List<Action> start() {
        require(phase == Phase.NEW, "start");
        phase = Phase.AWAIT_LEADER_INFO;
        return List.of(new Send(new FollowerInfo(selfId, out.session(), out.next(), acceptedEpoch, lastZxid,
            observer)));
    }

    /** A message of this session from the leader (the caller has checked its numbering). */
    public List<Action> receive(LearnerMessage message) {
        require(phase != Phase.NEW && phase != Phase.SERVING && phase != Phase.FAILED,
            message.getClass().getSimpleName());
        if (message instanceof LeaderInfo m) {
            return leaderInfo(m);
        }
        if (message instanceof Diff m) {
            return diff(m);
        }
        if (message instanceof Trunc m) {
            return trunc(m);
        }
        if (message instanceof Snap m) {
            return snap(m);
        }
        if (message instanceof SnapPart m) {
            return snapPart(m);
        }
        if (message instanceof Proposal m) {
            return observer ? fail("an observer got a Proposal") : broadcastTxns(m.txns(), "Proposal");
        }
        if (message instanceof Commit m) {
            return observer ? fail("an observer got a Commit") : commit(m);
        }
        if (message instanceof Inform m) {
            return observer ? inform(m) : fail("a follower got an Inform");
        }
        if (message instanceof NewLeader m) {
            return newLeader(m);
        }
        if (message instanceof UpToDate m) {
            return upToDate(m);
        }
        throw new IllegalArgumentException("not a sync message: " + message.getClass().getSimpleName());
    }

    public List<Action> acceptedEpochPersisted() {
        require(phase == Phase.PERSISTING_ACCEPTED_EPOCH, "acceptedEpochPersisted");
        return sendAckEpoch(currentEpoch);
    }

    public List<Action> truncated() {
        return rewritten(Rewrite.TRUNCATE, "truncated");
    }

    public List<Action> snapshotInstalled() {
        return rewritten(Rewrite.SNAPSHOT, "snapshotInstalled");
    }

    /** The log is durable up to {@code upToZxid} (reports may repeat or lag; they never go beyond a logged txn). */
    public List<Action> logged(long upToZxid) {
        require(phase != Phase.SERVING && phase != Phase.FAILED, "logged");
        require(rewrite == Rewrite.NONE, "logged during a " + rewrite);
        if (upToZxid > logEnd) {
            throw new IllegalStateException("logged " + Zxid.toHex(upToZxid) + " but nothing was logged beyond "
                + Zxid.toHex(logEnd));
        }
        if (upToZxid <= durable) {
            return List.of();
        }
        durable = upToZxid;
        return progress();
    }

    public List<Action> currentEpochPersisted() {
        require(phase == Phase.AWAIT_DURABLE && currentEpochRequested, "currentEpochPersisted");
        currentEpoch = newEpoch;
        return sendAckNewLeader();
    }

    private List<Action> leaderInfo(LeaderInfo m) {
        if (phase != Phase.AWAIT_LEADER_INFO) {
            return unexpected(m);
        }
        newEpoch = m.newEpoch();
        if (newEpoch < acceptedEpoch) {
            return fail("the leader's epoch " + newEpoch + " is below the accepted epoch " + acceptedEpoch);
        }
        if (newEpoch == acceptedEpoch) {
            return sendAckEpoch(EpochNegotiation.ALREADY_ACCEPTED);
        }
        phase = Phase.PERSISTING_ACCEPTED_EPOCH;
        return List.of(new PersistAcceptedEpoch(newEpoch));
    }

    private List<Action> sendAckEpoch(long reportedCurrentEpoch) {
        phase = Phase.AWAIT_SYNC;
        return List.of(new Send(new AckEpoch(selfId, out.session(), out.next(), reportedCurrentEpoch, lastZxid)));
    }

    private List<Action> diff(Diff m) {
        if (phase != Phase.AWAIT_SYNC && phase != Phase.SYNCING) {
            return unexpected(m);
        }
        phase = Phase.SYNCING;
        return txns(m.txns());
    }

    private List<Action> trunc(Trunc m) {
        if (phase != Phase.AWAIT_SYNC) {
            return unexpected(m);
        }
        if (m.toZxid() > logEnd) {
            return fail("asked to truncate to " + Zxid.toHex(m.toZxid()) + " but the log ends at " + Zxid.toHex(logEnd));
        }
        phase = Phase.SYNCING;
        startRewrite(Rewrite.TRUNCATE, m.toZxid());
        return List.of(new Truncate(m.toZxid()));
    }

    private List<Action> snap(Snap m) {
        if (phase != Phase.AWAIT_SYNC) {
            return unexpected(m);
        }
        return install(m.zxid(), List.of(m.image()));
    }

    private List<Action> install(long zxid, List<byte[]> image) {
        phase = Phase.SYNCING;
        startRewrite(Rewrite.SNAPSHOT, zxid);
        return List.of(new InstallSnapshot(zxid, image));
    }

    /** Collects the parts of the leader's image, which come in order; the last one installs it. */
    private List<Action> snapPart(SnapPart m) {
        if (phase != Phase.AWAIT_SYNC) {
            return unexpected(m);
        }
        if (m.index() == 0) {
            snapParts = new ArrayList<>(m.count());
        }
        if (snapParts == null) {
            return fail("a snapshot part arrived without its start");
        }
        snapParts.add(m.part());
        if (m.index() < m.count() - 1) {
            return List.of();
        }
        List<byte[]> image = snapParts;
        snapParts = null;
        return install(m.zxid(), image);
    }

    private void startRewrite(Rewrite kind, long to) {
        rewrite = kind;
        rewriteTo = to;
        logEnd = to;
    }

    private List<Action> rewritten(Rewrite kind, String what) {
        require(rewrite == kind, what);
        rewrite = Rewrite.NONE;
        durable = rewriteTo;
        List<Action> actions = new ArrayList<>();
        if (!waitingForRewrite.isEmpty()) {
            actions.add(new Log(List.copyOf(waitingForRewrite)));
            waitingForRewrite.clear();
        }
        actions.addAll(progress());
        return actions;
    }

    /** Proposal or Inform: allowed once sync has opened, until UpToDate. */
    private List<Action> broadcastTxns(List<Txn> txns, String what) {
        if (phase != Phase.SYNCING && phase != Phase.AWAIT_DURABLE && phase != Phase.AWAIT_UP_TO_DATE) {
            return fail("unexpected " + what + " while " + phase);
        }
        return txns(txns);
    }

    private List<Action> txns(List<Txn> txns) {
        long previous = logEnd;
        for (Txn txn : txns) {
            if (txn.zxid() <= previous) {
                return fail("txn " + Zxid.toHex(txn.zxid()) + " is not after " + Zxid.toHex(previous));
            }
            previous = txn.zxid();
        }
        if (txns.isEmpty()) {
            return List.of();
        }
        logEnd = previous;
        if (rewrite != Rewrite.NONE) {
            waitingForRewrite.addAll(txns);
            return List.of();
        }
        return List.of(new Log(List.copyOf(txns)));
    }

    private List<Action> commit(Commit m) {
        if (phase != Phase.SYNCING && phase != Phase.AWAIT_DURABLE && phase != Phase.AWAIT_UP_TO_DATE) {
            return unexpected(m);
        }
        if (m.upToZxid() > logEnd) {
            return fail("commit of " + Zxid.toHex(m.upToZxid()) + " beyond the last txn received, "
                + Zxid.toHex(logEnd));
        }
        committed = Math.max(committed, m.upToZxid());
        return List.of();
    }

    private List<Action> inform(Inform m) {
        List<Action> actions = broadcastTxns(m.txns(), "Inform");
        if (phase == Phase.FAILED || m.txns().isEmpty()) {
            return actions;
        }
        committed = Math.max(committed, logEnd);
        return actions;
    }

    private List<Action> newLeader(NewLeader m) {
        if (phase != Phase.SYNCING) {
            return unexpected(m);
        }
        if (m.newEpoch() != newEpoch) {
            return fail("NewLeader for epoch " + m.newEpoch() + " after LeaderInfo for epoch " + newEpoch);
        }
        if (m.lastZxid() > logEnd) {
            return fail("the leader synced up to " + Zxid.toHex(m.lastZxid()) + " but only " + Zxid.toHex(logEnd)
                + " arrived");
        }
        phase = Phase.AWAIT_DURABLE;
        syncedUpTo = logEnd;
        return progress();
    }

    private List<Action> upToDate(UpToDate m) {
        if (phase != Phase.AWAIT_UP_TO_DATE) {
            return unexpected(m);
        }
        if (m.committedZxid() > logEnd) {
            return fail("UpToDate commits " + Zxid.toHex(m.committedZxid()) + " beyond the last txn received, "
                + Zxid.toHex(logEnd));
        }
        committed = Math.max(committed, m.committedZxid());
        phase = Phase.SERVING;
        return List.of(new Apply(committed), new StartServing(newEpoch));
    }

    /** What durability just released. */
    private List<Action> progress() {
        if (phase == Phase.AWAIT_DURABLE && !currentEpochRequested && rewrite == Rewrite.NONE
            && durable >= syncedUpTo) {
            if (currentEpoch == newEpoch) {
                // a learner re-syncing with the leader it already followed: nothing to persist
                return sendAckNewLeader();
            }
            currentEpochRequested = true;
            return List.of(new PersistCurrentEpoch(newEpoch));
        }
        if (phase == Phase.AWAIT_UP_TO_DATE && !observer && durable > ackedUpTo) {
            ackedUpTo = durable;
            return List.of(new Send(new LearnerMessage.Ack(selfId, out.session(), out.next(), durable)));
        }
        return List.of();
    }

    private List<Action> sendAckNewLeader() {
        phase = Phase.AWAIT_UP_TO_DATE;
        ackedUpTo = durable;
        return List.of(new Send(new AckNewLeader(selfId, out.session(), out.next(), durable)));
    }

    private List<Action> unexpected(LearnerMessage m) {
        return fail("unexpected " + m.getClass().getSimpleName() + " while " + phase);
    }

    private List<Action> fail(String reason) {
        phase = Phase.FAILED;
        return List.of(new Fail(reason));
    }

    private void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what + " while " + phase + (rewrite == Rewrite.NONE ? "" : ", " + rewrite));
        }
    }
}
