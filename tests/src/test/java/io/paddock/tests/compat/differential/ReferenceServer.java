package io.paddock.tests.compat.differential;

import io.paddock.node.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.ContainerManager;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * Apache ZooKeeper 3.9.5's own standalone server in this JVM, on a free loopback port, with
 * TTL nodes enabled: the reference Paddock is compared with. Always {@link #close()} it.
 */
final class ReferenceServer implements Target {
    private static final String EXTENDED_TYPES = "zookeeper.extendedTypesEnabled";

    /** ZooKeeperServerMain starts the container manager, not ZooKeeperServer; this gives it the request processor it needs. */
    private static final class Server extends ZooKeeperServer {
        Server(File dir, int tickTime) throws IOException {
            super(dir, dir, tickTime);
        }

        ContainerManager containerManager(int checkIntervalMs) {
            return new ContainerManager(getZKDatabase(), firstProcessor, checkIntervalMs, 10_000);
        }
    }

    private final ServerCnxnFactory factory;
    private final ZooKeeperServer zks;
    private final ContainerManager reaper;
    private final String previousExtendedTypes;

    private ReferenceServer(ServerCnxnFactory factory, ZooKeeperServer zks, ContainerManager reaper,
                            String previousExtendedTypes) {
        this.factory = factory;
        this.zks = zks;
        this.reaper = reaper;
        this.previousExtendedTypes = previousExtendedTypes;
    }

    /** A fresh server; with {@code reapIntervalMs > 0} it reaps containers and TTL nodes that often. */
    static ReferenceServer start(Path dir, int tickTime, int reapIntervalMs) throws IOException, InterruptedException {
        // ZooKeeper reads this flag from the system properties whenever it prepares a TTL create
        String previous = System.setProperty(EXTENDED_TYPES, "true");
        Server zks = new Server(dir.resolve("zookeeper").toFile(), tickTime);
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", LoopbackPorts.free()), 100);
        try {
            factory.startup(zks);
        } catch (IOException | InterruptedException | RuntimeException e) {
            factory.shutdown();
            zks.shutdown();
            restore(previous);
            throw e;
        }
        ContainerManager reaper = null;
        if (reapIntervalMs > 0) {
            reaper = zks.containerManager(reapIntervalMs);
            reaper.start();
        }
        return new ReferenceServer(factory, zks, reaper, previous);
    }

    @Override
    public String name() {
        return "ZooKeeper 3.9.5";
    }

    @Override
    public String connectString() {
        return "127.0.0.1:" + factory.getLocalPort();
    }

    @Override
    public void close() {
        if (reaper != null) {
            reaper.stop();
        }
        try {
            factory.shutdown();
            zks.shutdown();
        } catch (RuntimeException e) {
            // ZooKeeper itself fails to replay some txns it accepted (a createTTL with flags it
            // should have refused) while shutting down; the transcript is complete by then
            System.err.println("ZooKeeper's shutdown failed: " + e);
        } finally {
            restore(previousExtendedTypes);
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(EXTENDED_TYPES);
        } else {
            System.setProperty(EXTENDED_TYPES, previous);
        }
    }
}
