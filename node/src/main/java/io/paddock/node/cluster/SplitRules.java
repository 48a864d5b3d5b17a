package io.paddock.node.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Healing the one split {@link JoinRules} cannot rule out, as plain Java (no Pekko). If a node
 * forms the cluster and is cut off before the voters that granted it have seen it is a member,
 * and the cut outlasts their grants' lease, the others can form a second cluster. Pekko never
 * merges two clusters. So members keep probing the configured servers that are not in their
 * own cluster (slowly), and an answer from a member of another cluster, whose members do not
 * include this node either, is a split. The cluster with fewer configured voters, or with as many
 * but a higher lowest voter id, loses: each of its members, seeing the split twice in a row,
 * downs itself (its ActorSystem stops) and comes back as a new incarnation that joins the winner.
 */
final class SplitRules {
    /** What to do about an answer from another member. */
    enum Verdict {
        /** Not a split (or not seen often enough yet to be sure). */
        NONE,
        /** A split, and this node's cluster wins: the others will leave. */
        WE_WIN,
        /** A split, and this node's cluster loses: down this node. */
        WE_LOSE
    }

    private final long self;
    private final Set<Long> voters;
    private final Map<Long, Integer> seen = new HashMap<>();

    SplitRules(long self, Set<Long> voters) {
        this.self = self;
        this.voters = Set.copyOf(voters);
    }

    /**
     * An answer from {@code from}, a member whose cluster has {@code theirs} (server ids), to a probe
     * of this member, whose cluster has {@code ours}.
     */
    Verdict onMemberAnswer(long from, Set<Long> theirs, Set<Long> ours) {
        if (ours.contains(from) || theirs.contains(self)) {
            seen.remove(from); // the same cluster, seen from two moments of gossip
            return Verdict.NONE;
        }
        int times = seen.merge(from, 1, Integer::sum);
        if (times < 2) {
            return Verdict.NONE;
        }
        return weLose(ours, theirs) ? Verdict.WE_LOSE : Verdict.WE_WIN;
    }

    /** Forget what was seen from {@code from} (it answered as a non-member, or joined us). */
    void clear(long from) {
        seen.remove(from);
    }

    private boolean weLose(Set<Long> ours, Set<Long> theirs) {
        TreeSet<Long> a = new TreeSet<>(ours);
        a.retainAll(voters);
        TreeSet<Long> b = new TreeSet<>(theirs);
        b.retainAll(voters);
        if (a.size() != b.size()) {
            return a.size() < b.size();
        }
        if (b.isEmpty()) {
            return false;
        }
        return a.isEmpty() || a.first() > b.first();
    }
}
