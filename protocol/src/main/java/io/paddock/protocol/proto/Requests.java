package io.paddock.protocol.proto;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.function.Function;

/** The request record that follows a RequestHeader (or a MultiHeader), by opcode. */
public final class Requests {
    /** The body of a request whose opcode carries none (ping, whoAmI, closeSession, sasl). */
    public static final JuteRecord NO_BODY = out -> { };

    private Requests() {
    }

    /**
     * How to read the body of a request with opcode {@code op}; null for an opcode a client may
     * not send: an unknown one, or deleteContainer (20), which ZooKeeper's servers use among
     * themselves for their container reaper.
     */
    public static Function<JuteInput, ? extends JuteRecord> reader(int op) {
        switch (op) {
            case OpCode.CREATE:
            case OpCode.CREATE2:
            case OpCode.CREATE_CONTAINER:
                return CreateRequest::read;
            case OpCode.CREATE_TTL:
                return CreateTTLRequest::read;
            case OpCode.DELETE:
                return DeleteRequest::read;
            case OpCode.EXISTS:
                return ExistsRequest::read;
            case OpCode.GET_DATA:
                return GetDataRequest::read;
            case OpCode.SET_DATA:
                return SetDataRequest::read;
            case OpCode.GET_ACL:
                return GetACLRequest::read;
            case OpCode.SET_ACL:
                return SetACLRequest::read;
            case OpCode.GET_CHILDREN:
                return GetChildrenRequest::read;
            case OpCode.GET_CHILDREN2:
                return GetChildren2Request::read;
            case OpCode.SYNC:
                return SyncRequest::read;
            case OpCode.CHECK:
                return CheckVersionRequest::read;
            case OpCode.MULTI:
            case OpCode.MULTI_READ:
                return MultiRequest::read;
            case OpCode.RECONFIG:
                return ReconfigRequest::read;
            case OpCode.CHECK_WATCHES:
                return CheckWatchesRequest::read;
            case OpCode.REMOVE_WATCHES:
                return RemoveWatchesRequest::read;
            case OpCode.AUTH:
                return AuthPacket::read;
            case OpCode.SET_WATCHES:
                return SetWatches::read;
            case OpCode.SET_WATCHES2:
                return SetWatches2::read;
            case OpCode.GET_EPHEMERALS:
                return GetEphemeralsRequest::read;
            case OpCode.GET_ALL_CHILDREN_NUMBER:
                return GetAllChildrenNumberRequest::read;
            case OpCode.ADD_WATCH:
                return AddWatchRequest::read;
            case OpCode.PING:
            case OpCode.WHO_AM_I:
            case OpCode.CLOSE_SESSION:
            case OpCode.SASL:
                return in -> NO_BODY;
            default:
                return null;
        }
    }

    public static boolean isKnown(int op) {
        return reader(op) != null;
    }

    /** The body, {@link #NO_BODY}, or null when the opcode is unknown. Malformed bytes throw MalformedRecordException. */
    public static JuteRecord read(int op, JuteInput in) {
        Function<JuteInput, ? extends JuteRecord> reader = reader(op);
        return reader == null ? null : reader.apply(in);
    }
}
