package io.paddock.protocol.data;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** An identity in an ACL or a session's auth info: scheme (world, auth, digest, ip, super) and id. */
public record Id(String scheme, String id) implements JuteRecord {
    public static final Id ANYONE = new Id("world", "anyone");

    @Override
    public void write(JuteOutput out) {
        out.writeString(scheme).writeString(id);
    }

    public static Id read(JuteInput in) {
        return new Id(in.readString(), in.readString());
    }
}
