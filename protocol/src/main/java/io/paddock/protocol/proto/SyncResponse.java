package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record SyncResponse, fields in ZooKeeper's schema order. */
public record SyncResponse(String path) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }

    public static SyncResponse read(JuteInput in) {
        return new SyncResponse(in.readString());
    }
}
