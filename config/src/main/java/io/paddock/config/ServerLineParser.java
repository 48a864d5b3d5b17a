package io.paddock.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Parses {@code server.N=host:quorumPort:electionPort[:participant|observer][;[clientAddr:]clientPort]}
 * the way ZooKeeper 3.9's QuorumServer does: IPv6 hosts in brackets, a trailing empty part
 * tolerated, the role case-insensitive, quorum and election ports distinct.
 *
 * <p>ZooKeeper 3.6+ also accepts several {@code |}-separated addresses per server
 * (multiAddress); Paddock binds one address per server, so it validates them all and keeps the
 * first, with a warning.
 */
final class ServerLineParser {
    static final String FORMAT =
            "expected host:quorumPort:electionPort[:participant|observer][;[clientAddress:]clientPort]";

    private final Path file;
    private final String key;

    private ServerLineParser(Path file, String key) {
        this.file = file;
        this.key = key;
    }

    /**
     * Server ids are 1 to 255, as ZooKeeper's guide says: a session id carries its server's id in
     * its top byte, so a larger id would give sessions that collide with another server's.
     */
    static final long MIN_ID = 1;
    static final long MAX_ID = 255;

    static boolean isServerId(long id) {
        return id >= MIN_ID && id <= MAX_ID;
    }

    /** The N of a {@code server.N} key. */
    static long parseId(Path file, String key) {
        String id = key.substring("server.".length());
        long parsed;
        try {
            parsed = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new ConfigException(file, key, "'" + id + "' after 'server.' is not a server id");
        }
        if (!isServerId(parsed)) {
            throw new ConfigException(file, key, "server id " + parsed + " is not between " + MIN_ID + " and " + MAX_ID
                    + " (session ids carry it in their top byte)");
        }
        return parsed;
    }

    /** Parses one line; adds a warning when extra multiAddress addresses are dropped. */
    static ServerSpec parse(Path file, String key, long id, String value, List<String> warnings) {
        return new ServerLineParser(file, key).parse(id, value.trim(), warnings);
    }

    private record Address(String host, int quorumPort, int electionPort, ServerSpec.Role role) {}

    private ServerSpec parse(long id, String value, List<String> warnings) {
        if (value.isEmpty()) {
            throw malformed("no value");
        }
        String[] serverAndClient = value.split(";", -1);
        if (serverAndClient.length > 2) {
            throw malformed("more than one ';' in '" + value + "'");
        }
        String[] addresses = serverAndClient[0].split("\\|", -1);
        Address first = address(addresses[0].trim(), value);
        for (int i = 1; i < addresses.length; i++) {
            Address other = address(addresses[i].trim(), value);
            if (other.role() != null && first.role() != null && other.role() != first.role()) {
                throw malformed("all addresses of one server must have the same role");
            }
        }
        if (addresses.length > 1) {
            warnings.add(key + ": only the first address (" + addresses[0].trim()
                    + ") is used; Paddock binds one address per server");
        }
        InetSocketAddress client = serverAndClient.length == 2 ? clientAddress(serverAndClient[1].trim()) : null;
        ServerSpec.Role role = first.role() == null ? ServerSpec.Role.PARTICIPANT : first.role();
        return new ServerSpec(id, first.host(), first.quorumPort(), first.electionPort(), role, client);
    }

    private Address address(String text, String value) {
        String[] parts = hostAndPorts(text);
        if (parts.length < 3 || parts.length > 4) {
            throw malformed("'" + value + "' is not a server address");
        }
        String host = parts[0].trim();
        if (host.isEmpty()) {
            throw malformed("the host is empty in '" + value + "'");
        }
        int quorumPort = port(parts[1], "quorum port");
        int electionPort = port(parts[2], "election port");
        if (quorumPort == electionPort) {
            throw new ConfigException(file, key,
                    "quorum port and election port must differ (both are " + quorumPort + ")");
        }
        ServerSpec.Role role = parts.length == 4 ? role(parts[3]) : null;
        return new Address(host, quorumPort, electionPort, role);
    }

    private InetSocketAddress clientAddress(String text) {
        if (text.isEmpty()) {
            throw malformed("nothing after ';' (expected [clientAddress:]clientPort)");
        }
        String[] parts = hostAndPorts(text);
        if (parts.length > 2) {
            throw malformed("'" + text + "' is not a client address (expected [clientAddress:]clientPort)");
        }
        String host = parts.length == 2 ? parts[0].trim() : "0.0.0.0";
        int port = port(parts[parts.length - 1], "client port");
        // Resolves like ZooKeeper; a name that does not resolve stays unresolved.
        return new InetSocketAddress(host, port);
    }

    private ServerSpec.Role role(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "participant":
                return ServerSpec.Role.PARTICIPANT;
            case "observer":
                return ServerSpec.Role.OBSERVER;
            default:
                throw new ConfigException(file, key,
                        "role '" + text.trim() + "' is neither participant nor observer");
        }
    }

    private int port(String text, String what) {
        String trimmed = text.trim();
        int port;
        try {
            port = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            throw new ConfigException(file, key, what + " '" + trimmed + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException(file, key, what + " " + port + " is out of range (1-65535)");
        }
        return port;
    }

    /** Splits at ':' with an optional bracketed IPv6 host first, as ZooKeeper's ConfigUtils does. */
    private String[] hostAndPorts(String text) {
        if (!text.startsWith("[")) {
            return text.split(":"); // drops trailing empty parts, as ZooKeeper does
        }
        int close = text.indexOf(']');
        if (close < 0) {
            throw malformed("'" + text + "' starts with '[' but has no ']'");
        }
        String host = text.substring(1, close);
        String rest = text.substring(close + 1);
        if (rest.isEmpty()) {
            return new String[] {host};
        }
        if (!rest.startsWith(":") || rest.length() == 1) {
            throw malformed("'" + text + "' needs ':port' after ']'");
        }
        String[] ports = rest.substring(1).split(":");
        String[] all = Arrays.copyOf(new String[] {host}, ports.length + 1);
        System.arraycopy(ports, 0, all, 1, ports.length);
        return all;
    }

    private ConfigException malformed(String problem) {
        return new ConfigException(file, key, problem + "; " + FORMAT);
    }
}
