package io.paddock.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes zoo.cfg files for test servers: loopback only, a free client port, data under a temp dir. */
public final class ServerConfigs {
    private ServerConfigs() {
    }

    /** A standalone zoo.cfg in {@code dir} with {@code extra} keys on top of test defaults; returns its path. */
    public static Path standalone(Path dir, int clientPort, Map<String, String> extra) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("tickTime", "500");
        keys.put("dataDir", dir.resolve("data").toString());
        keys.put("clientPort", Integer.toString(clientPort));
        keys.put("clientPortAddress", "127.0.0.1");
        keys.put("4lw.commands.whitelist", "*");
        // several nodes run on one machine: no admin port unless a test asks for one
        keys.put("admin.enableServer", "false");
        keys.putAll(extra);
        StringBuilder b = new StringBuilder();
        keys.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Path cfg = dir.resolve("zoo.cfg");
        try {
            Files.createDirectories(dir);
            Files.writeString(cfg, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cfg;
    }
}
