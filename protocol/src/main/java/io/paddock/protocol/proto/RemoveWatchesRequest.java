package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record RemoveWatchesRequest, fields in ZooKeeper's schema order. */
public record RemoveWatchesRequest(String path, int type) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(type);
    }

    public static RemoveWatchesRequest read(JuteInput in) {
        return new RemoveWatchesRequest(in.readString(), in.readInt());
    }
}
