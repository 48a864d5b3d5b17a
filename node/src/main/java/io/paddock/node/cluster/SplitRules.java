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

    /** A cluster member: a configured server's id and the uid of its incarnation (its ActorSystem). */
    record Incarnation(long id, long uid) {
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
     * of this member, whose cluster has {@code ours}; every incarnation taken as the same.
     */
    Verdict onMemberAnswer(long from, Set<Long> theirs, Set<Long> ours) {
        return onMemberAnswer(new Incarnation(from, 0), incarnations(theirs), incarnations(ours), Set.of());
    }

    /**
     * An answer from the member {@code from} (that incarnation), whose cluster lists {@code theirs},
     * to a probe of this member, whose cluster lists {@code ours} (this node included), of which
     * the servers {@code ourUnreachable} are unreachable here.
     *
     * <p>The two are one cluster if either lists the other node as that very incarnation. A server
     * both list, as different incarnations, was restarted: one cluster holds its new incarnation, the
     * other still its old one, unreachable there. It counts in ours if it is reachable here, else in
     * theirs. (Without this, a cluster that still lists the old incarnations of servers that
     * restarted and formed a cluster of their own, two of three voters say, would never see the split:
     * each side's list names the other's servers, and the two clusters would stay apart for good.)
     */
    Verdict onMemberAnswer(Incarnation from, Set<Incarnation> theirs, Set<Incarnation> ours, Set<Long> ourUnreachable) {
        boolean theyListUs = ours.stream().anyMatch(i -> i.id() == self && theirs.contains(i));
        if (ours.contains(from) || theyListUs) {
            seen.remove(from.id()); // the same cluster, seen from two moments of gossip
            return Verdict.NONE;
        }
        int times = seen.merge(from.id(), 1, Integer::sum);
        if (times < 2) {
            return Verdict.NONE;
        }
        Set<Long> ourIds = new TreeSet<>();
        Set<Long> theirIds = new TreeSet<>();
        for (Incarnation i : ours) {
            boolean restartedThere = theirs.stream().anyMatch(t -> t.id() == i.id() && t.uid() != i.uid());
            if (!restartedThere || !ourUnreachable.contains(i.id())) {
                ourIds.add(i.id());
            }
        }
        for (Incarnation t : theirs) {
            boolean restartedHere = ours.stream().anyMatch(i -> i.id() == t.id() && i.uid() != t.uid());
            if (!restartedHere || ourUnreachable.contains(t.id())) {
                theirIds.add(t.id());
            }
        }
        return weLose(ourIds, theirIds) ? Verdict.WE_LOSE : Verdict.WE_WIN;
    }

    private static Set<Incarnation> incarnations(Set<Long> ids) {
        Set<Incarnation> out = new java.util.HashSet<>();
        ids.forEach(id -> out.add(new Incarnation(id, 0)));
        return out;
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
