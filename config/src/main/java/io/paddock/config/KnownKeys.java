package io.paddock.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every key ZooKeeper 3.9 documents in its Administrator's Guide (plus the few more its
 * QuorumPeerConfig parses), sorted into the ones Paddock honours and the ones it accepts and
 * ignores, each with a short reason. A key that is in neither table is an error: ZooKeeper
 * would not know it either, so it is almost certainly a typo that would otherwise go unnoticed.
 *
 * <p>ZooKeeper turns any zoo.cfg key it does not parse itself into the system property
 * {@code zookeeper.<key>}, so users write both spellings; {@link #match} accepts
 * {@code zookeeper.X} for a known X, X for a known {@code zookeeper.X}, and the documented
 * system-property names that differ from the key.
 */
final class KnownKeys {

    /** What a key is, once looked up. */
    sealed interface Match permits Honoured, Ignored, Unknown {}

    /** A key Paddock acts on; {@code canonical} is its zoo.cfg spelling. */
    record Honoured(String canonical) implements Match {}

    /** A key Paddock accepts but does not act on; {@code canonical} is its zoo.cfg spelling. */
    record Ignored(String canonical, String reason) implements Match {}

    /** Not a ZooKeeper 3.9 key; {@code suggestion} is the nearest known key, or null. */
    record Unknown(String suggestion) implements Match {}

    /** Keys Paddock acts on: the fields of {@link NodeConfig}, and checks made while loading (server.N and myid are handled by the loader). */
    static final Set<String> HONOURED = Set.of(
            "tickTime", "initLimit", "syncLimit", "dataDir", "dataLogDir",
            "clientPort", "clientPortAddress", "maxClientCnxns",
            "minSessionTimeout", "maxSessionTimeout",
            "snapCount", "autopurge.snapRetainCount", "autopurge.purgeInterval",
            "4lw.commands.whitelist", "jute.maxbuffer", "globalOutstandingLimit", "extendedTypesEnabled",
            "znode.container.checkIntervalMs", "znode.container.maxPerMinute", "commitLogCount",
            "standaloneEnabled", "reconfigEnabled", "peerType", "dynamicConfigFile",
            "admin.enableServer", "admin.serverAddress", "admin.serverPort", "admin.commandURL",
            "zookeeper.datadir.autocreate", "metricsProvider.className", "metricsProvider.httpHost",
            "metricsProvider.httpPort", "metricsProvider.exportJvmInfo", "DigestAuthenticationProvider.superDigest",
            "quorumListenOnAllIPs");

    private static final Map<String, String> IGNORED = new LinkedHashMap<>();

    /** System-property spellings that are not simply {@code zookeeper.<key>}. */
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();

    private record Family(Pattern pattern, String example, String reason) {}

    private static final List<Family> FAMILIES = new ArrayList<>();

    // Reasons shared by several keys.
    private static final String NO_CLIENT_TLS = "TLS on the client port is not supported yet";
    private static final String NO_QUORUM_TLS =
            "TLS between servers is not supported yet; peer traffic is not encrypted";
    private static final String NO_TLS = "TLS is not supported yet";
    private static final String NO_SASL =
            "SASL/Kerberos authentication is not supported yet";
    private static final String NO_QUORUM_SASL =
            "SASL between servers is not supported yet; peers are not authenticated";
    private static final String NO_ENFORCED_AUTH =
            "enforced client authentication is not supported yet; clients are not required to authenticate";
    private static final String NO_SUPER_USER = "super users are not supported yet";
    private static final String PEKKO_REMOTING =
            "peer connections are Pekko remoting connections, tuned in its own settings";
    private static final String NO_THROTTLER =
            "Paddock throttles reading by globalOutstandingLimit instead of ZooKeeper's request throttler";
    private static final String NO_CNXN_THROTTLER =
            "the token-bucket connection throttler is not implemented";
    private static final String GROUP_COMMIT =
            "Paddock's journal batches writes itself (group commit while a write is in flight)";
    private static final String NO_WATCH_CLEANER = "there is no lazy watch cleaner to tune";
    private static final String ELECTION_TIMING = "election timing follows tickTime";
    private static final String ONE_ADDRESS =
            "Paddock uses one address per server (the first in a server.N line)";
    private static final String NO_RESPONSE_CACHE = "Paddock has no serialized-response cache";
    private static final String PEKKO_IO = "client I/O runs on Pekko's dispatchers";
    private static final String NO_COMMIT_PROCESSOR = "Paddock has no commit processor threads";
    private static final String NO_ADMIN_TLS = "the admin port has no TLS yet";
    private static final String NO_ADMIN_SNAPSHOT = "the admin port has no snapshot or restore command";
    private static final String NO_AUDIT = "audit logging is not implemented";
    private static final String NO_JVM_PAUSE = "Paddock has no JVM pause monitor";
    private static final String NO_HIERARCHY =
            "hierarchical quorums are not supported; Paddock counts a majority of the participants";
    private static final String LOCAL_SESSIONS = "all sessions are global (created through ZAB)";
    private static final String ASYNC_SOCKETS =
            "peer messages go through Pekko remoting, which never blocks on a socket";
    private static final String LEARNER_SYNC = "learner syncs are not limited separately";
    private static final String OWN_FORMAT =
            "applies to ZooKeeper's on-disk format, which Paddock does not use";

    static {
        // Minimum configuration
        ignore("secureClientPort", NO_CLIENT_TLS);
        ignore("secureClientPortAddress", NO_CLIENT_TLS);
        ignore("observerMasterPort", "observers always sync from the leader");

        // Advanced configuration
        ignore("preAllocSize", "Paddock's journal preallocates segments itself");
        ignore("snapSizeLimitInKb", "snapshots are scheduled by transaction count (snapCount) only");
        ignore("txnLogSizeLimitInKb", "Paddock's journal sizes and rolls its segments itself");
        ignore("maxCnxns", "only the per-address limit maxClientCnxns is enforced");
        ignore("maxResponseCacheSize", NO_RESPONSE_CACHE);
        ignore("maxGetChildrenResponseCacheSize", NO_RESPONSE_CACHE);
        ignore("fsync.warningthresholdms", "slow-fsync warnings are not implemented");
        ignore("syncEnabled", "observers always log and snapshot like participants");
        alias("zookeeper.observer.syncEnabled", "syncEnabled");
        ignore("emulate353TTLNodes", "ZooKeeper 3.5.3's TTL encoding is not supported");
        ignore("watchManagerName", "Paddock has a single watch manager");
        alias("watchManaggerName", "watchManagerName"); // spelled so in the 3.6 to 3.9 guides
        ignore("watcherCleanThreadsNum", NO_WATCH_CLEANER);
        ignore("watcherCleanThreshold", NO_WATCH_CLEANER);
        ignore("watcherCleanIntervalInSeconds", NO_WATCH_CLEANER);
        ignore("maxInProcessingDeadWatchers", NO_WATCH_CLEANER);
        ignore("bitHashCacheSize", NO_WATCH_CLEANER);
        ignore("fastleader.minNotificationInterval", ELECTION_TIMING);
        ignore("fastleader.maxNotificationInterval", ELECTION_TIMING);
        ignore("connectionMaxTokens", NO_CNXN_THROTTLER);
        ignore("connectionTokenFillTime", NO_CNXN_THROTTLER);
        ignore("connectionTokenFillCount", NO_CNXN_THROTTLER);
        ignore("connectionFreezeTime", NO_CNXN_THROTTLER);
        ignore("connectionDropIncrease", NO_CNXN_THROTTLER);
        ignore("connectionDropDecrease", NO_CNXN_THROTTLER);
        ignore("connectionDecreaseRatio", NO_CNXN_THROTTLER);
        alias("zookeeper.connection_throttle_tokens", "connectionMaxTokens");
        alias("zookeeper.connection_throttle_fill_time", "connectionTokenFillTime");
        alias("zookeeper.connection_throttle_fill_count", "connectionTokenFillCount");
        alias("zookeeper.connection_throttle_freeze_time", "connectionFreezeTime");
        alias("zookeeper.connection_throttle_drop_increase", "connectionDropIncrease");
        alias("zookeeper.connection_throttle_drop_decrease", "connectionDropDecrease");
        alias("zookeeper.connection_throttle_decrease_ratio", "connectionDecreaseRatio");
        ignore("zookeeper.connection_throttle_weight_enabled", NO_CNXN_THROTTLER);
        ignore("zookeeper.connection_throttle_global_session_weight", NO_CNXN_THROTTLER);
        ignore("zookeeper.connection_throttle_local_session_weight", NO_CNXN_THROTTLER);
        ignore("zookeeper.connection_throttle_renew_session_weight", NO_CNXN_THROTTLER);
        ignore("clientPortListenBacklog", "the client port's listen backlog is not configurable");
        ignore("serverCnxnFactory", "the client port runs on Pekko TCP; there is no NIO or Netty to choose");
        ignore("flushDelay", GROUP_COMMIT);
        ignore("maxWriteQueuePollTime", GROUP_COMMIT);
        ignore("maxBatchSize", GROUP_COMMIT);
        ignore("enforceQuota", "quota enforcement is not implemented");
        ignore("requestThrottleLimit", NO_THROTTLER);
        ignore("requestThrottleStallTime", NO_THROTTLER);
        ignore("requestThrottleDropStale", NO_THROTTLER);
        ignore("requestStaleLatencyCheck", NO_THROTTLER);
        ignore("requestStaleConnectionCheck", NO_THROTTLER);
        ignore("zookeeper.request_throttler.shutdownTimeout", NO_THROTTLER);
        ignore("throttledOpWaitTime", NO_THROTTLER);
        alias("zookeeper.request_throttle_max_requests", "requestThrottleLimit");
        alias("zookeeper.request_throttle_stall_time", "requestThrottleStallTime");
        alias("request_throttle_drop_stale", "requestThrottleDropStale");
        alias("zookeeper.request_throttle_drop_stale", "requestThrottleDropStale");
        alias("zookeeper.request_stale_latency_check", "requestStaleLatencyCheck");
        alias("zookeeper.request_stale_connection_check", "requestStaleConnectionCheck");
        alias("zookeeper.throttled_op_wait_time", "throttledOpWaitTime");
        ignore("advancedFlowControlEnabled", "the client port always applies stream backpressure");
        alias("zookeeper.netty.advancedFlowControl.enabled", "advancedFlowControlEnabled");
        ignore("enableEagerACLCheck", "ACLs are always checked before a request reaches the log");
        ignore("maxConcurrentSnapSyncs", LEARNER_SYNC);
        ignore("maxConcurrentDiffSyncs", LEARNER_SYNC);
        alias("zookeeper.leader.maxConcurrentSnapSyncs", "maxConcurrentSnapSyncs");
        alias("zookeeper.leader.maxConcurrentDiffSyncs", "maxConcurrentDiffSyncs");
        ignore("digest.enabled", "ZooKeeper's data-tree digest is not computed");
        ignore("snapshot.compression.method", OWN_FORMAT);
        ignore("snapshot.trust.empty", OWN_FORMAT);
        ignore("audit.enable", NO_AUDIT);
        ignore("audit.impl.class", NO_AUDIT);
        ignore("largeRequestMaxBytes", "requests are bounded by jute.maxbuffer only");
        ignore("largeRequestThreshold", "requests are bounded by jute.maxbuffer only");
        ignore("outstandingHandshake.limit", NO_CLIENT_TLS);
        alias("zookeeper.netty.server.outstandingHandshake.limit", "outstandingHandshake.limit");
        ignore("netty.server.earlyDropSecureConnectionHandshakes", NO_CLIENT_TLS);
        ignore("learner.closeSocketAsync", ASYNC_SOCKETS);
        ignore("leader.closeSocketAsync", ASYNC_SOCKETS);
        ignore("learner.asyncSending", ASYNC_SOCKETS);
        ignore("forward_learner_requests_to_commit_processor_disabled", NO_COMMIT_PROCESSOR);
        ignore("serializeLastProcessedZxid.enabled", "Paddock's snapshots always record their zxid");

        // Cluster options
        ignore("electionAlg", "Paddock always uses fast leader election");
        ignore("maxTimeToWaitForEpoch", "the leader's wait for epochs is bounded by initLimit");
        alias("zookeeper.leader.maxTimeToWaitForEpoch", "maxTimeToWaitForEpoch");
        ignore("connectToLearnerMasterLimit", "learners get initLimit ticks to connect and sync");
        ignore("leaderServes", "the leader always serves clients");
        ignore("cnxTimeout", PEKKO_REMOTING);
        ignore("quorumCnxnTimeoutMs", PEKKO_REMOTING);
        ignore("tcpKeepAlive", PEKKO_REMOTING);
        ignore("clientTcpKeepAlive", "dead client connections end with their session timeout");
        ignore("electionPortBindRetry", "a failed bind is not retried; the node stops and its supervisor restarts it");
        ignore("observer.reconnectDelayMs", "observer reconnect timing is not tunable");
        ignore("observer.election.DelayMs", "observer reconnect timing is not tunable");
        ignore("localSessionsEnabled", LOCAL_SESSIONS);
        ignore("localSessionsUpgradingEnabled", LOCAL_SESSIONS);

        // Encryption, authentication, authorization
        ignore("DigestAuthenticationProvider.enabled", "authentication providers are not configurable yet");
        ignore("DigestAuthenticationProvider.digestAlg", "the digest algorithm is not configurable yet");
        ignore("IPAuthenticationProvider.usexforwardedfor", "the ip scheme uses the connection's peer address");
        ignore("X509AuthenticationProvider.superUser", NO_SUPER_USER);
        ignore("zookeeper.superUser", NO_SUPER_USER);
        ignore("zookeeper.ensembleAuthName", "the ensemble authentication scheme is not supported");
        ignore("sessionRequireClientSASLAuth", NO_ENFORCED_AUTH);
        ignore("enforce.auth.enabled", NO_ENFORCED_AUTH);
        ignore("enforce.auth.schemes", NO_ENFORCED_AUTH);
        ignore("zookeeper.allowSaslFailedClients", NO_SASL);
        ignore("requireClientAuthScheme", NO_SASL);
        ignore("jaasLoginRenew", NO_SASL);
        ignore("sslQuorum", NO_QUORUM_TLS);
        ignore("sslQuorumReloadCertFiles", NO_QUORUM_TLS);
        ignore("portUnification", NO_QUORUM_TLS);
        ignore("client.certReload", NO_CLIENT_TLS);
        ignore("client.portUnification", NO_CLIENT_TLS);
        ignore("authProvider", "pluggable authentication providers are not supported");
        ignore("kerberos.removeHostFromPrincipal", NO_SASL);
        ignore("kerberos.removeRealmFromPrincipal", NO_SASL);
        ignore("kerberos.canonicalizeHostNames", NO_SASL);
        ignore("multiAddress.enabled", ONE_ADDRESS);
        ignore("multiAddress.reachabilityCheckTimeoutMs", ONE_ADDRESS);
        ignore("multiAddress.reachabilityCheckEnabled", ONE_ADDRESS);
        ignore("fips-mode", "FIPS mode concerns TLS and SASL, which are not supported yet");
        ignore("quorum.auth.enableSasl", NO_QUORUM_SASL);
        ignore("quorum.auth.serverRequireSasl", NO_QUORUM_SASL);
        ignore("quorum.auth.learnerRequireSasl", NO_QUORUM_SASL);
        ignore("quorum.auth.learner.saslLoginContext", NO_QUORUM_SASL);
        ignore("quorum.auth.server.saslLoginContext", NO_QUORUM_SASL);
        ignore("quorum.auth.kerberos.servicePrincipal", NO_QUORUM_SASL);

        // Experimental and unsafe options
        ignore("readonlymode.enabled", "read-only mode is not supported yet");
        ignore("zookeeper.follower.skipLearnerRequestToNextProcessor", NO_COMMIT_PROCESSOR);
        ignore("forceSync", "Paddock always syncs its journal before acknowledging a write");
        ignore("jute.maxbuffer.extrasize", "Paddock sizes its own transaction records");
        ignore("skipACL", "ACLs are always checked");

        // Data directory autocreation and db existence validation
        ignore("zookeeper.db.autocreate", "an empty dataDir always starts an empty database");

        // Performance tuning
        ignore("zookeeper.nio.numSelectorThreads", PEKKO_IO);
        ignore("zookeeper.nio.numWorkerThreads", PEKKO_IO);
        ignore("zookeeper.commitProcessor.numWorkerThreads", NO_COMMIT_PROCESSOR);
        ignore("zookeeper.commitProcessor.maxReadBatchSize", NO_COMMIT_PROCESSOR);
        ignore("zookeeper.commitProcessor.maxCommitBatchSize", NO_COMMIT_PROCESSOR);
        ignore("znode.container.maxNeverUsedIntervalMs", "not tunable yet");

        // Debug observability
        ignore("zookeeper.messageTracker.BufferSize", "roles log their transitions; there is no message tracker");
        ignore("zookeeper.messageTracker.Enabled", "roles log their transitions; there is no message tracker");

        // AdminServer
        ignore("admin.portUnification", NO_ADMIN_TLS);
        ignore("admin.forceHttps", NO_ADMIN_TLS);
        ignore("admin.needClientAuth", NO_ADMIN_TLS);
        ignore("admin.idleTimeout", "the admin port is pekko-management's: pekko.http.server.idle-timeout sets it");
        ignore("admin.rateLimiterIntervalInMS", NO_ADMIN_SNAPSHOT);
        ignore("admin.snapshot.enabled", NO_ADMIN_SNAPSHOT);
        ignore("admin.restore.enabled", NO_ADMIN_SNAPSHOT);

        // Netty
        ignore("zookeeper.clientCnxnSocket", "a client-side setting; it means nothing to a server");

        // Parsed by ZooKeeper 3.9's QuorumPeerConfig, though not in the guide
        ignore("quorum.cnxn.threads.size", PEKKO_REMOTING);
        ignore("jvm.pause.monitor", NO_JVM_PAUSE);
        ignore("jvm.pause.info-threshold.ms", NO_JVM_PAUSE);
        ignore("jvm.pause.warn-threshold.ms", NO_JVM_PAUSE);
        ignore("jvm.pause.sleep.time.ms", NO_JVM_PAUSE);
        ignore("oraclePath", "the two-server oracle is not supported");
        ignore("version", "dynamic reconfiguration versions are not used");

        // Families, matched by pattern
        family("ssl\\..+", "ssl.keyStore.location", NO_TLS);
        family("metricsProvider\\..+", "metricsProvider.httpsPort",
                "the metrics port serves plain HTTP only (no TLS) and ZooKeeper's other summary settings do not apply");
        family("authProvider\\..+", "authProvider.1", "pluggable authentication providers are not supported");
        family("zookeeper\\.authProvider\\..+", "zookeeper.authProvider.1",
                "pluggable authentication providers are not supported");
        family("zookeeper\\.superUser\\..+", "zookeeper.superUser.1", NO_SUPER_USER);
        family("group\\.\\d+", "group.1", NO_HIERARCHY);
        family("weight\\.\\d+", "weight.1", NO_HIERARCHY);
    }

    private KnownKeys() {}

    private static void ignore(String key, String reason) {
        IGNORED.put(key, reason);
    }

    private static void alias(String spelling, String key) {
        ALIASES.put(spelling, key);
    }

    private static void family(String regex, String example, String reason) {
        FAMILIES.add(new Family(Pattern.compile(regex), example, reason));
    }

    /** Looks up a key as written in a config file. */
    static Match match(String key) {
        Match direct = exact(key);
        if (direct != null) {
            return direct;
        }
        // ZooKeeper's system-property spelling of the same setting, in either direction.
        if (key.startsWith("zookeeper.")) {
            Match stripped = exact(key.substring("zookeeper.".length()));
            if (stripped != null) {
                return stripped;
            }
        } else {
            Match prefixed = exact("zookeeper." + key);
            if (prefixed != null) {
                return prefixed;
            }
        }
        String bare = key.startsWith("zookeeper.") ? key.substring("zookeeper.".length()) : key;
        for (Family family : FAMILIES) {
            if (family.pattern().matcher(key).matches() || family.pattern().matcher(bare).matches()) {
                return new Ignored(key, family.reason());
            }
        }
        return new Unknown(suggest(key));
    }

    private static Match exact(String key) {
        String canonical = ALIASES.getOrDefault(key, key);
        if (HONOURED.contains(canonical)) {
            return new Honoured(canonical);
        }
        String reason = IGNORED.get(canonical);
        return reason == null ? null : new Ignored(canonical, reason);
    }

    /**
     * Why an ignored key must not be ignored with this value, or null. A file that asks for a
     * protection Paddock cannot give (encrypted or authenticated peers, mandatory client
     * authentication, refusing an empty database) must not start with that protection silently
     * missing.
     */
    static String refusal(String canonical, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        boolean on = v.equals("true") || v.equals("yes");
        switch (canonical) {
            case "sslQuorum":
                return on ? "asks for TLS between servers, which is not supported yet; remove it or set it to false" : null;
            case "quorum.auth.enableSasl":
            case "quorum.auth.serverRequireSasl":
            case "quorum.auth.learnerRequireSasl":
                return on ? "asks for SASL between servers, which is not supported yet; remove it or set it to false" : null;
            case "sessionRequireClientSASLAuth":
            case "enforce.auth.enabled":
                return on ? "asks that every client authenticates, which Paddock does not enforce yet;"
                    + " remove it or set it to false" : null;
            case "zookeeper.db.autocreate":
                return v.equals("false") || v.equals("no") ? "asks to refuse starting on an empty database, which"
                    + " Paddock cannot do yet; remove it or set it to true" : null;
            default:
                return null;
        }
    }

    /** The canonical key names and one example per family, for suggestions. */
    static Set<String> names() {
        Set<String> names = new TreeSet<>(HONOURED);
        names.addAll(IGNORED.keySet());
        FAMILIES.forEach(f -> names.add(f.example()));
        names.add("server.1");
        return Collections.unmodifiableSet(names);
    }

    /** The ignored keys with their reasons, in the guide's order. */
    static Map<String, String> ignored() {
        return Collections.unmodifiableMap(IGNORED);
    }

    /**
     * The known key nearest to {@code key} by edit distance, or null if none is close enough to
     * be a plausible typo. Case differences count less than wrong letters, so {@code ticktime}
     * suggests tickTime. A key equal to the last part of a known key ({@code snapRetainCount})
     * is taken as that key with its prefix forgotten, and a key that merely starts with a known
     * key ({@code dataDirectory}) suggests that key.
     */
    static String suggest(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestFolded = Integer.MAX_VALUE;
        int bestExact = Integer.MAX_VALUE;
        for (String name : names()) {
            String folded = name.toLowerCase(Locale.ROOT);
            if (folded.endsWith("." + lower)) {
                return name;
            }
            int distance = EditDistance.between(lower, folded);
            int exact = EditDistance.between(key, name);
            if (distance < bestFolded || (distance == bestFolded && exact < bestExact)) {
                best = name;
                bestFolded = distance;
                bestExact = exact;
            }
        }
        if (bestFolded <= Math.max(2, key.length() / 3)) {
            return best;
        }
        // Failing that, a known key the typo starts with: dataDirectory -> dataDir.
        String longestPrefix = null;
        for (String name : names()) {
            String folded = name.toLowerCase(Locale.ROOT);
            if (folded.length() >= 5 && lower.startsWith(folded)
                    && (longestPrefix == null || name.length() > longestPrefix.length())) {
                longestPrefix = name;
            }
        }
        return longestPrefix;
    }
}
