package io.paddock.protocol.proto;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** Jute record SetACLRequest, fields in ZooKeeper's schema order. */
public record SetACLRequest(String path, List<Acl> acl, int version) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        Acl.writeList(out, acl);
        out.writeInt(version);
    }

    public static SetACLRequest read(JuteInput in) {
        return new SetACLRequest(in.readString(), Acl.readList(in), in.readInt());
    }
}
