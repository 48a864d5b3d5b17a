package io.paddock.protocol.txn;

/**
 * How ZooKeeper encodes special node kinds in a node's ephemeralOwner: a container is
 * {@code 0x8000000000000000}, a TTL node is {@code 0xFF} in the top byte with its TTL in ms below,
 * a normal ephemeral is its session id, and 0 is a plain persistent node. Clients see 0 for
 * containers and TTL nodes.
 */
public final class EphemeralType {
    private EphemeralType() {
    }

    public static final long CONTAINER = Long.MIN_VALUE;
    private static final long TTL_MASK = 0xFF00000000000000L;
    /** The largest TTL ZooKeeper accepts, 2^40 - 1 ms. */
    public static final long MAX_TTL = 0x000000FFFFFFFFFFL;

    public static long ttl(long ttlMillis) {
        return TTL_MASK | ttlMillis;
    }

    public static boolean isContainer(long ephemeralOwner) {
        return ephemeralOwner == CONTAINER;
    }

    public static boolean isTtl(long ephemeralOwner) {
        return (ephemeralOwner & TTL_MASK) == TTL_MASK;
    }

    public static long ttlMillis(long ephemeralOwner) {
        return ephemeralOwner & ~TTL_MASK;
    }

    /** A real session owns this node, so it goes away with the session. */
    public static boolean isSessionOwned(long ephemeralOwner) {
        return ephemeralOwner != 0 && !isContainer(ephemeralOwner) && !isTtl(ephemeralOwner);
    }

    /** The ephemeralOwner a client is shown. */
    public static long visibleOwner(long ephemeralOwner) {
        return isSessionOwned(ephemeralOwner) ? ephemeralOwner : 0;
    }
}
