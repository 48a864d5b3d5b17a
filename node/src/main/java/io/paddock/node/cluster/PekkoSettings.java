package io.paddock.node.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.protocol.peer.PeerFrames;
import java.nio.file.Path;
import java.util.List;

/**
 * The Pekko configuration a node runs with, derived from its NodeConfig. Highest first: the
 * node's journal and snapshot directories and, for an ensemble node, its cluster identity (see
 * below); the {@code pekko { }} block beside {@code paddock { }} in a HOCON config file
 * (docs/config.md: "so one file can configure both"); Paddock's paddock-node.conf; and Pekko's
 * usual {@code ConfigFactory.load()} (system properties, application.conf, reference.conf).
 *
 * <p>A standalone node keeps Pekko's local actor-ref provider: no remoting, no open port besides
 * the client port. An ensemble node ({@code !cfg.isStandalone()}) is a pekko-cluster member:
 * provider {@code cluster}, Artery TCP with canonical address = the host and quorum port of its own
 * {@code server.N} line (the address the others know it by), bound there too or, with
 * quorumListenOnAllIPs, on every address (NodeConfig#peerBindHost), and no seed nodes ({@code io.paddock.node.cluster.ClusterJoiner}
 * joins instead). These values are derived from the server list, which every node must agree on,
 * so they override anything in the file's {@code pekko { }} block. The cluster's tuning (failure
 * detector, gossip, no downing provider) lives in paddock-node.conf and can be overridden there;
 * docs/ensemble.md "Nodes, cluster, discovery" says why each value is what it is.
 */
public final class PekkoSettings {
    /** The name of every node's ActorSystem: peers address each other as {@code pekko://paddock@host:port}. */
    public static final String SYSTEM_NAME = "paddock";

    private PekkoSettings() {
    }

    public static Config forNode(NodeConfig cfg) {
        Config node = adminPort(cfg);
        if (!cfg.isStandalone()) {
            node = node.withFallback(clusterIdentity(cfg));
        } else {
            // a standalone node is no cluster member: pekko-management's cluster routes would not start
            node = node.withFallback(ConfigFactory.parseString("pekko.management.http.routes.cluster-management = \"\""));
        }
        return node.withFallback(forStore(cfg));
    }

    /**
     * Just what the node's transaction log needs (its journal and snapshot store, as the node would
     * configure them, and nothing that opens a port): for bin/paddock import-zookeeper, which writes
     * a node's store while the node is stopped.
     */
    public static Config forStore(NodeConfig cfg) {
        return ConfigFactory.empty()
            .withValue("paddock.journal.dir",
                ConfigValueFactory.fromAnyRef(cfg.dataLogDir().resolve("journal").toAbsolutePath().toString()))
            .withValue("paddock.snapshot-store.dir",
                ConfigValueFactory.fromAnyRef(cfg.dataDir().resolve("snapshots").toAbsolutePath().toString()))
            .withFallback(pekkoBlock(cfg.sourceFile()))
            .withFallback(ConfigFactory.parseResources("paddock-node.conf"))
            .withFallback(ConfigFactory.load());
    }

    /** What makes an ensemble node the member {@code pekko://paddock@host:quorumPort} of the ensemble's cluster. */
    static Config clusterIdentity(NodeConfig cfg) {
        ServerSpec self = cfg.self();
        if (self == null) {
            // ConfigValidator refuses this already; keep the message if someone builds a NodeConfig by hand
            throw new IllegalArgumentException(cfg.sourceFile() + ": myid " + cfg.serverId()
                + " has no server." + cfg.serverId() + " line");
        }
        return ConfigFactory.empty()
            .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("cluster"))
            .withValue("pekko.remote.artery.transport", ConfigValueFactory.fromAnyRef("tcp"))
            .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(self.host()))
            .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(self.quorumPort()))
            .withValue("pekko.remote.artery.bind.hostname", ConfigValueFactory.fromAnyRef(cfg.peerBindHost()))
            .withValue("pekko.remote.artery.bind.port", ConfigValueFactory.fromAnyRef(self.quorumPort()))
            .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(List.of()))
            // Artery drops anything above its frame size (256 KiB by default); peer messages are cut to fit it
            .withValue("pekko.remote.artery.advanced.maximum-frame-size",
                ConfigValueFactory.fromAnyRef(PeerFrames.frameSize(cfg.maxBuffer())));
    }

    /** Where the AdminServer's commands are on the admin port (admin.commandURL), for their routes. */
    public static final String COMMAND_URL = "paddock.admin.command-url";

    /** The admin port (pekko-management) from ZooKeeper's AdminServer keys. */
    static Config adminPort(NodeConfig cfg) {
        return ConfigFactory.empty()
            .withValue("pekko.management.http.hostname", ConfigValueFactory.fromAnyRef(cfg.adminServerAddress()))
            .withValue("pekko.management.http.port", ConfigValueFactory.fromAnyRef(cfg.adminServerPort()))
            .withValue(COMMAND_URL, ConfigValueFactory.fromAnyRef(cfg.adminCommandUrl()));
    }

    /** The {@code pekko { }} block of a HOCON config file that wraps its settings in {@code paddock { }}; empty otherwise. */
    static Config pekkoBlock(Path file) {
        if (file == null || file.getFileName() == null || !file.getFileName().toString().endsWith(".conf")) {
            return ConfigFactory.empty();
        }
        // ConfigLoader has read and checked this file already, so it parses and resolves
        Config config = ConfigFactory.parseFile(file.toFile()).resolve();
        boolean wrapped = config.root().containsKey("paddock")
            && config.root().get("paddock").valueType() == ConfigValueType.OBJECT;
        return wrapped && config.hasPath("pekko") ? config.withOnlyPath("pekko") : ConfigFactory.empty();
    }
}
