package io.paddock.node.cluster;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The decisions of one node's {@link ClusterJoiner}, as plain single-threaded Java: no Pekko, no
 * clock (every input carries {@code now} in nanoseconds), so the rules can be tested exhaustively.
 *
 * <h2>The problem</h2>
 * Nodes start in any order, some never; there is no seed-node list. Exactly one pekko-cluster
 * must form, and every node must end up in it. A node that finds a member joins it. When there
 * is no cluster yet, one voter must form it by joining itself, and two nodes must never both
 * do that: Pekko clusters never merge.
 *
 * <h2>The rule: a majority of grants, each held on a lease</h2>
 * A non-member probes every other configured server each round. The answer says whether the
 * answering node is a member (and its address), and whether it <em>grants</em> the prober the
 * right to form the cluster. A voter grants to a prober only if it is not a member, has seen no
 * sign of an existing cluster, the prober is a voter, and the prober is the lowest-id voter it has
 * heard from recently (itself included, so it never grants a higher id than its own); and it
 * grants to one prober at a time: a grant binds it for {@code lease} (renewed by the same
 * prober's later probes). A voter may count its own grant when it is the lowest-id voter it has
 * heard from recently and holds no grant given to another. It forms the cluster once its own
 * grant plus the grants it holds make a majority of the voters.
 *
 * <p>Two formers would need two majorities of grants, which share a voter; that voter grants
 * to one prober per lease, and a former counts a grant only until half a lease after it
 * <em>sent</em> the probe that obtained it (the granter's lease started later than that), and
 * forms at once. So two clusters cannot form at a cold start, whatever the start order or the
 * partition, unless a former stalls for half a lease between counting and forming. Observers
 * never form and never grant (their grants would not count); they join a member they find.
 * Preferring the lowest id makes the voters agree quickly: start order 3-2-1 forms at 2 as soon
 * as 2 and 3 hear each other, and 1 then joins.
 *
 * <p>A node that hears from a member (an answer, or a member's probe) joins it, and neither
 * grants nor forms for a lease after that. It keeps joining through the first member it chose (the
 * lowest id among those that answered by then) while that member answers: Pekko ignores a Welcome
 * from any member but the one it is asking, and under load a Welcome can take more than the
 * joiner's retry interval, so moving to a lower id that answered later threw the first Welcome away
 * (seen in restarts under write load: the join took a second longer).
 *
 * <h2>What it does not cover</h2>
 * If a node forms the cluster and is cut off before the nodes that granted it have seen that
 * it is a member (they probe it every round), and the cut outlasts the lease, the others may form
 * a second cluster. The window is about one probe round after forming; Pekko never merges
 * clusters, so {@link SplitRules} finds such a split later and dissolves the smaller cluster.
 * Simulated in JoinRulesTest with cuts aimed at the first seconds: about 1 % of such runs.
 */
final class JoinRules {
    /** What the joiner should do now. */
    sealed interface Decision {
    }

    /** Nothing yet. */
    enum Wait implements Decision { INSTANCE }

    /** Join the cluster that {@code serverId} is a member of, through it. */
    record JoinMember(long serverId, String address) implements Decision {
    }

    /** Form the cluster: join yourself. */
    enum FormCluster implements Decision { INSTANCE }

    private record Heard(long round, boolean member, String address, boolean grant, long at) {
    }

    private static final long NONE = Long.MIN_VALUE;

    private final long self;
    private final Set<Long> voters;
    private final boolean selfVoter;
    private final int majority;
    private final long leaseNanos;
    private final long aliveNanos;

    private long round;
    private final Map<Long, Long> roundSentAt = new HashMap<>();
    private final Map<Long, Long> heardAt = new HashMap<>();
    private final Map<Long, Heard> answers = new HashMap<>();
    private long grantedTo = NONE;
    private long grantedUntil;
    private long clusterSeenAt = NONE;
    private boolean formed;
    /** The member we join through, while it answers; NONE before we chose one. */
    private long joiningVia = NONE;

    /**
     * @param self       this node's server id
     * @param voters     the configured voters' ids (observers excluded)
     * @param leaseNanos how long a grant binds the granter (several probe rounds)
     * @param aliveNanos how long a server counts as alive after it was last heard from
     */
    JoinRules(long self, Set<Long> voters, long leaseNanos, long aliveNanos) {
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("no voters");
        }
        this.self = self;
        this.voters = Set.copyOf(voters);
        this.selfVoter = voters.contains(self);
        this.majority = voters.size() / 2 + 1;
        this.leaseNanos = leaseNanos;
        this.aliveNanos = aliveNanos;
    }

    /** A new probe round is sent now; returns its number, for the probes. */
    long startRound(long now) {
        round++;
        roundSentAt.put(round, now);
        // a grant obtained by an old round can no longer be counted: forget those rounds
        Iterator<Map.Entry<Long, Long>> it = roundSentAt.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue() > leaseNanos) {
                it.remove();
            }
        }
        return round;
    }

    /**
     * A probe from {@code from} (we are not a member): answers whether we grant it the right to
     * form the cluster, and if so binds us for a lease.
     */
    boolean onProbe(long from, long now) {
        heard(from, now);
        boolean grant = selfVoter && !formed && !clusterSeen(now) && voters.contains(from) && from != self
            && lowestAliveVoter(now) == from
            && (grantedTo == NONE || grantedTo == from || now - grantedUntil >= 0);
        if (grant) {
            grantedTo = from;
            grantedUntil = now + leaseNanos;
        }
        return grant;
    }

    /** An answer from {@code from} to our probe of round {@code round}. */
    void onAnswer(long from, long round, boolean member, String address, boolean grant, long now) {
        heard(from, now);
        Heard previous = answers.get(from);
        if (previous == null || previous.round() <= round) {
            answers.put(from, new Heard(round, member, address, grant, now));
        }
        if (member) {
            clusterSeenAt = now;
        }
    }

    /** A probe from a member (looking for split clusters): a cluster exists. */
    void onMemberProbe(long now) {
        clusterSeenAt = now;
    }

    /** What to do now. */
    Decision decide(long now) {
        if (formed) {
            return Wait.INSTANCE;
        }
        Heard via = joiningVia == NONE ? null : answers.get(joiningVia);
        if (via != null && via.member() && now - via.at() <= aliveNanos) {
            return new JoinMember(joiningVia, via.address());
        }
        long memberId = NONE;
        String memberAddress = null;
        for (Map.Entry<Long, Heard> e : answers.entrySet()) {
            Heard h = e.getValue();
            if (h.member() && now - h.at() <= aliveNanos && (memberId == NONE || e.getKey() < memberId)) {
                memberId = e.getKey();
                memberAddress = h.address();
            }
        }
        if (memberId != NONE) {
            joiningVia = memberId;
            return new JoinMember(memberId, memberAddress);
        }
        if (!clusterSeen(now) && mayCountOwnGrant(now) && grants(now) + 1 >= majority) {
            return FormCluster.INSTANCE;
        }
        return Wait.INSTANCE;
    }

    /** The joiner has formed the cluster (joined itself): no more grants, no more decisions. */
    void formed() {
        formed = true;
    }

    /** The servers whose grants we hold now (for logging). */
    SortedSet<Long> grantors(long now) {
        SortedSet<Long> ids = new TreeSet<>();
        answers.forEach((id, h) -> {
            if (grantValid(id, h, now)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** The lowest-id voter heard from within the alive window, this node included if it votes; NONE if none. */
    long lowestAliveVoter(long now) {
        long lowest = selfVoter ? self : NONE;
        for (Map.Entry<Long, Long> e : heardAt.entrySet()) {
            long id = e.getKey();
            if (voters.contains(id) && now - e.getValue() <= aliveNanos && (lowest == NONE || id < lowest)) {
                lowest = id;
            }
        }
        return lowest;
    }

    /**
     * A member was heard from within a lease: a cluster exists, so neither form one nor grant.
     * This expires, so that nodes which saw a cluster whose members then all died (before they
     * joined it) can form a new one; a cut that hides a live cluster for that long is the gap
     * described above.
     */
    private boolean clusterSeen(long now) {
        return clusterSeenAt != NONE && now - clusterSeenAt < leaseNanos;
    }

    private boolean mayCountOwnGrant(long now) {
        return selfVoter && lowestAliveVoter(now) == self
            && (grantedTo == NONE || grantedTo == self || now - grantedUntil >= 0);
    }

    private int grants(long now) {
        int n = 0;
        for (Map.Entry<Long, Heard> e : answers.entrySet()) {
            if (grantValid(e.getKey(), e.getValue(), now)) {
                n++;
            }
        }
        return n;
    }

    private boolean grantValid(long id, Heard h, long now) {
        if (!h.grant() || !voters.contains(id) || id == self) {
            return false;
        }
        Long sentAt = roundSentAt.get(h.round());
        // the granter's lease began after we sent that probe: trust it for half a lease from then
        return sentAt != null && now - sentAt < leaseNanos / 2;
    }

    private void heard(long from, long now) {
        if (from != self) {
            heardAt.put(from, now);
        }
    }
}
