package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record ErrorResponse, fields in ZooKeeper's schema order. */
public record ErrorResponse(int err) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeInt(err);
    }

    public static ErrorResponse read(JuteInput in) {
        return new ErrorResponse(in.readInt());
    }
}
