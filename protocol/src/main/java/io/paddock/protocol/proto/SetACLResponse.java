package io.paddock.protocol.proto;

import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record SetACLResponse, fields in ZooKeeper's schema order. */
public record SetACLResponse(Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        stat.write(out);
    }

    public static SetACLResponse read(JuteInput in) {
        return new SetACLResponse(Stat.read(in));
    }
}
