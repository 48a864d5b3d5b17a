package io.paddock.node.request;

import io.paddock.node.tree.ApplyResult;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.Requests;
import io.paddock.protocol.txn.Txn;
import java.util.List;

/**
 * A write on its way through the pipeline: prepared into a txn, logged, committed, applied, and
 * answered through {@code origin} (null for the server's own requests, such as session expiry).
 *
 * @param body       for createSession, the ConnectRequest with the negotiated timeout
 * @param connection the client connection it came through, a random token ({@link #SERVER} for the
 *                   server's own): the leader takes writes of a session only from the connection
 *                   that created or last resumed it ({@link io.paddock.node.session.SessionTracker#claim})
 */
public record Request(long sessionId, int xid, int op, JuteRecord body, List<Id> authInfo, long connection,
                      Origin origin) {
    /**
     * The connection of the server's own requests (session expiry, the reaper, the secret), whose
     * writes no owner check stops (nor those of a learner of an older build, which sends none).
     */
    public static final long SERVER = 0;

    /**
     * Where a write's outcome goes once it is applied; called by the applier under the tree's write
     * lock. For a sync, which makes no txn, {@code txn} is null and it is called once everything
     * before it is applied.
     */
    public interface Origin {
        void applied(Request request, Txn txn, ApplyResult result);
    }

    /** This request as a learner forwards it to the leader. */
    public LearnerMessage.Forwarded toForwarded() {
        return new LearnerMessage.Forwarded(sessionId, connection, xid, op, body == null ? new byte[0] : body.toBytes(),
            authInfo);
    }

    /**
     * A learner's forwarded request on the leader, with no local client (the learner answers it);
     * deleteContainer, the reaper's own, is refused.
     */
    public static Request forwarded(LearnerMessage.Forwarded f) {
        if (f.op() == OpCode.DELETE_CONTAINER) {
            return new Request(f.sessionId(), f.cxid(), OpCode.ERROR, null, f.authInfo(), f.connection(), null);
        }
        JuteInput in = new JuteInput(f.body());
        JuteRecord body = f.op() == OpCode.CREATE_SESSION || f.op() == RequestPreparer.REVALIDATE ? ConnectRequest.read(in)
            : Requests.read(f.op(), in);
        return new Request(f.sessionId(), f.cxid(), f.op(), body, f.authInfo(), f.connection(), null);
    }
}
