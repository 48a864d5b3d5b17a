package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;

/** Jute record CheckVersionRequest, fields in ZooKeeper's schema order. */
public record CheckVersionRequest(String path, int version) implements PathRequest {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(version);
    }

    public static CheckVersionRequest read(JuteInput in) {
        return new CheckVersionRequest(in.readString(), in.readInt());
    }
}
