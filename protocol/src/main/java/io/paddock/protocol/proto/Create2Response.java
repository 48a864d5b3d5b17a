package io.paddock.protocol.proto;

import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record Create2Response, fields in ZooKeeper's schema order. */
public record Create2Response(String path, Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        stat.write(out);
    }

    public static Create2Response read(JuteInput in) {
        return new Create2Response(in.readString(), Stat.read(in));
    }
}
