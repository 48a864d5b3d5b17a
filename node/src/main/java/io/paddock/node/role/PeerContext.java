package io.paddock.node.role;

import io.paddock.config.NodeConfig;
import io.paddock.node.cluster.LearnerLink;
import io.paddock.node.context.ServerContext;
import io.paddock.node.tree.DataTree;
import io.paddock.node.tree.TreeSnapshot;
import io.paddock.node.watch.WatchManager;
import io.paddock.node.zab.Leadership;
import io.paddock.node.zab.QuorumVerifier;
import io.paddock.persistence.GroupCommit;
import io.paddock.persistence.HistoryWindow;
import io.paddock.persistence.TxnLog;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.Notification;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.peer.PeerMessage;
import io.paddock.protocol.txn.Txn;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * What a role hands to the next: the node's shared state, its transaction log and the group commit
 * in front of it, the actor's context and timers, the applier that commits txns to the tree,
 * and what ZAB needs to remember across roles (epochs, where the log ends, txns logged but not
 * yet applied, the election clock, the current peers). One instance for the node's life.
 */
final class PeerContext {
    final ActorContext<PeerCommand> actor;
    final TimerScheduler<PeerCommand> timers;
    final ServerContext server;
    final ActorRef<TxnLog.Command> log;
    private final GroupCommit groupCommit;
    /** Where the log answers Appends: as {@link QuorumPeer.LogDurable} to the node itself. */
    private final ActorRef<TxnLog.Appended> appended;
    final CompletableFuture<Done> ready;
    final Applier applier;
    /** The recent txns kept to DIFF-sync learners, by the TxnLog's ring and a leader's history alike. */
    final HistoryWindow historyWindow;
    /** The configured voters (a standalone server: itself). */
    final QuorumVerifier verifier;
    /** The other servers' endpoints, as the Receptionist lists them. */
    private final Map<Long, ActorRef<PeerMessage>> peers = new HashMap<>();
    /** The links learners opened to this node, by learner session: a session's messages go back on its own link. */
    private final Map<Long, LearnerLink.Link> learnerLinks = new HashMap<>();
    /** This node's links ({@link LearnerLink}): null for a standalone server. */
    private final LearnerLink.Listener links;
    /** This learner's link to its leader, once open, while it has a learner session. */
    LearnerLink.Link leaderLink;
    private CompletionStage<LearnerLink.Link> leaderLinkOpening;
    /** Messages to servers not listed yet. */
    private final Map<Long, ArrayDeque<PeerMessage>> unsent = new HashMap<>();
    private static final int MAX_UNSENT = 10_000;
    /**
     * How far behind, in bytes of txns, this node's disk or a follower (Leadership.MAX_UNACKED) may
     * fall before the role, or the follower's session, is given up: a quarter of the heap, which
     * holds those txns meanwhile.
     */
    static final long MAX_BEHIND_BYTES = Runtime.getRuntime().maxMemory() / 4;
    /** Txns in the log (or on their way into it) that the tree does not show yet, in zxid order. */
    final ArrayDeque<Txn> unapplied = new ArrayDeque<>();
    long acceptedEpoch;
    long currentEpoch;
    /** The zxid the log is durable up to. */
    long lastLogged;
    /** The zxid of the last txn given to the log: the log ends here once it is durable. */
    long loggingUpTo;
    /** The election clock, carried from one election to the next. */
    long logicalClock;
    /** What this node answers a LOOKING peer while it is not looking: its last decided vote and state. */
    Notification announcement;
    /** The purge at the start of serving waits for the snapshot being taken, so that it counts ({@link Role#startPurging}). */
    boolean purgeAfterSnapshot;
    /**
     * FollowerInfos that reached this node while it was still looking: a learner may decide
     * before its leader does. The next Leading takes them; any other role drops them.
     */
    final Map<Long, io.paddock.protocol.peer.LearnerMessage.FollowerInfo> earlyFollowerInfos = new HashMap<>();

    PeerContext(ActorContext<PeerCommand> actor, TimerScheduler<PeerCommand> timers, ServerContext server,
                ActorRef<TxnLog.Command> log, GroupCommit groupCommit, CompletableFuture<Done> ready,
                HistoryWindow historyWindow, LearnerLink.Listener links) {
        this.actor = actor;
        this.links = links;
        this.timers = timers;
        this.server = server;
        this.log = log;
        this.groupCommit = groupCommit;
        this.appended = actor.messageAdapter(TxnLog.Appended.class, a -> new QuorumPeer.LogDurable(a.lastZxid()));
        this.ready = ready;
        this.historyWindow = historyWindow;
        this.applier = new Applier(server, log,
            actor.messageAdapter(TxnLog.SnapshotResult.class, QuorumPeer.SnapshotSaved::new), () -> lastLogged,
            blocking(),
            actor.messageAdapter(Applier.Serialized.class, QuorumPeer.SnapshotSerialized::new), actor.getLog());
        this.verifier = new QuorumVerifier(server.config().isStandalone()
            ? java.util.List.of(server.config().serverId()) : server.config().voters());
    }

    private java.util.concurrent.Executor blocking() {
        return actor.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    /**
     * The applied tree's image for a learner's SNAP: its view opens now (between two txns), and its
     * nodes are serialized on the blocking dispatcher while writes go on (a million znodes take seconds).
     */
    CompletableFuture<Leadership.Image> serializeImage() {
        TreeSnapshot.Pending image = TreeSnapshot.begin(server.tree());
        return image.writePartsOn(blocking()).thenApply(parts -> new Leadership.Image(image.zxid(), parts));
    }

    long serverId() {
        return server.config().serverId();
    }

    /**
     * Sends to a peer. The Receptionist's listing can lag behind a peer's first message (a
     * learner's FollowerInfo, say), so messages to a configured server the directory has not
     * listed yet wait for it, in order, up to a bound; beyond that they are lost, as on a broken
     * connection, and the learner session that needed them ends on the gap.
     */
    void send(long to, PeerMessage message) {
        if (message instanceof LearnerMessage m) {
            // a learner session's messages travel on its link only; without it the session is over, as
            // with a broken connection, and the message is dropped
            LearnerLink.Link link = leaderLink != null && leaderLink.session() == m.session() ? leaderLink
                : learnerLinks.get(m.session());
            if (link != null && link.session() == m.session() && (link == leaderLink || link.learner() == to)) {
                link.send(m);
            }
            return;
        }
        ActorRef<PeerMessage> ref = peers.get(to);
        if (ref != null) {
            ref.tell(message);
        } else if (server.config().servers().containsKey(to)) {
            ArrayDeque<PeerMessage> queue = unsent.computeIfAbsent(to, id -> new ArrayDeque<>());
            if (queue.size() < MAX_UNSENT) {
                queue.add(message);
            }
        }
    }

    /** A peer was listed: what waited for it goes out now. */
    void peerUp(long id, ActorRef<PeerMessage> ref) {
        peers.put(id, ref);
        ArrayDeque<PeerMessage> queue = unsent.remove(id);
        if (queue != null) {
            queue.forEach(ref::tell);
        }
    }

    /**
     * Opens learner session {@code session}'s link to {@code leader} ({@link LearnerLink}): the
     * leader's messages arrive as FromPeer, the outcome as {@code opened(link, failure)}, and the
     * link's end (the leader's process died or closed it) as {@code lost}.
     */
    void openLeaderLink(long leader, long session, BiFunction<LearnerLink.Link, Throwable, PeerCommand> opened,
                        PeerCommand lost) {
        ActorRef<PeerCommand> self = actor.getSelf();
        NodeConfig cfg = server.config();
        leaderLinkOpening = links.connect(cfg.servers().get(leader), serverId(), session,
            Duration.ofMillis((long) cfg.tickTime() * cfg.initLimit()), m -> self.tell(new QuorumPeer.FromPeer(m)),
            () -> self.tell(lost));
        leaderLinkOpening.whenComplete((link, failure) -> self.tell(opened.apply(link, failure)));
    }

    /** Ends the learner session's link, now or once it opens; what was sent on it is written first. */
    void closeLeaderLink() {
        if (leaderLinkOpening != null) {
            leaderLinkOpening.thenAccept(LearnerLink.Link::close);
            leaderLinkOpening = null;
        }
        leaderLink = null;
    }

    /**
     * A message came on {@code link}: answers to its session go back on it. Keyed by session, not
     * by learner, so that a late message on a learner's old link cannot take its new session's place;
     * an old link is forgotten when it ends (the learner closes it when its session ends).
     */
    void learnerLinkUsed(LearnerLink.Link link) {
        learnerLinks.putIfAbsent(link.session(), link);
    }

    /** Ends learner session {@code session}'s link, once what is queued on it is written (the leader ended the session). */
    void closeLearnerLink(long session) {
        LearnerLink.Link link = learnerLinks.remove(session);
        if (link != null) {
            link.close();
        }
    }

    /** Ends every learner's link: this node leads no more. */
    void closeLearnerLinks() {
        learnerLinks.values().forEach(LearnerLink.Link::close);
        learnerLinks.clear();
    }

    /** True if {@code link} was its session's link, which is forgotten now. */
    boolean learnerLinkLost(LearnerLink.Link link) {
        return learnerLinks.remove(link.session(), link);
    }

    void peerGone(long id) {
        peers.remove(id);
        unsent.remove(id);
    }

    /** How many bytes of items one peer message may carry (PeerFrames). */
    long batchBudget() {
        return PeerFrames.batchBudget(server.config().maxBuffer());
    }

    /** Where the tree is: the zxid of the last txn it shows. */
    long lastApplied() {
        return server.tree().lastProcessedZxid();
    }

    /**
     * Logs txns (in zxid order, after everything logged so far); their durability comes back as
     * LogDurable. Returns why this node must give up its role, or null: more than a quarter of the
     * heap waits for the disk, which is too slow or hangs (the role would fill the heap).
     */
    String logTxns(java.util.List<Txn> txns) {
        if (!txns.isEmpty()) {
            loggingUpTo = txns.get(txns.size() - 1).zxid();
            append(groupCommit.add(txns));
        }
        return groupCommit.waitingBytes() > MAX_BEHIND_BYTES
            ? "more than " + MAX_BEHIND_BYTES + " bytes of txns wait for this node's disk" : null;
    }

    /** The log answered the Append in flight: what gathered meanwhile goes next. */
    void logWritten() {
        append(groupCommit.written());
    }

    private void append(java.util.List<Txn> batch) {
        if (!batch.isEmpty()) {
            log.tell(new TxnLog.Append(batch, appended));
        }
    }

    /** True when every txn given to the log is durable: only then may a new learner session report where the log ends. */
    boolean logDrained() {
        return lastLogged >= loggingUpTo;
    }

    /** The leader's image (a SNAP) replaces this node's tree, its sessions and what it had not applied; returns the new tree. */
    DataTree installTree(java.util.List<byte[]> image) {
        DataTree tree = TreeSnapshot.read(image, new WatchManager());
        server.installTree(tree);
        applier.treeReplaced();
        tree.sessions().forEach((id, timeout) -> server.sessions().addIfAbsent(id, timeout));
        unapplied.clear();
        return tree;
    }

    /** The log was cut back (a TRUNC) or replaced (a SNAP) and now ends durably at {@code zxid}. */
    void logRewrittenTo(long zxid) {
        lastLogged = zxid;
        loggingUpTo = zxid;
        unapplied.removeIf(t -> t.zxid() > zxid);
        applier.logCutTo(zxid);
        server.stats().logDurableTo(zxid);
    }
}
