package io.paddock.protocol.data;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** One authenticated identity of a session, as whoAmI reports it. */
public record ClientInfo(String authScheme, String user) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(authScheme).writeString(user);
    }

    public static ClientInfo read(JuteInput in) {
        return new ClientInfo(in.readString(), in.readString());
    }
}
