package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record AuthPacket, fields in ZooKeeper's schema order. */
public record AuthPacket(int type, String scheme, byte[] auth) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeString(scheme);
        out.writeBuffer(auth);
    }

    public static AuthPacket read(JuteInput in) {
        return new AuthPacket(in.readInt(), in.readString(), in.readBuffer());
    }
}
