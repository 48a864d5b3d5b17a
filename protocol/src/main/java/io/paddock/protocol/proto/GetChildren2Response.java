package io.paddock.protocol.proto;

import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** Jute record GetChildren2Response, fields in ZooKeeper's schema order. */
public record GetChildren2Response(List<String> children, Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(children);
        stat.write(out);
    }

    public static GetChildren2Response read(JuteInput in) {
        return new GetChildren2Response(in.readStringVector(), Stat.read(in));
    }
}
