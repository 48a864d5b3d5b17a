package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** Jute record GetChildrenResponse, fields in ZooKeeper's schema order. */
public record GetChildrenResponse(List<String> children) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeStringVector(children);
    }

    public static GetChildrenResponse read(JuteInput in) {
        return new GetChildrenResponse(in.readStringVector());
    }
}
