package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record WatcherEvent, fields in ZooKeeper's schema order. */
public record WatcherEvent(int type, int state, String path) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeInt(state);
        out.writeString(path);
    }

    public static WatcherEvent read(JuteInput in) {
        return new WatcherEvent(in.readInt(), in.readInt(), in.readString());
    }
}
