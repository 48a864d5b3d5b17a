package io.paddock.node.zab;

import io.paddock.protocol.peer.Notification;
import io.paddock.protocol.peer.ServerState;
import io.paddock.protocol.peer.Vote;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Fast leader election for one node, as ZooKeeper's FastLeaderElection.lookForLeader, as a
 * state machine: inputs are {@link #start()}, {@link #receive(Notification)},
 * {@link #finalizeTimeout()} and {@link #resend()}; each returns the actions to take, in order:
 * notifications to send, the finalize wait to (re)start, and eventually the {@link Decision}.
 *
 * <p>Rules, for a LOOKING node:
 * <ul>
 *   <li>{@code start()} increments the logical clock (the election epoch), proposes the node's
 *       own vote (last logged zxid, current epoch) and sends it to every other voter.</li>
 *   <li>Only voters' notifications count, and only votes for voters. A voter answers a
 *       notification from a non-voter (an observer looking for the leader) with its own current
 *       notification and otherwise ignores it.</li>
 *   <li>From a LOOKING voter: a higher election epoch means this node is behind: adopt that
 *       clock, forget the votes received so far, propose the better of its own initial vote and
 *       the sender's, and re-broadcast. A lower one is not counted but answered with this node's
 *       notification, so that the sender catches up. An equal one whose vote beats the proposal
 *       is adopted and re-broadcast. Either way (higher or equal) the sender's vote is
 *       recorded.</li>
 *   <li>Once the recorded votes of a quorum of voters equal the proposal, the step says to start
 *       the finalize wait (ZooKeeper's finalizeWait, 200 ms). Notifications keep being processed
 *       meanwhile; if one changes the proposal and the quorum is lost, the wait is void, and a
 *       quorum on the new proposal starts it again. {@code finalizeTimeout()} then decides: lead
 *       if the proposal is this node, otherwise follow it.</li>
 *   <li>From a FOLLOWING or LEADING voter (an ensemble that is already established): in the same
 *       election epoch its vote is recorded with the others; in any epoch it is also recorded
 *       "out of election". When a quorum of voters, in either set, agrees on a leader and that
 *       leader itself says it is LEADING (ZooKeeper's checkLeader; or, when the leader is this
 *       node, the epoch is this node's own), the node decides at once, without a finalize wait.
 *       This is how a restarted node rejoins a running ensemble. Votes of established peers match
 *       on leader and peer epoch only: peers that joined at different times report different
 *       election epochs and zxids (ZOOKEEPER-1732).</li>
 *   <li>OBSERVING notifications are ignored.</li>
 * </ul>
 * An observer proposes {@link #NO_VOTE} and decides only from established peers' answers:
 * voters answer its notifications, and it follows (observes) the leader a quorum of voters
 * follows once that leader says it leads. It ignores LOOKING votes: they are answers to its
 * own notifications, not broadcasts, so a quorum of them can be a stale snapshot of an election
 * that has moved on. (ZooKeeper's voters answer observers with their last decided vote, which
 * in effect does the same.)
 *
 * <p>A node that is not looking answers a LOOKING peer with the notification of its decision:
 * {@link #answerWhileNotLooking(Notification, Notification)}. While undecided, the caller calls
 * {@code resend()} periodically (ZooKeeper resends when no notification arrived for a while), so
 * that lost notifications, late-starting peers and observers waiting for an answer from an
 * established ensemble do not stall.
 */
public final class ElectionTally {
    /** An observer's proposal: worse than any vote, and for no voter, so it is never counted. */
    public static final Vote NO_VOTE = new Vote(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE);

    /** What the node must do next, in list order. */
    public sealed interface Action {
    }

    /** Send {@code notification} to server {@code to}. */
    public record Send(long to, Notification notification) implements Action {
    }

    /** (Re)start the finalize wait: one timer, replaced on restart, that calls {@link #finalizeTimeout()}. */
    public enum StartFinalizeWait implements Action { INSTANCE }

    /**
     * The election is over: {@code state} is LEADING, FOLLOWING or OBSERVING, and
     * {@code announcement} is what this node answers LOOKING peers with from now on.
     */
    public record Decision(long leader, ServerState state, Notification announcement) implements Action {
    }

    /** A recorded vote, with the state its sender announced it in. */
    private record Recorded(Vote vote, ServerState state) {
    }

    private final long selfId;
    private final QuorumVerifier verifier;
    private final boolean voter;
    private final Vote initialVote;
    private long logicalClock;
    private Vote proposal;
    private boolean started;
    private Decision decision;
    /** Votes of this election epoch (ZooKeeper's recvset). */
    private final Map<Long, Recorded> received = new HashMap<>();
    /** Votes of established peers, whatever their election epoch (ZooKeeper's outofelection). */
    private final Map<Long, Recorded> outOfElection = new HashMap<>();
    private boolean quorumOnProposal;

    /**
     * @param logicalClock {@link #logicalClock()} of this node's previous election, 0 after a
     *                     start: like ZooKeeper's logicalclock it lives as long as the process,
     *                     so each election of a node opens a later round than its last one
     * @param lastZxid     the last zxid this node logged
     * @param currentEpoch this node's current epoch
     */
    public ElectionTally(long selfId, QuorumVerifier verifier, long logicalClock, long lastZxid, long currentEpoch) {
        this.selfId = selfId;
        this.verifier = verifier;
        this.voter = verifier.isVoter(selfId);
        this.initialVote = voter ? new Vote(selfId, lastZxid, currentEpoch) : NO_VOTE;
        this.logicalClock = logicalClock;
        this.proposal = initialVote;
    }

    /** Opens a new election round and broadcasts this node's own vote. */
    public List<Action> start() {
        if (started) {
            throw new IllegalStateException("election already started");
        }
        started = true;
        logicalClock++;
        record(initialVote);
        return afterCount(broadcast(), true);
    }

    /** A notification from another server. */
    public List<Action> receive(Notification n) {
        requireLooking();
        if (n.sender() == selfId) {
            throw new IllegalArgumentException("a notification from this node itself");
        }
        if (!verifier.isVoter(n.sender())) {
            // only voters answer: two observers answering each other would never stop
            return voter ? sendsOnly(List.of(new Send(n.sender(), current()))) : List.of();
        }
        if (!verifier.isVoter(n.vote().leader())) {
            return List.of();
        }
        switch (n.state()) {
            case LOOKING:
                return voter ? looking(n) : List.of();
            case FOLLOWING:
            case LEADING:
                return established(n);
            default:
                return List.of();
        }
    }

    /** The finalize wait passed: decide if a quorum still agrees with the proposal. */
    public List<Action> finalizeTimeout() {
        requireLooking();
        if (!quorumOnProposal) {
            return List.of();
        }
        return decide(proposal, logicalClock);
    }

    /** Sends the current notification to every voter again. */
    public List<Action> resend() {
        requireLooking();
        return sendsOnly(broadcast());
    }

    /** What this node currently announces: its proposal in its election epoch, LOOKING. */
    public Notification current() {
        return new Notification(selfId, proposal, logicalClock, ServerState.LOOKING);
    }

    /** The election epoch: this round's, or after a decision from an established ensemble, that ensemble's. */
    public long logicalClock() {
        return logicalClock;
    }

    /**
     * What a node that is not looking (leading, following, observing) answers a notification
     * with: its own {@code announcement}, to a LOOKING sender only (established peers need no
     * answer, and answering them would never end).
     */
    public static Optional<Send> answerWhileNotLooking(Notification announcement, Notification received) {
        if (received.state() != ServerState.LOOKING) {
            return Optional.empty();
        }
        return Optional.of(new Send(received.sender(), announcement));
    }

    private List<Action> looking(Notification n) {
        List<Send> sends = new ArrayList<>();
        boolean changed = false;
        if (n.electionEpoch() > logicalClock) {
            logicalClock = n.electionEpoch();
            received.clear();
            Vote best = n.vote().beats(initialVote) ? n.vote() : initialVote;
            changed = true;
            record(best);
            sends.addAll(broadcast());
        } else if (n.electionEpoch() < logicalClock) {
            return sendsOnly(List.of(new Send(n.sender(), current())));
        } else if (n.vote().beats(proposal)) {
            changed = true;
            record(n.vote());
            sends.addAll(broadcast());
        }
        received.put(n.sender(), new Recorded(n.vote(), ServerState.LOOKING));
        return afterCount(sends, changed);
    }

    private List<Action> established(Notification n) {
        Vote vote = n.vote();
        Predicate<Recorded> agrees = r -> r.state() == ServerState.LOOKING
            ? r.vote().equals(vote)
            : sameLeaderAndEpoch(r.vote(), vote);
        if (n.electionEpoch() == logicalClock) {
            received.put(n.sender(), new Recorded(vote, n.state()));
            if (quorumOf(received, agrees) && leaderConfirmed(received, vote.leader(), n.electionEpoch())) {
                return decide(vote, n.electionEpoch());
            }
        }
        outOfElection.put(n.sender(), new Recorded(vote, n.state()));
        if (quorumOf(outOfElection, r -> sameLeaderAndEpoch(r.vote(), vote))
            && leaderConfirmed(outOfElection, vote.leader(), n.electionEpoch())) {
            logicalClock = n.electionEpoch();
            return decide(vote, n.electionEpoch());
        }
        // the recorded set may have changed under the proposal
        return afterCount(List.of(), false);
    }

    /** ZooKeeper's checkLeader: the leader must be among the votes, saying it leads; or be this node, in its own epoch. */
    private boolean leaderConfirmed(Map<Long, Recorded> votes, long leader, long electionEpoch) {
        if (leader == selfId) {
            return logicalClock == electionEpoch;
        }
        Recorded leaders = votes.get(leader);
        return leaders != null && leaders.state() == ServerState.LEADING;
    }

    private static boolean sameLeaderAndEpoch(Vote a, Vote b) {
        return a.leader() == b.leader() && a.peerEpoch() == b.peerEpoch();
    }

    private boolean quorumOf(Map<Long, Recorded> votes, Predicate<Recorded> agrees) {
        List<Long> agreeing = new ArrayList<>();
        votes.forEach((id, r) -> {
            if (agrees.test(r)) {
                agreeing.add(id);
            }
        });
        return verifier.containsQuorum(agreeing);
    }

    /** Makes {@code vote} the proposal; a voter's own vote counts as received, as ZooKeeper's loopback delivers it. */
    private void record(Vote vote) {
        proposal = vote;
        if (voter) {
            received.put(selfId, new Recorded(vote, ServerState.LOOKING));
        }
    }

    /** Recounts the quorum on the proposal; a quorum newly formed, or formed on a new proposal, starts the finalize wait. */
    private List<Action> afterCount(List<Send> sends, boolean proposalChanged) {
        boolean before = quorumOnProposal && !proposalChanged;
        quorumOnProposal = quorumOf(received, r -> r.vote().equals(proposal));
        List<Action> actions = new ArrayList<>(sends);
        if (quorumOnProposal && !before) {
            actions.add(StartFinalizeWait.INSTANCE);
        }
        return actions;
    }

    private List<Send> broadcast() {
        Notification mine = current();
        List<Send> sends = new ArrayList<>();
        for (long id : verifier.voters()) {
            if (id != selfId) {
                sends.add(new Send(id, mine));
            }
        }
        return sends;
    }

    private List<Action> decide(Vote vote, long electionEpoch) {
        ServerState state = vote.leader() == selfId
            ? ServerState.LEADING
            : voter ? ServerState.FOLLOWING : ServerState.OBSERVING;
        decision = new Decision(vote.leader(), state, new Notification(selfId, vote, electionEpoch, state));
        return List.of(decision);
    }

    private static List<Action> sendsOnly(List<Send> sends) {
        return List.copyOf(sends);
    }

    private void requireLooking() {
        if (!started) {
            throw new IllegalStateException("election not started");
        }
        if (decision != null) {
            throw new IllegalStateException("election already decided: " + decision);
        }
    }
}
