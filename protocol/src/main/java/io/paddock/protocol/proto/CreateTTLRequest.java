package io.paddock.protocol.proto;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import java.util.List;

/** Jute record CreateTTLRequest, fields in ZooKeeper's schema order. */
public record CreateTTLRequest(String path, byte[] data, List<Acl> acl, int flags, long ttl) implements PathRequest {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        Acl.writeList(out, acl);
        out.writeInt(flags);
        out.writeLong(ttl);
    }

    public static CreateTTLRequest read(JuteInput in) {
        return new CreateTTLRequest(in.readString(), in.readBuffer(), Acl.readList(in), in.readInt(), in.readLong());
    }
}
