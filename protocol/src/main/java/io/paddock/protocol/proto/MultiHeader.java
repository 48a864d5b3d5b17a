package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record MultiHeader, fields in ZooKeeper's schema order. */
public record MultiHeader(int type, boolean done, int err) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeInt(type);
        out.writeBool(done);
        out.writeInt(err);
    }

    public static MultiHeader read(JuteInput in) {
        return new MultiHeader(in.readInt(), in.readBool(), in.readInt());
    }
}
