package io.paddock.protocol.proto;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** Jute record GetACLResponse, fields in ZooKeeper's schema order. */
public record GetACLResponse(List<Acl> acl, Stat stat) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        Acl.writeList(out, acl);
        stat.write(out);
    }

    public static GetACLResponse read(JuteInput in) {
        return new GetACLResponse(Acl.readList(in), Stat.read(in));
    }
}
