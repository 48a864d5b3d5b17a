package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record CreateResponse, fields in ZooKeeper's schema order. */
public record CreateResponse(String path) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
    }

    public static CreateResponse read(JuteInput in) {
        return new CreateResponse(in.readString());
    }
}
