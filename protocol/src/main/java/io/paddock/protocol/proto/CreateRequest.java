package io.paddock.protocol.proto;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import java.util.List;

/** Jute record CreateRequest, fields in ZooKeeper's schema order. */
public record CreateRequest(String path, byte[] data, List<Acl> acl, int flags) implements PathRequest {
    @Override
    public void write(JuteOutput out) {
        out.writeString(path);
        out.writeBuffer(data);
        Acl.writeList(out, acl);
        out.writeInt(flags);
    }

    public static CreateRequest read(JuteInput in) {
        return new CreateRequest(in.readString(), in.readBuffer(), Acl.readList(in), in.readInt());
    }
}
