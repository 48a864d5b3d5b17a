package io.paddock.node.role;

import io.paddock.node.request.Request;
import io.paddock.protocol.Batches;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.txn.Txn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A learner's book of its own clients' writes and syncs, from forwarding to their answer: writes
 * wait to be forwarded together, and are matched, by session and xid as ZooKeeper's
 * CommitProcessor does, to the committed txns they became; a sync is answered once this node has
 * applied everything the leader had committed when it answered. One per learner session.
 */
final class LocalWrites {
    /** Writes forwarded, by session, in the order sent. */
    private final Map<Long, ArrayDeque<Request>> forwarded = new HashMap<>();
    /** Writes not yet sent to the leader: those that arrive together go as one ForwardRequest. */
    private final List<LearnerMessage.Forwarded> unforwarded = new ArrayList<>();
    /** Syncs waiting for the leader's SyncDone, by token. */
    private final Map<Long, Request> syncRequests = new HashMap<>();
    /** Syncs answered by the leader, waiting until this node has applied up to their zxid. */
    private final List<Map.Entry<Long, Request>> syncsToApply = new ArrayList<>();
    private long nextSyncToken;

    /** Queues a write to forward; true when it is the first waiting (the caller schedules {@link #drain}). */
    boolean write(Request r) {
        forwarded.computeIfAbsent(r.sessionId(), s -> new ArrayDeque<>()).add(r);
        unforwarded.add(r.toForwarded());
        return unforwarded.size() == 1;
    }

    /**
     * Queues a revalidation (a client resumed its session here) to forward, then the sync that
     * answers it: the leader moves the session's owner here before it sees the sync. Its token.
     */
    long revalidate(Request r) {
        unforwarded.add(r.toForwarded());
        return sync(r);
    }

    /** The writes waiting to be forwarded, in batches of at most {@code budget} bytes each. */
    List<List<LearnerMessage.Forwarded>> drain(long budget) {
        List<List<LearnerMessage.Forwarded>> batches = Batches.split(List.copyOf(unforwarded), PeerFrames::size, budget);
        unforwarded.clear();
        return batches;
    }

    /** The write of this node's client that {@code txn} is, or null. */
    Request matching(Txn txn) {
        ArrayDeque<Request> queue = forwarded.get(txn.sessionId());
        if (queue == null || queue.isEmpty() || queue.peek().xid() != txn.cxid()) {
            return null;
        }
        Request r = queue.poll();
        if (queue.isEmpty()) {
            forwarded.remove(txn.sessionId());
        }
        return r;
    }

    /** Registers a sync; its token, for the leader's SyncDone. */
    long sync(Request r) {
        long token = ++nextSyncToken;
        syncRequests.put(token, r);
        return token;
    }

    /** The leader answered sync {@code token} with everything up to {@code zxid} committed. */
    void syncDone(long token, long zxid) {
        Request r = syncRequests.remove(token);
        if (r != null) {
            syncsToApply.add(Map.entry(zxid, r));
        }
    }

    /** The syncs this node may answer now that it has applied up to {@code applied}. */
    List<Request> syncsApplied(long applied) {
        List<Request> ready = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Request>> it = syncsToApply.iterator(); it.hasNext(); ) {
            Map.Entry<Long, Request> e = it.next();
            if (e.getKey() <= applied) {
                it.remove();
                ready.add(e.getValue());
            }
        }
        return ready;
    }
}
