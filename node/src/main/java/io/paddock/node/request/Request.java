package io.paddock.node.request;

import io.paddock.node.tree.ApplyResult;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.txn.Txn;
import java.util.List;

/**
 * A write on its way through the pipeline: prepared into a txn, logged, committed, applied, and
 * answered through {@code origin} (null for the server's own requests, such as session expiry).
 *
 * @param body for createSession, the ConnectRequest with the negotiated timeout
 */
public record Request(long sessionId, int xid, int op, JuteRecord body, List<Id> authInfo, Origin origin) {

    /**
     * Where a write's outcome goes once it is applied; called by the applier under the tree's write
     * lock. For a sync, which makes no txn, {@code txn} is null and it is called once everything
     * before it is applied.
     */
    public interface Origin {
        void applied(Request request, Txn txn, ApplyResult result);
    }
}
