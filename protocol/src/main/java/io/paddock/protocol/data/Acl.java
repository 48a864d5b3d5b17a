package io.paddock.protocol.data;

import io.paddock.protocol.Perms;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** One ACL entry: permission bits granted to an id. */
public record Acl(int perms, Id id) implements JuteRecord {
    public static final List<Acl> OPEN_ACL_UNSAFE = List.of(new Acl(Perms.ALL, Id.ANYONE));
    public static final List<Acl> READ_ACL_UNSAFE = List.of(new Acl(Perms.READ, Id.ANYONE));

    @Override
    public void write(JuteOutput out) {
        out.writeInt(perms);
        id.write(out);
    }

    public static Acl read(JuteInput in) {
        return new Acl(in.readInt(), Id.read(in));
    }

    public static List<Acl> readList(JuteInput in) {
        return in.readVector(Acl::read);
    }

    public static void writeList(JuteOutput out, List<Acl> acl) {
        out.writeVector(acl, (o, a) -> a.write(o));
    }
}
