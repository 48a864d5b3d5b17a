package io.paddock.client;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxn;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * Apache ZooKeeper 3.9.5, standalone and in-process, on 127.0.0.1 and a free port. Public: the
 * cli module's tests run the shell against it too.
 */
public final class ReferenceServer implements AutoCloseable {
    /** Short ticks keep timeouts in the tests short: sessions may last 400 ms to 4 s. */
    static final int TICK_MS = 200;

    private final ZooKeeperServer zks;
    private final ServerCnxnFactory factory;

    private ReferenceServer(ZooKeeperServer zks, ServerCnxnFactory factory) {
        this.zks = zks;
        this.factory = factory;
    }

    public static ReferenceServer start(Path dir) throws Exception {
        System.setProperty("zookeeper.extendedTypesEnabled", "true"); // TTL nodes
        File data = dir.toFile();
        ZooKeeperServer zks = new ZooKeeperServer(data, data, TICK_MS);
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 100);
        factory.startup(zks);
        return new ReferenceServer(zks, factory);
    }

    public int port() {
        return factory.getLocalPort();
    }

    public String connectString() {
        return "127.0.0.1:" + port();
    }

    /** The watches the server holds, over all sessions. */
    int watchCount() {
        return zks.getZKDatabase().getDataTree().getWatchCount();
    }

    /** Ends a session as the server does when it times out. */
    void expire(long sessionId) {
        zks.expire(sessionId);
    }

    /** Closes the connection of one session, as a server does when it drops a client; the session lives on. */
    void dropConnection(long sessionId) {
        if (!factory.closeSession(sessionId, ServerCnxn.DisconnectReason.CONNECTION_CLOSE_FORCED)) {
            throw new IllegalStateException("no connection for session 0x" + Long.toHexString(sessionId));
        }
    }

    @Override
    public void close() {
        factory.shutdown(); // also shuts the server down
    }
}
