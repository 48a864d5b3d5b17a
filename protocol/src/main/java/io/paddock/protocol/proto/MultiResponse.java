package io.paddock.protocol.proto;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.jute.MalformedRecordException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a multi / multiRead reply: per op a MultiHeader {type, done=false, err} and the
 * op's result record (none for delete and check), ending with {-1, true, -1}. A failed op has
 * type -1 (error) and an ErrorResponse body.
 *
 * <p>On the wire a createContainer or createTTL result is a create2 result and a deleteContainer
 * result is a delete result, as ZooKeeper's server sends them: its client's MultiResponse knows no
 * other create or delete types and would fail the whole multi on 19, 20 or 21. {@link #write}
 * applies that mapping, so callers may pass the op's own type.
 */
public record MultiResponse(List<OpResult> results) implements JuteRecord {

    /** One op's outcome; {@code body} is null for ops whose result has no record. */
    public record OpResult(int type, int err, JuteRecord body) {
        public static OpResult error(int err) {
            return new OpResult(OpCode.ERROR, err, new ErrorResponse(err));
        }
    }

    @Override
    public void write(JuteOutput out) {
        for (OpResult r : results) {
            new MultiHeader(wireType(r.type()), false, r.err()).write(out);
            if (r.body() != null) {
                r.body().write(out);
            }
        }
        new MultiHeader(-1, true, -1).write(out);
    }

    /** The result type ZooKeeper's client understands for an op of {@code type}. */
    private static int wireType(int type) {
        switch (type) {
            case OpCode.CREATE_CONTAINER:
            case OpCode.CREATE_TTL:
                return OpCode.CREATE2;
            case OpCode.DELETE_CONTAINER:
                return OpCode.DELETE;
            default:
                return type;
        }
    }

    public static MultiResponse read(JuteInput in) {
        List<OpResult> results = new ArrayList<>();
        MultiHeader h = MultiHeader.read(in);
        while (!h.done()) {
            results.add(new OpResult(h.type(), h.err(), readResult(h.type(), in)));
            h = MultiHeader.read(in);
        }
        return new MultiResponse(results);
    }

    private static JuteRecord readResult(int type, JuteInput in) {
        switch (type) {
            case OpCode.CREATE:
                return CreateResponse.read(in);
            case OpCode.CREATE2:
            case OpCode.CREATE_TTL:
            case OpCode.CREATE_CONTAINER:
                return Create2Response.read(in);
            case OpCode.DELETE:
            case OpCode.DELETE_CONTAINER:
            case OpCode.CHECK:
                return null;
            case OpCode.SET_DATA:
                return SetDataResponse.read(in);
            case OpCode.GET_CHILDREN:
                return GetChildrenResponse.read(in);
            case OpCode.GET_DATA:
                return GetDataResponse.read(in);
            case OpCode.ERROR:
                return ErrorResponse.read(in);
            default:
                throw new MalformedRecordException("invalid result type " + type + " in multi response");
        }
    }
}
