package io.paddock.tests.support;

import io.paddock.node.LoopbackPorts;
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

    /** The config files of an ensemble, by server id, and each node's client port. */
    public record Ensemble(Map<Integer, Path> configs, Map<Integer, Integer> clientPorts) {
    }

    /**
     * Writes a zoo.cfg per node under {@code dir/node<N>} with its {@code data/myid}: servers
     * 1..voters are participants, the rest observers, every port a free loopback one; {@code extra}
     * keys go on top (initLimit 10 and syncLimit 5 as in ZooKeeper's sample config).
     */
    public static Ensemble ensemble(Path dir, int voters, int observers, Map<String, String> extra) {
        int size = voters + observers;
        Map<Integer, Integer> clientPorts = new LinkedHashMap<>();
        Map<Integer, String> lines = new LinkedHashMap<>();
        for (int id = 1; id <= size; id++) {
            clientPorts.put(id, LoopbackPorts.free());
            lines.put(id, "127.0.0.1:" + LoopbackPorts.free() + ":" + LoopbackPorts.free() + (id > voters ? ":observer" : ""));
        }
        Map<Integer, Path> configs = new LinkedHashMap<>();
        for (int id = 1; id <= size; id++) {
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("initLimit", "10");
            keys.put("syncLimit", "5");
            lines.forEach((n, line) -> keys.put("server." + n, line));
            if (id > voters) {
                keys.put("peerType", "observer");
            }
            keys.putAll(extra);
            Path nodeDir = dir.resolve("node" + id);
            Path cfg = standalone(nodeDir, clientPorts.get(id), keys);
            try {
                Files.createDirectories(nodeDir.resolve("data"));
                Files.writeString(nodeDir.resolve("data").resolve("myid"), Integer.toString(id));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            configs.put(id, cfg);
        }
        return new Ensemble(configs, clientPorts);
    }

    /**
     * Turns the admin port on in each of {@code configs} (written by this class), at a free loopback
     * port; returns the ports by server id.
     */
    public static Map<Integer, Integer> enableAdmin(Map<Integer, Path> configs) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        configs.forEach((id, cfg) -> {
            int port = LoopbackPorts.free();
            try {
                String text = Files.readString(cfg);
                Files.writeString(cfg, text.replace("admin.enableServer=false\n",
                    "admin.enableServer=true\nadmin.serverAddress=127.0.0.1\nadmin.serverPort=" + port + "\n"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ports.put(id, port);
        });
        return ports;
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
