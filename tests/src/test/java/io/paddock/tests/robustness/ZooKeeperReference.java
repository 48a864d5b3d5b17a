package io.paddock.tests.robustness;

import io.paddock.node.LoopbackPorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.command.FourLetterCommands;

/**
 * Apache ZooKeeper 3.9.5's own standalone server, in this JVM on a free loopback port: the
 * reference that Paddock's answers are compared with. Its four-letter-word whitelist is a JVM-wide
 * system property in ZooKeeper, so it is set (and re-read) for the duration of {@link #start}.
 */
public final class ZooKeeperReference implements AutoCloseable {
    private static final String WHITELIST = "zookeeper.4lw.commands.whitelist";

    private final ZooKeeperServer server;
    private final ServerCnxnFactory factory;
    private final int port;

    private ZooKeeperReference(ZooKeeperServer server, ServerCnxnFactory factory, int port) {
        this.server = server;
        this.factory = factory;
        this.port = port;
    }

    /** Starts ZooKeeper with {@code whitelist} ("*" for all words, null for its default), its files in {@code dir}/zk-data. */
    static ZooKeeperReference start(Path dir, String whitelist, int tickTime, int maxClientCnxns) {
        return startIn(dir.resolve("zk-data"), whitelist, tickTime, maxClientCnxns);
    }

    /** As {@link #start}, with its files in {@code dataDir}/version-2, where a zoo.cfg naming that dataDir has them. */
    public static ZooKeeperReference startIn(Path dataDir, String whitelist, int tickTime, int maxClientCnxns) {
        String before = System.getProperty(WHITELIST);
        try {
            if (whitelist == null) {
                System.clearProperty(WHITELIST);
            } else {
                System.setProperty(WHITELIST, whitelist);
            }
            FourLetterCommands.resetWhiteList();
            File data = Files.createDirectories(dataDir).toFile();
            ZooKeeperServer zks = new ZooKeeperServer(data, data, tickTime);
            int port = LoopbackPorts.free();
            ServerCnxnFactory f = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", port), maxClientCnxns);
            f.startup(zks);
            // the whitelist is read lazily, on the first word: read it now, while the property is set
            FourLetterCommands.isEnabled("srvr");
            return new ZooKeeperReference(zks, f, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (before == null) {
                System.clearProperty(WHITELIST);
            } else {
                System.setProperty(WHITELIST, before);
            }
        }
    }

    public int port() {
        return port;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public long lastZxid() {
        return server.getZKDatabase().getDataTreeLastProcessedZxid();
    }

    /** Stops the server; open sessions stay open in its files, as after a crash. */
    @Override
    public void close() {
        factory.shutdown();
        server.shutdown();
        FourLetterCommands.resetWhiteList();
    }
}
