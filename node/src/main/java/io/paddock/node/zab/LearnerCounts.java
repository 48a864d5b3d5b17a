package io.paddock.node.zab;

import java.util.List;

/**
 * A leader's learners at one moment, counted as ZooKeeper's mntr counts them: every learner with
 * a session ({@code learners}, syncing ones included), the followers and observers it has synced
 * and now forwards every proposal to (ZooKeeper's forwarding followers and observing learners),
 * those of the synced followers that are not voters, and the syncs waiting for the proposals
 * before them to commit.
 *
 * @param syncedObservers the synced observers' server ids, in the order they came
 */
public record LearnerCounts(int learners, int syncedFollowers, int syncedNonVotingFollowers, List<Long> syncedObservers,
                            int pendingSyncs) {
    public static final LearnerCounts NONE = new LearnerCounts(0, 0, 0, List.of(), 0);

    public LearnerCounts {
        syncedObservers = List.copyOf(syncedObservers);
    }
}
