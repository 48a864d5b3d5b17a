package io.paddock.node.cnxn;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.AddWatchRequest;
import io.paddock.protocol.proto.AuthPacket;
import io.paddock.protocol.proto.CheckVersionRequest;
import io.paddock.protocol.proto.CheckWatchesRequest;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.CreateTTLRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.GetACLRequest;
import io.paddock.protocol.proto.GetAllChildrenNumberRequest;
import io.paddock.protocol.proto.GetChildren2Request;
import io.paddock.protocol.proto.GetChildrenRequest;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.GetEphemeralsRequest;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.ReconfigRequest;
import io.paddock.protocol.proto.RemoveWatchesRequest;
import io.paddock.protocol.proto.SetACLRequest;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.proto.SetWatches;
import io.paddock.protocol.proto.SetWatches2;
import io.paddock.protocol.proto.SyncRequest;

/** Reads a request body by opcode. */
final class RequestDecoder {
    /** Marker for a request whose opcode has no body. */
    static final JuteRecord NO_BODY = out -> { };

    private RequestDecoder() {
    }

    /** The body, {@link #NO_BODY}, or null when the opcode is unknown. Malformed bytes throw MalformedRecordException. */
    static JuteRecord decode(int op, JuteInput in) {
        switch (op) {
            case OpCode.CREATE:
            case OpCode.CREATE2:
            case OpCode.CREATE_CONTAINER:
                return CreateRequest.read(in);
            case OpCode.CREATE_TTL:
                return CreateTTLRequest.read(in);
            case OpCode.DELETE:
            case OpCode.DELETE_CONTAINER:
                return DeleteRequest.read(in);
            case OpCode.EXISTS:
                return ExistsRequest.read(in);
            case OpCode.GET_DATA:
                return GetDataRequest.read(in);
            case OpCode.SET_DATA:
                return SetDataRequest.read(in);
            case OpCode.GET_ACL:
                return GetACLRequest.read(in);
            case OpCode.SET_ACL:
                return SetACLRequest.read(in);
            case OpCode.GET_CHILDREN:
                return GetChildrenRequest.read(in);
            case OpCode.GET_CHILDREN2:
                return GetChildren2Request.read(in);
            case OpCode.SYNC:
                return SyncRequest.read(in);
            case OpCode.CHECK:
                return CheckVersionRequest.read(in);
            case OpCode.MULTI:
            case OpCode.MULTI_READ:
                return MultiRequest.read(in);
            case OpCode.RECONFIG:
                return ReconfigRequest.read(in);
            case OpCode.CHECK_WATCHES:
                return CheckWatchesRequest.read(in);
            case OpCode.REMOVE_WATCHES:
                return RemoveWatchesRequest.read(in);
            case OpCode.AUTH:
                return AuthPacket.read(in);
            case OpCode.SET_WATCHES:
                return SetWatches.read(in);
            case OpCode.SET_WATCHES2:
                return SetWatches2.read(in);
            case OpCode.GET_EPHEMERALS:
                return GetEphemeralsRequest.read(in);
            case OpCode.GET_ALL_CHILDREN_NUMBER:
                return GetAllChildrenNumberRequest.read(in);
            case OpCode.ADD_WATCH:
                return AddWatchRequest.read(in);
            case OpCode.PING:
            case OpCode.WHO_AM_I:
            case OpCode.CLOSE_SESSION:
            case OpCode.SASL:
                return NO_BODY;
            default:
                return null;
        }
    }
}
