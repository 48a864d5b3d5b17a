package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;

/** Jute record DeleteRequest, fields in ZooKeeper's schema order. */
public record DeleteRequest(String path, int version) implements PathRequest {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeInt(version);
    }

    public static DeleteRequest read(JuteInput in) {
        return new DeleteRequest(in.readString(), in.readInt());
    }
}
