package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record RequestHeader, fields in ZooKeeper's schema order. */
public record RequestHeader(int xid, int type) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeInt(xid);
        out.writeInt(type);
    }

    public static RequestHeader read(JuteInput in) {
        return new RequestHeader(in.readInt(), in.readInt());
    }
}
