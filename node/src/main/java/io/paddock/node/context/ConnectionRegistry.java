package io.paddock.node.context;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every open client connection, which one currently serves each session, and how many come from
 * each address; and since the node started, how many connections were asked for, refused (too
 * many from one address), and opened from this host and from others (mntr's counters).
 */
public final class ConnectionRegistry {
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, Connection> bySession = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final LongAdder requested = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder fromLoopback = new LongAdder();
    private final LongAdder fromRemote = new LongAdder();

    /** Registers a new connection; false (and nothing registered) when its address already has {@code max} (0 = no limit). */
    public boolean open(Connection c, InetAddress address, int max) {
        requested.increment();
        AtomicInteger n = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (max > 0 && n.incrementAndGet() > max) {
            n.decrementAndGet();
            rejected.increment();
            return false;
        } else if (max <= 0) {
            n.incrementAndGet();
        }
        (address.isLoopbackAddress() ? fromLoopback : fromRemote).increment();
        all.add(c);
        return true;
    }

    /** Connections asked for since the node started, refused ones included. */
    public long requested() {
        return requested.sum();
    }

    /** Connections refused because their address had maxClientCnxns already. */
    public long rejected() {
        return rejected.sum();
    }

    /** Connections opened from this host's loopback address (none is TLS: Paddock has no TLS). */
    public long openedFromLoopback() {
        return fromLoopback.sum();
    }

    /** Connections opened from other addresses. */
    public long openedFromRemote() {
        return fromRemote.sum();
    }

    public void closed(Connection c, InetAddress address) {
        if (all.remove(c)) {
            AtomicInteger n = perAddress.get(address);
            if (n != null) {
                n.decrementAndGet();
            }
        }
        if (c.sessionId() != 0) {
            bySession.remove(c.sessionId(), c);
        }
    }

    /** Makes {@code c} the connection of its session; returns the one it replaces, if any. */
    public Connection attach(long sessionId, Connection c) {
        Connection old = bySession.put(sessionId, c);
        return old == c ? null : old;
    }

    public Connection forSession(long sessionId) {
        return bySession.get(sessionId);
    }

    public List<Connection> all() {
        return List.copyOf(all);
    }

    public int count() {
        return all.size();
    }

    /** Closes every connection, e.g. when the server stops serving. */
    public void closeAll() {
        for (Connection c : all()) {
            c.close();
        }
    }
}
