package io.paddock.node.context;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Every open client connection, which one currently serves each session, and how many come from each address. */
public final class ConnectionRegistry {
    private final Set<Connection> all = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, Connection> bySession = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    /** Registers a new connection; false (and nothing registered) when its address already has {@code max} (0 = no limit). */
    public boolean open(Connection c, InetAddress address, int max) {
        AtomicInteger n = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (max > 0 && n.incrementAndGet() > max) {
            n.decrementAndGet();
            return false;
        } else if (max <= 0) {
            n.incrementAndGet();
        }
        all.add(c);
        return true;
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
