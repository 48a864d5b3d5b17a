package io.paddock.protocol.peer;

/**
 * A vote for {@code leader}, which has logged up to {@code zxid} and last acknowledged epoch
 * {@code peerEpoch}. Votes order as in ZooKeeper's fast leader election: higher peer epoch,
 * then higher zxid, then higher server id.
 */
public record Vote(long leader, long zxid, long peerEpoch) implements Comparable<Vote> {
    @Override
    public int compareTo(Vote o) {
        int c = Long.compare(peerEpoch, o.peerEpoch);
        if (c != 0) {
            return c;
        }
        c = Long.compare(zxid, o.zxid);
        return c != 0 ? c : Long.compare(leader, o.leader);
    }

    /** True when this vote should replace {@code other}. */
    public boolean beats(Vote other) {
        return compareTo(other) > 0;
    }
}
