package io.paddock.tests.support;

import io.paddock.config.ConfigLoader;
import io.paddock.node.LoopbackPorts;
import io.paddock.node.server.PaddockServer;
import io.paddock.node.server.StartupException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A standalone Paddock server in this JVM, on a free loopback port, with its data in a
 * directory the test owns. Restartable on the same data (and port) to test recovery.
 */
public final class InProcessServer implements AutoCloseable {
    private final Path cfg;
    private final int port;
    private PaddockServer server;

    private InProcessServer(Path cfg, int port) {
        this.cfg = cfg;
        this.port = port;
    }

    public static InProcessServer start(Path dir) {
        return start(dir, Map.of());
    }

    public static InProcessServer start(Path dir, Map<String, String> extraConfig) {
        int port = LoopbackPorts.free();
        InProcessServer s = new InProcessServer(ServerConfigs.standalone(dir, port, extraConfig), port);
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
