package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record GetAllChildrenNumberResponse, fields in ZooKeeper's schema order. */
public record GetAllChildrenNumberResponse(int totalNumber) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeInt(totalNumber);
    }

    public static GetAllChildrenNumberResponse read(JuteInput in) {
        return new GetAllChildrenNumberResponse(in.readInt());
    }
}
