package io.paddock.protocol;

/** A ZooKeeper transaction id: the leader's epoch in the high 32 bits, a counter in the low 32. */
public final class Zxid {
    private Zxid() {
    }

    public static long make(long epoch, long counter) {
        return (epoch << 32) | (counter & 0xffffffffL);
    }

    public static long epoch(long zxid) {
        return zxid >>> 32;
    }

    public static long counter(long zxid) {
        return zxid & 0xffffffffL;
    }

    public static String toHex(long zxid) {
        return "0x" + Long.toHexString(zxid);
    }
}
