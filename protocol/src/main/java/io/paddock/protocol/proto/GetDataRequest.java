package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record GetDataRequest, fields in ZooKeeper's schema order. */
public record GetDataRequest(String path, boolean watch) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static GetDataRequest read(JuteInput in) {
        return new GetDataRequest(in.readString(), in.readBool());
    }
}
