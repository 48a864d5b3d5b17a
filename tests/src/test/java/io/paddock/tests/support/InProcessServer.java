package io.paddock.tests.support;

import io.paddock.config.ConfigException;
import io.paddock.config.ConfigLoader;
import io.paddock.node.LoopbackPorts;
import io.paddock.node.server.PaddockServer;
import io.paddock.node.server.StartupException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A standalone Paddock server in this JVM, on a free loopback port, with its data in a
 * directory the test owns. Restartable on the same data (and port) to test recovery.
 */
public final class InProcessServer implements AutoCloseable {
    private final Path cfg;
    private final int port;
    private final int adminPort;
    private PaddockServer server;

    private InProcessServer(Path cfg, int port, int adminPort) {
        this.cfg = cfg;
        this.port = port;
        this.adminPort = adminPort;
    }

    public static InProcessServer start(Path dir) {
        return start(dir, Map.of());
    }

    public static InProcessServer start(Path dir, Map<String, String> extraConfig) {
        return start(dir, extraConfig, 0);
    }

    /** As {@link #start(Path, Map)}, with its admin port open on a free loopback port ({@link #adminPort}). */
    public static InProcessServer startWithAdmin(Path dir, Map<String, String> extraConfig) {
        int adminPort = LoopbackPorts.free();
        Map<String, String> keys = new LinkedHashMap<>(Map.of("admin.enableServer", "true",
            "admin.serverAddress", "127.0.0.1", "admin.serverPort", Integer.toString(adminPort)));
        keys.putAll(extraConfig);
        return start(dir, keys, adminPort);
    }

    /** A node on an existing config file (its client port is the file's). */
    public static InProcessServer startOn(Path cfg) {
        try {
            InProcessServer s = new InProcessServer(cfg, ConfigLoader.load(cfg).clientAddress().getPort(), 0);
            s.startServer();
            return s;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InProcessServer start(Path dir, Map<String, String> extraConfig, int adminPort) {
        int port = LoopbackPorts.free();
        InProcessServer s = new InProcessServer(ServerConfigs.standalone(dir, port, extraConfig), port, adminPort);
        s.startServer();
        return s;
    }

    private void startServer() {
        try {
            server = PaddockServer.start(ConfigLoader.load(cfg));
        } catch (StartupException e) {
            throw new IllegalStateException(e);
        }
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The admin port; only with {@link #startWithAdmin}. */
    public int adminPort() {
        return adminPort;
    }

    public PaddockServer server() {
        return server;
    }

    /** Stops the node (clients see a disconnect; sessions live on in the log) and starts it again on the same data and port. */
    public void restart() {
        server.close();
        startServer();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
