package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** Jute record SetWatches2, fields in ZooKeeper's schema order. */
public record SetWatches2(long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches, List<String> persistentWatches, List<String> persistentRecursiveWatches) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeLong(relativeZxid);
        out.writeStringVector(dataWatches);
        out.writeStringVector(existWatches);
        out.writeStringVector(childWatches);
        out.writeStringVector(persistentWatches);
        out.writeStringVector(persistentRecursiveWatches);
    }

    public static SetWatches2 read(JuteInput in) {
        return new SetWatches2(in.readLong(), in.readStringVector(), in.readStringVector(), in.readStringVector(), in.readStringVector(), in.readStringVector());
    }
}
