package io.paddock.tests.compat.differential;

import io.paddock.tests.support.InProcessServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** An in-process Paddock server with the reference server's settings (tickTime, TTL nodes enabled, reaping interval). */
final class PaddockTarget implements Target {
    private final InProcessServer server;

    private PaddockTarget(InProcessServer server) {
        this.server = server;
    }

    /** With {@code reapIntervalMs} 0, the default interval (60 s) keeps reaping out of a script's way. */
    static PaddockTarget start(Path dir, int tickTime, int reapIntervalMs) {
        Map<String, String> cfg = new HashMap<>(Map.of("tickTime", Integer.toString(tickTime), "extendedTypesEnabled", "true"));
        if (reapIntervalMs > 0) {
            cfg.put("znode.container.checkIntervalMs", Integer.toString(reapIntervalMs));
        }
        return new PaddockTarget(InProcessServer.start(dir.resolve("paddock"), cfg));
    }

    @Override
    public String name() {
        return "Paddock";
    }

    @Override
    public String connectString() {
        return server.connectString();
    }

    @Override
    public void close() {
        server.close();
    }
}
