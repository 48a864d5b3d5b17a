package io.paddock.node.cnxn;

import io.paddock.node.request.Request;
import io.paddock.node.tree.ApplyResult;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.Create2Response;
import io.paddock.protocol.proto.CreateResponse;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.MultiResponse;
import io.paddock.protocol.proto.SetACLResponse;
import io.paddock.protocol.proto.SetDataResponse;
import io.paddock.protocol.proto.SyncRequest;
import io.paddock.protocol.proto.SyncResponse;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.ArrayList;
import java.util.List;

/** Builds the reply to an applied write from its request and what applying it produced. */
final class WriteReplies {
    record Reply(int err, JuteRecord body) {
    }

    private WriteReplies() {
    }

    static Reply build(Request request, Txn txn, ApplyResult result) {
        if (request.op() == OpCode.SYNC) {
            return new Reply(0, new SyncResponse(((SyncRequest) request.body()).path()));
        }
        if (request.op() == OpCode.MULTI && txn.op() instanceof TxnOp.MultiTxn multi) {
            return new Reply(0, multi(((MultiRequest) request.body()).ops(), multi, result));
        }
        if (result.failed()) {
            return new Reply(result.err(), null);
        }
        return new Reply(0, body(request.op(), result));
    }

    /** The result record of one successful op (null when the op's reply has no body). */
    private static JuteRecord body(int op, ApplyResult r) {
        switch (op) {
            case OpCode.CREATE:
                return new CreateResponse(r.path());
            case OpCode.CREATE2:
            case OpCode.CREATE_CONTAINER:
            case OpCode.CREATE_TTL:
                return new Create2Response(r.path(), r.stat());
            case OpCode.SET_DATA:
            case OpCode.CHECK:
                return new SetDataResponse(r.stat());
            case OpCode.SET_ACL:
                return new SetACLResponse(r.stat());
            default:
                return null;
        }
    }

    /** A failed multi holds only ErrorTxns: every op is reported as an error result, the earlier ones with code 0. */
    private static MultiResponse multi(List<MultiRequest.Op> ops, TxnOp.MultiTxn txn, ApplyResult result) {
        boolean failed = txn.ops().stream().anyMatch(o -> o instanceof TxnOp.ErrorTxn);
        List<MultiResponse.OpResult> out = new ArrayList<>(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            ApplyResult r = result.multi().get(i);
            if (failed) {
                out.add(MultiResponse.OpResult.error(r.err()));
            } else {
                int type = ops.get(i).type();
                // inside a multi, a check reports no stat
                out.add(new MultiResponse.OpResult(type, 0, type == OpCode.CHECK ? null : body(type, r)));
            }
        }
        return new MultiResponse(out);
    }
}
