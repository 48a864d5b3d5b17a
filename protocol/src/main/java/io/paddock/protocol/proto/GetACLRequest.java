package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record GetACLRequest, fields in ZooKeeper's schema order. */
public record GetACLRequest(String path) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }

    public static GetACLRequest read(JuteInput in) {
        return new GetACLRequest(in.readString());
    }
}
