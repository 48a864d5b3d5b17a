package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** The answer to a ConnectRequest; the readOnly byte is written only when the client sent one. */
public record ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd, boolean readOnly,
                              boolean writeReadOnly) implements JuteRecord {

    /** What ZooKeeper sends to a client whose session cannot be resumed: timeout 0, id 0, 16 zero bytes. */
    public static ConnectResponse refused(boolean writeReadOnly) {
        return new ConnectResponse(0, 0, 0L, new byte[16], false, writeReadOnly);
    }

    @Override
    public void write(JuteOutput out) {
        out.writeInt(protocolVersion).writeInt(timeOut).writeLong(sessionId).writeBuffer(passwd);
        if (writeReadOnly) {
            out.writeBool(readOnly);
        }
    }

    public static ConnectResponse read(JuteInput in) {
        int protocolVersion = in.readInt();
        int timeOut = in.readInt();
        long sessionId = in.readLong();
        byte[] passwd = in.readBuffer();
        boolean sent = in.remaining() > 0;
        boolean readOnly = sent && in.readBool();
        return new ConnectResponse(protocolVersion, timeOut, sessionId, passwd, readOnly, sent);
    }
}
