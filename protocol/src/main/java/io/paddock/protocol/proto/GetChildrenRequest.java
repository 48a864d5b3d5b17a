package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;

/** Jute record GetChildrenRequest, fields in ZooKeeper's schema order. */
public record GetChildrenRequest(String path, boolean watch) implements PathRequest {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static GetChildrenRequest read(JuteInput in) {
        return new GetChildrenRequest(in.readString(), in.readBool());
    }
}
