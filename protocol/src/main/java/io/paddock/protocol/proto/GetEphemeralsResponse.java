package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** Jute record GetEphemeralsResponse, fields in ZooKeeper's schema order. */
public record GetEphemeralsResponse(List<String> ephemerals) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(ephemerals);
    }

    public static GetEphemeralsResponse read(JuteInput in) {
        return new GetEphemeralsResponse(in.readStringVector());
    }
}
