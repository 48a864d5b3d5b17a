package io.paddock.node.cluster;

import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.pekko.actor.Address;

/**
 * Where the configured servers live in the cluster. Every node's ActorSystem is named
 * {@value PekkoSettings#SYSTEM_NAME} and listens (Artery TCP) on its {@code server.N} line's host
 * and quorum port, so a server's cluster address follows from the server list alone:
 * {@code pekko://paddock@host:quorumPort}. Hosts are compared as written in the config.
 */
public final class PeerAddresses {
    private PeerAddresses() {
    }

    /** The cluster address of {@code server}. */
    public static Address address(ServerSpec server) {
        return new Address("pekko", PekkoSettings.SYSTEM_NAME, server.host(), server.quorumPort());
    }

    /** The path of {@code server}'s {@link ClusterJoiner}: {@code pekko://paddock@host:port/user/joiner}. */
    public static String joinerPath(ServerSpec server) {
        return address(server) + "/user/" + ClusterJoiner.NAME;
    }

    /** The configured server whose cluster address is {@code address}, if any (any incarnation). */
    public static OptionalLong serverId(NodeConfig cfg, Address address) {
        for (Map.Entry<Long, ServerSpec> e : cfg.servers().entrySet()) {
            if (address(e.getValue()).equals(address)) {
                return OptionalLong.of(e.getKey());
            }
        }
        return OptionalLong.empty();
    }
}
