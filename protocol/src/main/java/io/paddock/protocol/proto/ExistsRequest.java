package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record ExistsRequest, fields in ZooKeeper's schema order. */
public record ExistsRequest(String path, boolean watch) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static ExistsRequest read(JuteInput in) {
        return new ExistsRequest(in.readString(), in.readBool());
    }
}
