package io.paddock.protocol.proto;

import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record ExistsResponse, fields in ZooKeeper's schema order. */
public record ExistsResponse(Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        stat.write(out);
    }

    public static ExistsResponse read(JuteInput in) {
        return new ExistsResponse(Stat.read(in));
    }
}
