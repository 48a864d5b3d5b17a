package io.paddock.client;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed connect string "host:port,host:port/chroot": the servers in the order given, and the
 * chroot (everything from the first '/', as ZooKeeper reads it).
 */
record ConnectString(List<InetSocketAddress> servers, Chroot chroot) {
    static final int DEFAULT_PORT = 2181;

    /** Addresses stay unresolved so that Pekko's DNS resolves them per attempt, off the session's thread. */
    static ConnectString parse(String connectString) {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("empty connect string");
        }
        int slash = connectString.indexOf('/');
        Chroot chroot = slash < 0 ? Chroot.NONE : Chroot.of(connectString.substring(slash));
        String hosts = slash < 0 ? connectString : connectString.substring(0, slash);
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String part : hosts.split(",")) {
            String hostPort = part.trim();
            if (!hostPort.isEmpty()) {
                servers.add(parseOne(hostPort));
            }
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server in connect string: " + connectString);
        }
        return new ConnectString(List.copyOf(servers), chroot);
    }

    private static InetSocketAddress parseOne(String hostPort) {
        String host = hostPort;
        int port = DEFAULT_PORT;
        int colon = hostPort.lastIndexOf(':');
        boolean bracketed = hostPort.startsWith("[");
        if (bracketed) { // [ipv6]:port
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in " + hostPort);
            }
            host = hostPort.substring(1, close);
            if (close + 1 < hostPort.length()) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("expected ':' after ']' in " + hostPort);
                }
                port = parsePort(hostPort, hostPort.substring(close + 2));
            }
        } else if (colon >= 0) {
            host = hostPort.substring(0, colon);
            port = parsePort(hostPort, hostPort.substring(colon + 1));
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host in " + hostPort);
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private static int parsePort(String hostPort, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range in " + hostPort);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + hostPort, e);
        }
    }
}
