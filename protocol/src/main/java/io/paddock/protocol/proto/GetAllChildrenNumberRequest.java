package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record GetAllChildrenNumberRequest, fields in ZooKeeper's schema order. */
public record GetAllChildrenNumberRequest(String path) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }

    public static GetAllChildrenNumberRequest read(JuteInput in) {
        return new GetAllChildrenNumberRequest(in.readString());
    }
}
