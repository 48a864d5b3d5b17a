package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record SyncRequest, fields in ZooKeeper's schema order. */
public record SyncRequest(String path) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }

    public static SyncRequest read(JuteInput in) {
        return new SyncRequest(in.readString());
    }
}
