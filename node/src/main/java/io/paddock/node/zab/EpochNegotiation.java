package io.paddock.node.zab;

import io.paddock.protocol.Zxid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The elected leader's side of ZAB discovery, as ZooKeeper's Leader.getEpochToPropose and
 * waitForEpochAck:
 * <ol>
 *   <li>Learners report their accepted epoch (FollowerInfo). Once a quorum of voters, the leader
 *       included, has reported, the new epoch is one more than the greatest accepted epoch
 *       reported, so it is above any epoch a member of that quorum has promised to. Observers'
 *       epochs are taken into the maximum too (so that they can accept the new epoch) but never
 *       make a quorum.</li>
 *   <li>The leader persists the new epoch as its own accepted epoch <em>before</em> it proposes
 *       it to anyone (ZOOKEEPER-1291): otherwise, should it fail, the next discovery could count
 *       its old accepted epoch, choose the same epoch again, and two leaders would issue the same
 *       zxids for different txns.</li>
 *   <li>It sends LeaderInfo(newEpoch) to every learner that reported, and to every later one.</li>
 *   <li>Learners persist it and answer AckEpoch with their current epoch and last zxid. Once a
 *       quorum of voters, the leader included, has acked, discovery is done and each acked learner
 *       may be synced. A voter whose (current epoch, last zxid) is more recent than the leader's
 *       means the election picked a leader that is not the most up to date of its quorum: the
 *       leader steps down rather than truncate that voter. An ack carrying
 *       {@link #ALREADY_ACCEPTED} (a learner that had already accepted this very epoch, maybe
 *       from another leader) is synced but never counted: the learner's promise went to the first
 *       leader that asked.</li>
 * </ol>
 * Learners that arrive after discovery is done get the same epoch and are synced without
 * further checks. Timeouts (initLimit) are the caller's: it abandons the negotiation.
 */
public final class EpochNegotiation {
    /** The current epoch a learner sends in AckEpoch when it had already accepted the proposed epoch. */
    public static final long ALREADY_ACCEPTED = -1;

    /** What the leader must do next, in list order. */
    public sealed interface Action {
    }

    /** Persist {@code epoch} as this leader's accepted epoch; report with {@link #acceptedEpochPersisted()}. */
    public record PersistAcceptedEpoch(long epoch) implements Action {
    }

    /** Send LeaderInfo({@code newEpoch}) to learner {@code to}. */
    public record SendLeaderInfo(long to, long newEpoch) implements Action {
    }

    /** A quorum accepted {@code newEpoch}: this leader leads it; zxids now start at {@code newEpoch << 32}. */
    public record DiscoveryDone(long newEpoch) implements Action {
    }

    /** Plan and run the sync of {@code learner}, whose log ends at {@code lastZxid} (see {@link SyncPlanner}). */
    public record StartSync(long learner, long lastZxid) implements Action {
    }

    /** This node must not lead: go back to looking. */
    public record StepDown(String reason) implements Action {
    }

    private enum Phase { NEW, COLLECTING_EPOCHS, PERSISTING_EPOCH, COLLECTING_ACKS, DONE, STEPPED_DOWN }

    private final long selfId;
    private final QuorumVerifier verifier;
    private final long acceptedEpoch;
    private final long currentEpoch;
    private final long lastZxid;
    private final Set<Long> reported = new LinkedHashSet<>();
    private final Set<Long> acked = new HashSet<>();
    /** Learners that acked the epoch, and the zxid their log ends at, waiting for discovery to finish. */
    private final Map<Long, Long> waitingForSync = new LinkedHashMap<>();
    private Phase phase = Phase.NEW;
    private long greatestAcceptedEpoch;
    private long newEpoch;

    /**
     * @param acceptedEpoch the leader's accepted epoch, as persisted
     * @param currentEpoch  the leader's current epoch, as persisted
     * @param lastZxid      the last zxid in the leader's log
     */
    public EpochNegotiation(long selfId, QuorumVerifier verifier, long acceptedEpoch, long currentEpoch,
                            long lastZxid) {
        if (!verifier.isVoter(selfId)) {
            throw new IllegalArgumentException("server " + selfId + " is not a voter and cannot lead");
        }
        this.selfId = selfId;
        this.verifier = verifier;
        this.acceptedEpoch = acceptedEpoch;
        this.currentEpoch = currentEpoch;
        this.lastZxid = lastZxid;
    }

    /** Counts the leader's own accepted epoch; with a single voter that already decides the epoch. */
    public List<Action> start() {
        requirePhase(Phase.NEW, "start");
        phase = Phase.COLLECTING_EPOCHS;
        greatestAcceptedEpoch = acceptedEpoch;
        reported.add(selfId);
        return decideIfQuorum();
    }

    /** A learner opened a session (FollowerInfo/ObserverInfo) having accepted {@code learnerAcceptedEpoch}. */
    public List<Action> followerInfo(long learner, long learnerAcceptedEpoch) {
        requireLearner(learner);
        switch (phase) {
            case COLLECTING_EPOCHS:
                greatestAcceptedEpoch = Math.max(greatestAcceptedEpoch, learnerAcceptedEpoch);
                reported.add(learner);
                return decideIfQuorum();
            case PERSISTING_EPOCH:
                // LeaderInfo goes out only once the epoch is durable here
                reported.add(learner);
                return List.of();
            case COLLECTING_ACKS:
            case DONE:
                return List.of(new SendLeaderInfo(learner, newEpoch));
            default:
                throw new IllegalStateException("FollowerInfo from " + learner + " while " + phase);
        }
    }

    /** The new epoch is durable as this leader's accepted epoch: propose it. */
    public List<Action> acceptedEpochPersisted() {
        requirePhase(Phase.PERSISTING_EPOCH, "acceptedEpochPersisted");
        phase = Phase.COLLECTING_ACKS;
        List<Action> actions = new ArrayList<>();
        for (long learner : reported) {
            if (learner != selfId) {
                actions.add(new SendLeaderInfo(learner, newEpoch));
            }
        }
        // the leader's own ack: its state summary is by definition not more recent than its own
        acked.add(selfId);
        finishIfQuorum(actions);
        return actions;
    }

    /**
     * A learner persisted the new epoch and reports its current epoch ({@link #ALREADY_ACCEPTED}
     * if it had accepted this epoch before) and the zxid its log ends at.
     */
    public List<Action> ackEpoch(long learner, long learnerCurrentEpoch, long learnerLastZxid) {
        requireLearner(learner);
        if (phase == Phase.DONE) {
            return List.of(new StartSync(learner, learnerLastZxid));
        }
        requirePhase(Phase.COLLECTING_ACKS, "AckEpoch from " + learner);
        boolean voter = verifier.isVoter(learner);
        if (voter && learnerCurrentEpoch != ALREADY_ACCEPTED
            && moreRecent(learnerCurrentEpoch, learnerLastZxid, currentEpoch, lastZxid)) {
            phase = Phase.STEPPED_DOWN;
            return List.of(new StepDown("voter " + learner + " is more up to date than this leader: current epoch "
                + learnerCurrentEpoch + ", last zxid " + Zxid.toHex(learnerLastZxid) + " against " + currentEpoch
                + ", " + Zxid.toHex(lastZxid)));
        }
        if (voter && learnerCurrentEpoch != ALREADY_ACCEPTED) {
            acked.add(learner);
        }
        waitingForSync.put(learner, learnerLastZxid);
        List<Action> actions = new ArrayList<>();
        finishIfQuorum(actions);
        return actions;
    }

    private List<Action> decideIfQuorum() {
        if (!verifier.containsQuorum(reported)) {
            return List.of();
        }
        newEpoch = greatestAcceptedEpoch + 1;
        phase = Phase.PERSISTING_EPOCH;
        return List.of(new PersistAcceptedEpoch(newEpoch));
    }

    private void finishIfQuorum(List<Action> actions) {
        if (!verifier.containsQuorum(acked)) {
            return;
        }
        phase = Phase.DONE;
        actions.add(new DiscoveryDone(newEpoch));
        waitingForSync.forEach((learner, zxid) -> actions.add(new StartSync(learner, zxid)));
        waitingForSync.clear();
    }

    /** ZooKeeper's StateSummary.isMoreRecentThan: current epoch first, then last zxid. */
    private static boolean moreRecent(long epoch, long zxid, long thanEpoch, long thanZxid) {
        return epoch > thanEpoch || (epoch == thanEpoch && zxid > thanZxid);
    }

    private void requireLearner(long learner) {
        if (learner == selfId) {
            throw new IllegalArgumentException("the leader is not its own learner");
        }
    }

    private void requirePhase(Phase expected, String what) {
        if (phase != expected) {
            throw new IllegalStateException(what + " while " + phase);
        }
    }
}
