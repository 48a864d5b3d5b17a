package io.paddock.protocol.data;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;

/** A znode's stat exactly as clients see it. */
public record Stat(long czxid, long mzxid, long ctime, long mtime, int version, int cversion, int aversion,
                   long ephemeralOwner, int dataLength, int numChildren, long pzxid) implements JuteRecord {

    @Override
    public void write(JuteOutput out) {
        out.writeLong(czxid).writeLong(mzxid).writeLong(ctime).writeLong(mtime)
            .writeInt(version).writeInt(cversion).writeInt(aversion)
            .writeLong(ephemeralOwner).writeInt(dataLength).writeInt(numChildren).writeLong(pzxid);
    }

    public static Stat read(JuteInput in) {
        return new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readInt(),
            in.readInt(), in.readLong(), in.readInt(), in.readInt(), in.readLong());
    }
}
