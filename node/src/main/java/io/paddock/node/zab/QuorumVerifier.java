package io.paddock.node.zab;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** A majority of the configured voters. Observers are never voters, and cluster membership never counts. */
public final class QuorumVerifier {
    private final Set<Long> voters;

    public QuorumVerifier(Collection<Long> voters) {
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a quorum needs at least one voter");
        }
        this.voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
    }

    /** The voters in ascending id order, so that whatever iterates them (a broadcast, a log line) is reproducible. */
    public Set<Long> voters() {
        return voters;
    }

    public int quorumSize() {
        return voters.size() / 2 + 1;
    }

    public boolean isVoter(long serverId) {
        return voters.contains(serverId);
    }

    /** True when the voters among {@code ids} are a majority of all voters. */
    public boolean containsQuorum(Collection<Long> ids) {
        int n = 0;
        for (Long id : new TreeSet<>(ids)) {
            if (voters.contains(id)) {
                n++;
            }
        }
        return n >= quorumSize();
    }
}
