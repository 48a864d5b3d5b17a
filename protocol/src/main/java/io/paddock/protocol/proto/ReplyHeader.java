package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record ReplyHeader, fields in ZooKeeper's schema order. */
public record ReplyHeader(int xid, long zxid, int err) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeInt(xid);
        out.writeLong(zxid);
        out.writeInt(err);
    }

    public static ReplyHeader read(JuteInput in) {
        return new ReplyHeader(in.readInt(), in.readLong(), in.readInt());
    }
}
