package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** Jute record ReconfigRequest, fields in ZooKeeper's schema order. */
public record ReconfigRequest(String joiningServers, String leavingServers, String newMembers, long curConfigId) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeString(joiningServers);
        out.writeString(leavingServers);
        out.writeString(newMembers);
        out.writeLong(curConfigId);
    }

    public static ReconfigRequest read(JuteInput in) {
        return new ReconfigRequest(in.readString(), in.readString(), in.readString(), in.readLong());
    }
}
