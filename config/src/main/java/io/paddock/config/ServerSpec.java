package io.paddock.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One {@code server.N} line: {@code host:quorumPort:electionPort[:participant|observer][;[clientAddr:]clientPort]}.
 *
 * @param id            the N of {@code server.N}
 * @param host          host name or IP literal as written (IPv6 without brackets)
 * @param quorumPort    the port learners use to reach this server when it leads
 * @param electionPort  the port used for leader election
 * @param role          participant (votes) or observer (does not vote)
 * @param clientAddress the client address after {@code ;}, or null when the line has none; a
 *                      host name that does not resolve stays unresolved, as in ZooKeeper
 */
public record ServerSpec(long id, String host, int quorumPort, int electionPort, Role role,
                         InetSocketAddress clientAddress) {

    /** Whether a server votes. Observers receive the log but never count towards a quorum. */
    public enum Role { PARTICIPANT, OBSERVER }

    public ServerSpec {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(role, "role");
    }

    public boolean isParticipant() {
        return role == Role.PARTICIPANT;
    }

    /** The line as ZooKeeper writes it into /zookeeper/config: {@code server.N=host:quorum:election:role[;clientHost:clientPort]}. */
    public String configLine() {
        StringBuilder b = new StringBuilder("server.").append(id).append('=').append(bracketed(host)).append(':')
            .append(quorumPort).append(':').append(electionPort).append(':')
            .append(isParticipant() ? "participant" : "observer");
        if (clientAddress != null) {
            b.append(';').append(bracketed(clientAddress.getHostString())).append(':').append(clientAddress.getPort());
        }
        return b.toString();
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
