package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record AddWatchRequest, fields in ZooKeeper's schema order. */
public record AddWatchRequest(String path, int mode) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(mode);
    }

    public static AddWatchRequest read(JuteInput in) {
        return new AddWatchRequest(in.readString(), in.readInt());
    }
}
