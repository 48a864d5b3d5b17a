package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record GetEphemeralsRequest, fields in ZooKeeper's schema order. */
public record GetEphemeralsRequest(String prefixPath) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(prefixPath);
    }

    public static GetEphemeralsRequest read(JuteInput in) {
        return new GetEphemeralsRequest(in.readString());
    }
}
