package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record GetChildren2Request, fields in ZooKeeper's schema order. */
public record GetChildren2Request(String path, boolean watch) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBool(watch);
    }

    public static GetChildren2Request read(JuteInput in) {
        return new GetChildren2Request(in.readString(), in.readBool());
    }
}
