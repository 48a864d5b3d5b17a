package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/**
 * The first packet of a connection (no RequestHeader). Old clients omit the trailing readOnly
 * byte; {@code readOnlySent} remembers whether it was there, because the response echoes it
 * only then.
 */
public record ConnectRequest(int protocolVersion, long lastZxidSeen, int timeOut, long sessionId, byte[] passwd,
                             boolean readOnly, boolean readOnlySent) implements JuteRecord {

    public ConnectRequest(int protocolVersion, long lastZxidSeen, int timeOut, long sessionId, byte[] passwd,
                          boolean readOnly) {
        this(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly, true);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion).writeLong(lastZxidSeen).writeInt(timeOut).writeLong(sessionId).writeBuffer(passwd);
        if (readOnlySent) {
            out.writeBool(readOnly);
        }
    }

    public static ConnectRequest read(JuteInput in) {
        int protocolVersion = in.readInt();
        long lastZxidSeen = in.readLong();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean sent = in.remaining() > 0;
        boolean readOnly = sent && in.readBool();
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly, sent);
    }
}
