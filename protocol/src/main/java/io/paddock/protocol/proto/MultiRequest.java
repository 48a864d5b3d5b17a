package io.paddock.protocol.proto;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.jute.MalformedRecordException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of multi (14) and multiRead (22): each op is a MultiHeader {type, done=false, err=-1}
 * followed by its request record; a header with done=true ends the list.
 */
public record MultiRequest(List<Op> ops) implements JuteRecord {

    /** One operation of a multi: its opcode and request record. */
    public record Op(int type, JuteRecord request) {
    }

    @Override
    public void write(JuteOutput out) {
        for (Op op : ops) {
            new MultiHeader(op.type(), false, -1).write(out);
            op.request().write(out);
        }
        new MultiHeader(-1, true, -1).write(out);
    }

    public static MultiRequest read(JuteInput in) {
        List<Op> ops = new ArrayList<>();
        MultiHeader h = MultiHeader.read(in);
        while (!h.done()) {
            ops.add(new Op(h.type(), readOp(h.type(), in)));
            h = MultiHeader.read(in);
        }
        return new MultiRequest(ops);
    }

    /** The ops ZooKeeper accepts inside multi and multiRead; their records are read as for a plain request. */
    private static JuteRecord readOp(int type, JuteInput in) {
        switch (type) {
            case OpCode.CREATE:
            case OpCode.CREATE2:
            case OpCode.CREATE_CONTAINER:
            case OpCode.CREATE_TTL:
            case OpCode.DELETE:
            case OpCode.SET_DATA:
            case OpCode.CHECK:
            case OpCode.GET_CHILDREN:
            case OpCode.GET_DATA:
                return Requests.read(type, in);
            default:
                throw new MalformedRecordException("invalid op type " + type + " in multi");
        }
    }
}
