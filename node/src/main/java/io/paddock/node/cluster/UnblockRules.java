package io.paddock.node.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a member's {@link ClusterJoiner} downs unreachable members, as plain Java (no Pekko, time
 * as input). Paddock runs without a downing provider, and that has one hole, measured: Pekko
 * removes a member (and so lets a restarted server's new incarnation replace its old one) only
 * when the cluster has converged, and a member that is unreachable and not Down blocks
 * convergence. So with server 3 dead, a restarted server 2 is never let back in, although 1 and 2
 * are a majority of the voters: the ensemble stays unavailable until 3 comes back.
 *
 * <p>The rule: a member downs the members that have been unreachable for at least
 * {@code unreachableNanos} only when all of these hold:
 * <ul>
 *   <li>some server has been asking it in particular to let it in (a non-member's probe naming
 *       this node as its join target) for at least {@code blockedNanos}: downing happens only to
 *       unblock a join, never just because a node is unreachable;</li>
 *   <li>this node, the reachable member voters it sees, and the voters asking it to let them in
 *       are a majority of the configured voters. A joiner asks one member at a time, so the two
 *       sides of a partition cannot both count it.</li>
 * </ul>
 * A downed node that was only cut off learns it was downed when the partition heals; Pekko then
 * stops its ActorSystem, and the node must be restarted (a new incarnation) to come back.
 */
final class UnblockRules {
    /**
     * One cluster member as this node sees it.
     *
     * @param id        the configured server at its address, or -1
     * @param key       identifies the incarnation (its unique address)
     * @param down      its status is Down (or it is being removed)
     * @param reachable this node's view of its reachability
     */
    record MemberView(long id, String key, boolean down, boolean reachable) {
    }

    private final long self;
    private final Set<Long> voters;
    private final int majority;
    private final long blockedNanos;
    private final long unreachableNanos;
    private final long aliveNanos;
    private final Map<Long, long[]> asking = new HashMap<>(); // id -> {first, last} request time
    private final Map<String, Long> unreachableSince = new HashMap<>();

    UnblockRules(long self, Set<Long> voters, long blockedNanos, long unreachableNanos, long aliveNanos) {
        this.self = self;
        this.voters = Set.copyOf(voters);
        this.majority = voters.size() / 2 + 1;
        this.blockedNanos = blockedNanos;
        this.unreachableNanos = unreachableNanos;
        this.aliveNanos = aliveNanos;
    }

    /** Server {@code from}, not a member, asks this member to let it in (its probe names us as its join target). */
    void onJoinRequest(long from, long now) {
        long[] t = asking.get(from);
        if (t == null || now - t[1] > aliveNanos) {
            asking.put(from, new long[] {now, now});
        } else {
            t[1] = now;
        }
    }

    /** The members to down now (possibly none), given this node's current view of the members. */
    List<MemberView> toDown(List<MemberView> members, long now) {
        Set<String> present = new HashSet<>();
        for (MemberView m : members) {
            present.add(m.key());
            if (!m.reachable() && !m.down()) {
                unreachableSince.putIfAbsent(m.key(), now);
            } else {
                unreachableSince.remove(m.key());
            }
        }
        unreachableSince.keySet().retainAll(present);
        Set<Long> alive = new HashSet<>();
        boolean blocked = false;
        for (Iterator<Map.Entry<Long, long[]>> it = asking.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            long[] t = e.getValue();
            if (now - t[1] > aliveNanos) {
                it.remove(); // stopped asking: it got in, or went away
                continue;
            }
            alive.add(e.getKey());
            blocked |= now - t[0] >= blockedNanos;
        }
        if (!blocked) {
            return List.of();
        }
        List<MemberView> candidates = new ArrayList<>();
        alive.add(self);
        for (MemberView m : members) {
            if (m.reachable() && !m.down()) {
                alive.add(m.id());
            } else if (!m.down() && now - unreachableSince.get(m.key()) >= unreachableNanos) {
                candidates.add(m);
            }
        }
        alive.retainAll(voters);
        return alive.size() >= majority ? candidates : List.of();
    }
}
