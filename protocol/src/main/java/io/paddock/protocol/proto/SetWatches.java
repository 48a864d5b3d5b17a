package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** Jute record SetWatches, fields in ZooKeeper's schema order. */
public record SetWatches(long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeLong(relativeZxid);
        out.writeStringVector(dataWatches);
        out.writeStringVector(existWatches);
        out.writeStringVector(childWatches);
    }

    public static SetWatches read(JuteInput in) {
        return new SetWatches(in.readLong(), in.readStringVector(), in.readStringVector(), in.readStringVector());
    }
}
