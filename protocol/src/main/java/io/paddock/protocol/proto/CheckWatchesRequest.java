package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record CheckWatchesRequest, fields in ZooKeeper's schema order. */
public record CheckWatchesRequest(String path, int type) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(type);
    }

    public static CheckWatchesRequest read(JuteInput in) {
        return new CheckWatchesRequest(in.readString(), in.readInt());
    }
}
