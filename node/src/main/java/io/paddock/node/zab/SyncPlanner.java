package io.paddock.node.zab;

import io.paddock.protocol.Zxid;
import io.paddock.protocol.txn.Txn;
import java.util.List;

/**
 * Decides how the leader brings one learner's log to its own, from the learner's last logged
 * zxid, as ZooKeeper's LearnerHandler.syncFollower does:
 * <ul>
 *   <li>{@link Diff}: the learner's zxid is one the leader has (a txn of its history, or the
 *       history's floor), so the learner's log is a prefix of the leader's: send the txns after
 *       it. Equal zxids give an empty DIFF.</li>
 *   <li>{@link TruncThenDiff}: the learner has a txn the leader does not, either inside the range
 *       the leader holds or above the leader's last zxid: a proposal of an epoch whose leader died
 *       before it committed. The leader never commits it, so the learner must drop it before it
 *       takes the leader's txns, or the replicas diverge (ZOOKEEPER-1154, where the learner used to
 *       get a DIFF and kept it). It truncates to the greatest zxid both share, the greatest leader
 *       zxid below its own, and then gets the leader's txns after that.</li>
 *   <li>{@link Snap}: the learner is below the oldest txn the leader still holds, so what it lacks
 *       cannot be sent as txns: it gets the leader's whole tree.</li>
 * </ul>
 * The learner's zxid must be its last logged txn's (or 0), never a synthetic epoch marker such as
 * {@code newEpoch << 32}: a zxid the leader does not hold always means a txn the leader does not
 * have. Whether the learner can truncate that far (its snapshots must not include what it drops)
 * is the learner's concern; a learner that cannot must discard its state and sync from scratch.
 */
public final class SyncPlanner {
    private SyncPlanner() {
    }

    /**
     * The txns the leader can still send, in zxid order: exactly its txns with zxids in
     * {@code (floor, lastZxid]}. Zxids need not be consecutive (a new epoch restarts the counter),
     * only increasing; with no txns held, {@code floor == lastZxid}.
     */
    public record History(long floor, long lastZxid, List<Txn> txns) {
        public History {
            txns = List.copyOf(txns);
            long previous = floor;
            for (Txn txn : txns) {
                if (txn.zxid() <= previous) {
                    throw new IllegalArgumentException("history txn " + Zxid.toHex(txn.zxid()) + " is not after "
                        + Zxid.toHex(previous));
                }
                previous = txn.zxid();
            }
            if (previous != lastZxid) {
                throw new IllegalArgumentException("history of (" + Zxid.toHex(floor) + ", " + Zxid.toHex(lastZxid)
                    + "] ends at " + Zxid.toHex(previous));
            }
        }
    }

    /** How to sync one learner. */
    public sealed interface Plan {
    }

    /** Send {@code txns} (possibly none): the learner's log is a prefix of the leader's. */
    public record Diff(List<Txn> txns) implements Plan {
    }

    /** Have the learner drop every txn above {@code truncateTo}, then send {@code txns}. */
    public record TruncThenDiff(long truncateTo, List<Txn> txns) implements Plan {
    }

    /** Send the leader's whole tree: the learner is behind everything the leader holds. */
    public record Snap() implements Plan {
    }

    public static Plan plan(History leader, long learnerZxid) {
        if (learnerZxid < leader.floor()) {
            return new Snap();
        }
        List<Txn> txns = leader.txns();
        // the number of held txns at or below the learner's zxid
        int shared = countAtOrBelow(txns, learnerZxid);
        List<Txn> after = List.copyOf(txns.subList(shared, txns.size()));
        long greatestShared = shared == 0 ? leader.floor() : txns.get(shared - 1).zxid();
        if (greatestShared == learnerZxid) {
            return new Diff(after);
        }
        return new TruncThenDiff(greatestShared, after);
    }

    private static int countAtOrBelow(List<Txn> txns, long zxid) {
        int low = 0;
        int high = txns.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (txns.get(mid).zxid() <= zxid) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
