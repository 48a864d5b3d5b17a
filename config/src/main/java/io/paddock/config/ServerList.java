package io.paddock.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The ensemble: the server.N lines of the config file, or of the file named by
 * dynamicConfigFile (ZooKeeper 3.5+ keeps them there once reconfiguration is used), parsed and
 * checked against each other.
 *
 * @param file    the file the lines came from, for error messages
 * @param servers the servers by id
 * @param keys    each server's key as written ({@code server.1}), by id
 */
record ServerList(Path file, SortedMap<Long, ServerSpec> servers, Map<Long, String> keys) {

    /** The dynamic file may hold only these besides server.N, as in ZooKeeper. */
    private static final String DYNAMIC_EXTRAS = "(group|weight)\\.\\d+|version";

    /**
     * Reads the ensemble from {@code lines} (the server.N entries of {@code file}) or, when
     * {@code dynamicConfigFile} is set, from that file.
     */
    static ServerList read(Path file, SortedMap<String, String> lines, Settings settings, List<String> warnings) {
        Settings.Setting dynamic = settings.get("dynamicConfigFile");
        if (dynamic == null) {
            return parse(file, lines, warnings);
        }
        if (!lines.isEmpty()) {
            throw new ConfigException(file, lines.firstKey(),
                    "must be in the dynamic config file, because dynamicConfigFile is set");
        }
        Path dynamicFile;
        try {
            dynamicFile = Path.of(dynamic.value());
        } catch (InvalidPathException e) {
            throw settings.error(dynamic, "'" + dynamic.value() + "' is not a valid path: " + e.getReason());
        }
        RawConfig raw;
        try {
            raw = ZooCfgFormat.read(dynamicFile);
        } catch (ConfigException e) {
            // Say which key pointed at the missing or unreadable file.
            throw settings.error(dynamic, dynamicFile + ": " + e.problem());
        }
        SortedMap<String, String> dynamicLines = new TreeMap<>();
        raw.entries().forEach((key, value) -> {
            if (key.startsWith("server.")) {
                dynamicLines.put(key, value);
            } else if (key.matches(DYNAMIC_EXTRAS)) {
                KnownKeys.Ignored ignored = (KnownKeys.Ignored) KnownKeys.match(key);
                warnings.add(key + ": ignored: " + ignored.reason());
            } else {
                throw new ConfigException(dynamicFile, key,
                        "does not belong in a dynamic config file (only server.N, group.N, weight.N and version)");
            }
        });
        return parse(dynamicFile, dynamicLines, warnings);
    }

    private static ServerList parse(Path file, SortedMap<String, String> lines, List<String> warnings) {
        SortedMap<Long, ServerSpec> servers = new TreeMap<>();
        Map<Long, String> keys = new HashMap<>();
        lines.forEach((key, value) -> {
            long id = ServerLineParser.parseId(file, key);
            String earlier = keys.putIfAbsent(id, key);
            if (earlier != null) {
                throw new ConfigException(file, key, "server id " + id + " is already given by " + earlier);
            }
            servers.put(id, ServerLineParser.parse(file, key, id, value, warnings));
        });
        ServerList list = new ServerList(file, servers, keys);
        list.checkPortsAreDistinct();
        return list;
    }

    /** No two servers may listen on the same host and port (hosts compared as written). */
    private void checkPortsAreDistinct() {
        Map<String, String> owners = new HashMap<>();
        for (ServerSpec server : servers.values()) {
            String key = keys.get(server.id());
            claim(owners, key, "quorum port", server.host(), server.quorumPort());
            claim(owners, key, "election port", server.host(), server.electionPort());
            if (server.clientAddress() != null) {
                claim(owners, key, "client port", clientHost(server), server.clientAddress().getPort());
            }
        }
    }

    private void claim(Map<String, String> owners, String key, String what, String host, int port) {
        String endpoint = host.toLowerCase(Locale.ROOT) + ":" + port;
        String owner = owners.putIfAbsent(endpoint, what + " of " + key);
        if (owner != null) {
            throw new ConfigException(file, key, what + " " + host + ":" + port + " is already the " + owner);
        }
    }

    /** A wildcard client address listens on the server's own host. */
    private static String clientHost(ServerSpec server) {
        var address = server.clientAddress();
        boolean wildcard = address.getAddress() != null && address.getAddress().isAnyLocalAddress();
        return wildcard ? server.host() : address.getHostString();
    }

    long participants() {
        return servers.values().stream().filter(ServerSpec::isParticipant).count();
    }

    long observers() {
        return servers.size() - participants();
    }
}
