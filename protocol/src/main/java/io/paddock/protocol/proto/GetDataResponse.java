package io.paddock.protocol.proto;

import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record GetDataResponse, fields in ZooKeeper's schema order. */
public record GetDataResponse(byte[] data, Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeBuffer(data);
        stat.write(out);
    }

    public static GetDataResponse read(JuteInput in) {
        return new GetDataResponse(in.readBuffer(), Stat.read(in));
    }
}
