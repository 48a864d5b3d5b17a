package io.paddock.node.cnxn;

import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.WatcherEvent;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.util.ByteString;

/** Encodes what the server sends: length-prefixed replies and watch events, raw text for four-letter words. */
final class Replies {
    static final int NOTIFICATION_XID = -1;
    static final int PING_XID = -2;

    private Replies() {
    }

    /** ReplyHeader {xid, zxid, err} and, when err is 0, the body. */
    static ByteString reply(int xid, long zxid, int err, JuteRecord body) {
        JuteOutput o = new JuteOutput(64);
        o.writeInt(0).writeInt(xid).writeLong(zxid).writeInt(err);
        if (err == 0 && body != null) {
            body.write(o);
        }
        return framed(o);
    }

    /** A record with no ReplyHeader (the ConnectResponse). */
    static ByteString bare(JuteRecord record) {
        JuteOutput o = new JuteOutput(64);
        o.writeInt(0);
        record.write(o);
        return framed(o);
    }

    static ByteString event(EventType type, String path, long zxid) {
        return reply(NOTIFICATION_XID, zxid, 0, new WatcherEvent(type.code(), KeeperState.SYNC_CONNECTED.code(), path));
    }

    static ByteString text(String s) {
        return ByteString.fromArrayUnsafe(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteString framed(JuteOutput o) {
        o.setInt(0, o.size() - 4);
        return ByteString.fromArrayUnsafe(o.array(), 0, o.size());
    }
}
