package io.paddock.protocol.proto;

import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import java.util.List;

/** Jute record WhoAmIResponse, fields in ZooKeeper's schema order. */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements JuteRecord {
    @Override
    public void write(JuteOutput out) {
        out.writeVector(clientInfo, (o, c) -> c.write(o));
    }

    public static WhoAmIResponse read(JuteInput in) {
        return new WhoAmIResponse(in.readVector(ClientInfo::read));
    }
}
