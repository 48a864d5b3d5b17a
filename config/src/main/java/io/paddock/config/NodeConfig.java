package io.paddock.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a node is started from, validated. Built by {@link ConfigLoader#load(Path)}; the
 * canonical constructor is public so tests can build one directly.
 *
 * <p>Keys are ZooKeeper 3.9's zoo.cfg keys (see docs/config.md). Relative paths in the file are
 * resolved as ZooKeeper resolves them, against the process's working directory (not the config
 * file's directory), and are stored here as absolute paths.
 *
 * @param sourceFile               the config file this was loaded from (absolute)
 * @param serverId                 myid; 0 for a standalone server without a myid
 * @param tickTime                 basic time unit in ms (default 2000)
 * @param initLimit                ticks a learner may take to connect and sync (default 10)
 * @param syncLimit                ticks a learner may lag behind the leader (default 5)
 * @param dataDir                  snapshots and myid; created by the node if missing
 * @param dataLogDir               the transaction log (default: dataDir)
 * @param clientAddress            clientPortAddress (default 0.0.0.0) and clientPort, or the client
 *                                 address of this server's server.N line
 * @param maxClientCnxns           connections per client IP (default 60, 0 = unlimited)
 * @param minSessionTimeout        ms (default 2 × tickTime)
 * @param maxSessionTimeout        ms (default 20 × tickTime)
 * @param snapCount                txns between snapshots (default 100000, at least 2)
 * @param snapRetainCount          autopurge.snapRetainCount (default 3, at least 3)
 * @param purgeIntervalHours       autopurge.purgeInterval (default 0 = no purging)
 * @param fourLetterWords          enabled four letter words (default ruok, srvr, stat, mntr, isro)
 * @param maxBuffer                jute.maxbuffer in bytes (default 1048575)
 * @param globalOutstandingLimit   requests in flight across all client connections (default 1000)
 * @param extendedTypesEnabled     TTL nodes allowed (default false)
 * @param containerCheckIntervalMs znode.container.checkIntervalMs (default 60000)
 * @param containerMaxPerMinute    znode.container.maxPerMinute (default 10000)
 * @param commitLogCount           the txns a leader keeps to sync a learner that is a little behind by
 *                                 DIFF instead of SNAP (ZooKeeper's commitLogCount; default 10000)
 * @param servers                  the ensemble by id; empty for a standalone server
 * @param standaloneEnabled        default true
 * @param reconfigEnabled          default false
 * @param adminEnableServer        admin.enableServer (default true)
 * @param adminServerAddress       admin.serverAddress (default 127.0.0.1: loopback, unlike ZooKeeper)
 * @param metricsProvider          the metricsProvider.* keys
 * @param adminServerPort          admin.serverPort (default 8080)
 * @param adminCommandUrl          admin.commandURL: the path of the AdminServer's commands (default /commands)
 * @param metricsProvider          the metricsProvider.* keys (MetricsProvider)
 * @param superDigest              DigestAuthenticationProvider.superDigest: the "super:hash" digest id whose
 *                                 sessions pass every ACL check; null when the file has none (the node then
 *                                 reads the system property, as ZooKeeper does)
 * @param quorumListenOnAllIPs     the peer ports listen on every address, not only on this server's host
 *                                 (quorumListenOnAllIPs=true, or a server.N line of its own with a
 *                                 wildcard host such as 0.0.0.0, whose host is then this machine's name)
 * @param warnings                 one line per ignored key and per adjusted value, to log at start-up
 */
public record NodeConfig(
        Path sourceFile,
        long serverId,
        int tickTime,
        int initLimit,
        int syncLimit,
        Path dataDir,
        Path dataLogDir,
        InetSocketAddress clientAddress,
        int maxClientCnxns,
        int minSessionTimeout,
        int maxSessionTimeout,
        int snapCount,
        int snapRetainCount,
        int purgeIntervalHours,
        Set<String> fourLetterWords,
        int maxBuffer,
        int globalOutstandingLimit,
        boolean extendedTypesEnabled,
        long containerCheckIntervalMs,
        int containerMaxPerMinute,
        int commitLogCount,
        Map<Long, ServerSpec> servers,
        boolean standaloneEnabled,
        boolean reconfigEnabled,
        boolean adminEnableServer,
        String adminServerAddress,
        int adminServerPort,
        String adminCommandUrl,
        MetricsProvider metricsProvider,
        String superDigest,
        boolean quorumListenOnAllIPs,
        List<String> warnings) {

    public NodeConfig {
        Objects.requireNonNull(sourceFile, "sourceFile");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dataLogDir, "dataLogDir");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(adminServerAddress, "adminServerAddress");
        Objects.requireNonNull(metricsProvider, "metricsProvider");
        Objects.requireNonNull(adminCommandUrl, "adminCommandUrl");
        // Sorted, immutable copies: the record is shared between actors and printed in logs.
        fourLetterWords = Collections.unmodifiableSortedSet(new TreeSet<>(fourLetterWords));
        servers = Collections.unmodifiableSortedMap(new TreeMap<>(servers));
        warnings = List.copyOf(warnings);
    }

    /** True when this node runs alone, without an ensemble. */
    public boolean isStandalone() {
        return servers.isEmpty();
    }

    /** This node's own server line, or null when standalone. */
    public ServerSpec self() {
        return servers.get(serverId);
    }

    /**
     * What ZooKeeper keeps in /zookeeper/config: the server lines, then {@code version=} the
     * config's version (0: Paddock's configs are static; there is no reconfig). Empty for a
     * standalone server, as in ZooKeeper.
     */
    public String ensembleConfig() {
        if (isStandalone()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        servers.values().forEach(s -> b.append(s.configLine()).append('\n'));
        return b.append("version=0").toString();
    }

    /** The address this node's peer ports (quorum and election) bind to. */
    public String peerBindHost() {
        return quorumListenOnAllIPs ? "0.0.0.0" : self().host();
    }

    /** The number of voting servers (participants); observers do not count. */
    public int quorumSize() {
        return voters().size();
    }

    /** The ids of the voting servers, ascending. */
    public Set<Long> voters() {
        SortedSet<Long> ids = new TreeSet<>();
        servers.values().stream().filter(ServerSpec::isParticipant).forEach(s -> ids.add(s.id()));
        return Collections.unmodifiableSortedSet(ids);
    }
}
