package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;

/** Jute record SetDataRequest, fields in ZooKeeper's schema order. */
public record SetDataRequest(String path, byte[] data, int version) implements PathRequest {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        out.writeInt(version);
    }

    public static SetDataRequest read(JuteInput in) {
        return new SetDataRequest(in.readString(), in.readBuffer(), in.readInt());
    }
}
