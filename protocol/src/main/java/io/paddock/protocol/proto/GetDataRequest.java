package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;

/** Jute record GetDataRequest, fields in ZooKeeper's schema order. */
public record GetDataRequest(String path, boolean watch) implements PathRequest {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static GetDataRequest read(JuteInput in) {
        return new GetDataRequest(in.readString(), in.readBool());
    }
}
