package io.paddock.config;

import static io.paddock.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class KnownKeysTest {
    @TempDir
    Path dir;

    /**
     * The keys of ZooKeeper 3.9's Administrator's Guide, section by section, plus the system
     * property spellings it gives and the keys QuorumPeerConfig parses beyond the guide.
     */
    static final List<String> GUIDE_KEYS = List.of(
            // Minimum Configuration
            "clientPort", "secureClientPort", "observerMasterPort", "dataDir", "tickTime",
            // Advanced Configuration
            "dataLogDir", "globalOutstandingLimit", "preAllocSize", "snapCount", "commitLogCount",
            "snapSizeLimitInKb", "txnLogSizeLimitInKb", "maxCnxns", "maxClientCnxns", "clientPortAddress",
            "minSessionTimeout", "maxSessionTimeout", "fsync.warningthresholdms", "maxResponseCacheSize",
            "maxGetChildrenResponseCacheSize", "autopurge.snapRetainCount", "autopurge.purgeInterval",
            "syncEnabled", "extendedTypesEnabled", "emulate353TTLNodes", "watchManaggerName", "watchManagerName",
            "watcherCleanThreadsNum", "watcherCleanThreshold", "watcherCleanIntervalInSeconds",
            "maxInProcessingDeadWatchers", "bitHashCacheSize", "fastleader.minNotificationInterval",
            "fastleader.maxNotificationInterval", "connectionMaxTokens", "connectionTokenFillTime",
            "connectionTokenFillCount", "connectionFreezeTime", "connectionDropIncrease", "connectionDropDecrease",
            "connectionDecreaseRatio", "zookeeper.connection_throttle_weight_enabled",
            "zookeeper.connection_throttle_global_session_weight",
            "zookeeper.connection_throttle_local_session_weight",
            "zookeeper.connection_throttle_renew_session_weight", "clientPortListenBacklog", "serverCnxnFactory",
            "flushDelay", "maxWriteQueuePollTime", "maxBatchSize", "enforceQuota", "requestThrottleLimit",
            "requestThrottleStallTime", "requestThrottleDropStale", "requestStaleLatencyCheck",
            "requestStaleConnectionCheck", "zookeeper.request_throttler.shutdownTimeout",
            "advancedFlowControlEnabled", "enableEagerACLCheck", "maxConcurrentSnapSyncs",
            "maxConcurrentDiffSyncs", "digest.enabled", "snapshot.compression.method", "snapshot.trust.empty",
            "audit.enable", "audit.impl.class", "largeRequestMaxBytes", "largeRequestThreshold",
            "outstandingHandshake.limit", "netty.server.earlyDropSecureConnectionHandshakes",
            "throttledOpWaitTime", "learner.closeSocketAsync", "leader.closeSocketAsync", "learner.asyncSending",
            "forward_learner_requests_to_commit_processor_disabled", "serializeLastProcessedZxid.enabled",
            // Cluster Options
            "electionAlg", "maxTimeToWaitForEpoch", "initLimit", "connectToLearnerMasterLimit", "leaderServes",
            "syncLimit", "group.1", "weight.1", "cnxTimeout", "quorumCnxnTimeoutMs", "standaloneEnabled",
            "reconfigEnabled", "4lw.commands.whitelist", "tcpKeepAlive", "clientTcpKeepAlive",
            "electionPortBindRetry", "observer.reconnectDelayMs", "observer.election.DelayMs",
            "localSessionsEnabled", "localSessionsUpgradingEnabled",
            // Encryption, Authentication, Authorization Options
            "DigestAuthenticationProvider.enabled", "DigestAuthenticationProvider.superDigest",
            "DigestAuthenticationProvider.digestAlg", "IPAuthenticationProvider.usexforwardedfor",
            "X509AuthenticationProvider.superUser", "zookeeper.superUser", "ssl.authProvider",
            "zookeeper.ensembleAuthName", "sessionRequireClientSASLAuth", "enforce.auth.enabled",
            "enforce.auth.schemes", "sslQuorum", "ssl.keyStore.location", "ssl.keyStore.password",
            "ssl.quorum.keyStore.location", "ssl.quorum.keyStore.password", "ssl.keyStore.passwordPath",
            "ssl.quorum.keyStore.passwordPath", "ssl.keyStore.type", "ssl.quorum.keyStore.type",
            "ssl.trustStore.location", "ssl.trustStore.password", "ssl.quorum.trustStore.location",
            "ssl.quorum.trustStore.password", "ssl.trustStore.passwordPath", "ssl.quorum.trustStore.passwordPath",
            "ssl.trustStore.type", "ssl.quorum.trustStore.type", "ssl.protocol", "ssl.quorum.protocol",
            "ssl.enabledProtocols", "ssl.quorum.enabledProtocols", "ssl.ciphersuites", "ssl.quorum.ciphersuites",
            "ssl.context.supplier.class", "ssl.quorum.context.supplier.class", "ssl.hostnameVerification",
            "ssl.quorum.hostnameVerification", "ssl.clientHostnameVerification",
            "ssl.quorum.clientHostnameVerification", "ssl.allowReverseDnsLookup",
            "ssl.quorum.allowReverseDnsLookup", "ssl.crl", "ssl.quorum.crl", "ssl.ocsp", "ssl.quorum.ocsp",
            "ssl.clientAuth", "ssl.quorum.clientAuth", "ssl.handshakeDetectionTimeoutMillis",
            "ssl.quorum.handshakeDetectionTimeoutMillis", "ssl.sslProvider", "sslQuorumReloadCertFiles",
            "client.certReload", "client.portUnification", "authProvider", "authProvider.1",
            "kerberos.removeHostFromPrincipal", "kerberos.removeRealmFromPrincipal",
            "kerberos.canonicalizeHostNames", "multiAddress.enabled", "multiAddress.reachabilityCheckTimeoutMs",
            "fips-mode", "zookeeper.allowSaslFailedClients",
            "quorum.auth.enableSasl", "quorum.auth.serverRequireSasl", "quorum.auth.learnerRequireSasl",
            "quorum.auth.learner.saslLoginContext", "quorum.auth.server.saslLoginContext",
            "quorum.auth.kerberos.servicePrincipal",
            // Experimental Options/Features
            "readonlymode.enabled", "zookeeper.follower.skipLearnerRequestToNextProcessor",
            // Unsafe Options
            "forceSync", "jute.maxbuffer", "jute.maxbuffer.extrasize", "skipACL", "quorumListenOnAllIPs",
            "multiAddress.reachabilityCheckEnabled",
            // Disabling data directory autocreation, Enabling db existence validation
            "zookeeper.datadir.autocreate", "zookeeper.db.autocreate",
            // Performance Tuning Options
            "zookeeper.nio.numSelectorThreads", "zookeeper.nio.numWorkerThreads",
            "zookeeper.commitProcessor.numWorkerThreads", "zookeeper.commitProcessor.maxReadBatchSize",
            "zookeeper.commitProcessor.maxCommitBatchSize", "znode.container.checkIntervalMs",
            "znode.container.maxPerMinute", "znode.container.maxNeverUsedIntervalMs",
            // Debug Observability
            "zookeeper.messageTracker.BufferSize", "zookeeper.messageTracker.Enabled",
            // AdminServer configuration
            "admin.rateLimiterIntervalInMS", "admin.snapshot.enabled", "admin.restore.enabled",
            "admin.needClientAuth", "admin.forceHttps", "admin.portUnification", "admin.enableServer",
            "admin.serverAddress", "admin.serverPort", "admin.idleTimeout", "admin.commandURL",
            // Metrics Providers
            "metricsProvider.className", "metricsProvider.httpPort", "metricsProvider.exportJvmInfo",
            "metricsProvider.httpHost", "metricsProvider.httpsPort", "metricsProvider.numWorkerThreads",
            // Communication using the Netty framework, Quorum TLS
            "zookeeper.serverCnxnFactory", "zookeeper.clientCnxnSocket", "portUnification",
            // Parsed by QuorumPeerConfig beyond the guide
            "secureClientPortAddress", "peerType", "dynamicConfigFile", "quorum.cnxn.threads.size",
            "jvm.pause.monitor", "jvm.pause.info-threshold.ms", "jvm.pause.warn-threshold.ms",
            "jvm.pause.sleep.time.ms", "oraclePath", "version",
            // System-property spellings given in the guide
            "zookeeper.globalOutstandingLimit", "zookeeper.preAllocSize", "zookeeper.snapCount",
            "zookeeper.commitLogCount", "zookeeper.snapSizeLimitInKb", "zookeeper.txnLogSizeLimitInKb",
            "zookeeper.maxCnxns", "zookeeper.fsync.warningthresholdms", "zookeeper.maxResponseCacheSize",
            "zookeeper.maxGetChildrenResponseCacheSize", "zookeeper.observer.syncEnabled",
            "zookeeper.extendedTypesEnabled", "zookeeper.emulate353TTLNodes", "zookeeper.watchManagerName",
            "zookeeper.watcherCleanThreadsNum", "zookeeper.fastleader.minNotificationInterval",
            "zookeeper.connection_throttle_tokens", "zookeeper.connection_throttle_fill_time",
            "zookeeper.connection_throttle_fill_count", "zookeeper.connection_throttle_freeze_time",
            "zookeeper.connection_throttle_drop_increase", "zookeeper.connection_throttle_drop_decrease",
            "zookeeper.connection_throttle_decrease_ratio", "zookeeper.flushDelay",
            "zookeeper.maxWriteQueuePollTime", "zookeeper.maxBatchSize", "zookeeper.enforceQuota",
            "zookeeper.request_throttle_max_requests", "zookeeper.request_throttle_stall_time",
            "request_throttle_drop_stale", "zookeeper.request_stale_latency_check",
            "zookeeper.request_stale_connection_check", "zookeeper.netty.advancedFlowControl.enabled",
            "zookeeper.enableEagerACLCheck", "zookeeper.leader.maxConcurrentSnapSyncs",
            "zookeeper.leader.maxConcurrentDiffSyncs", "zookeeper.digest.enabled",
            "zookeeper.snapshot.compression.method", "zookeeper.snapshot.trust.empty", "zookeeper.audit.enable",
            "zookeeper.audit.impl.class", "zookeeper.largeRequestMaxBytes", "zookeeper.largeRequestThreshold",
            "zookeeper.netty.server.outstandingHandshake.limit",
            "zookeeper.netty.server.earlyDropSecureConnectionHandshakes", "zookeeper.throttled_op_wait_time",
            "zookeeper.learner.closeSocketAsync", "zookeeper.leader.closeSocketAsync",
            "zookeeper.learner.asyncSending", "zookeeper.forward_learner_requests_to_commit_processor_disabled",
            "zookeeper.serializeLastProcessedZxid.enabled", "zookeeper.leader.maxTimeToWaitForEpoch",
            "zookeeper.connectToLearnerMasterLimit", "zookeeper.leaderServes", "zookeeper.cnxTimeout",
            "zookeeper.quorumCnxnTimeoutMs", "zookeeper.4lw.commands.whitelist", "zookeeper.tcpKeepAlive",
            "zookeeper.clientTcpKeepAlive", "zookeeper.electionPortBindRetry",
            "zookeeper.observer.reconnectDelayMs", "zookeeper.observer.election.DelayMs",
            "zookeeper.DigestAuthenticationProvider.enabled", "zookeeper.DigestAuthenticationProvider.superDigest",
            "zookeeper.DigestAuthenticationProvider.digestAlg",
            "zookeeper.IPAuthenticationProvider.usexforwardedfor",
            "zookeeper.X509AuthenticationProvider.superUser", "zookeeper.superUser.1", "zookeeper.ssl.authProvider",
            "zookeeper.sessionRequireClientSASLAuth", "zookeeper.enforce.auth.enabled",
            "zookeeper.enforce.auth.schemes", "zookeeper.sslQuorum", "zookeeper.ssl.keyStore.location",
            "zookeeper.ssl.quorum.trustStore.password", "zookeeper.client.certReload",
            "zookeeper.client.portUnification", "zookeeper.authProvider", "zookeeper.authProvider.sasl",
            "zookeeper.kerberos.removeHostFromPrincipal", "zookeeper.kerberos.canonicalizeHostNames",
            "zookeeper.multiAddress.enabled", "zookeeper.multiAddress.reachabilityCheckTimeoutMs",
            "zookeeper.multiAddress.reachabilityCheckEnabled", "zookeeper.fips-mode", "zookeeper.forceSync",
            "jute.maxbuffer", "zookeeper.jute.maxbuffer.extrasize", "zookeeper.skipACL",
            "zookeeper.admin.rateLimiterIntervalInMS", "zookeeper.admin.snapshot.enabled",
            "zookeeper.admin.restore.enabled", "zookeeper.admin.needClientAuth", "zookeeper.admin.forceHttps",
            "zookeeper.admin.portUnification", "zookeeper.admin.enableServer", "zookeeper.admin.serverAddress",
            "zookeeper.admin.serverPort", "zookeeper.admin.idleTimeout", "zookeeper.admin.commandURL");

    static Stream<String> guideKeys() {
        return GUIDE_KEYS.stream();
    }

    @ParameterizedTest
    @MethodSource("guideKeys")
    void everyKeyOfTheAdministratorsGuideIsKnown(String key) {
        assertThat(KnownKeys.match(key)).isNotInstanceOf(KnownKeys.Unknown.class);
    }

    @Test
    void everyIgnoredGuideKeyLoadsWithExactlyOneWarningNamingIt() {
        List<String> lines = new ArrayList<>(List.of("dataDir=" + dir, "clientPort=2181"));
        List<String> ignored = GUIDE_KEYS.stream()
                .filter(key -> KnownKeys.match(key) instanceof KnownKeys.Ignored)
                .toList();
        // "0" is the harmless value of the keys refused when they ask for missing protection
        ignored.forEach(key -> lines.add(key + (KnownKeys.refusal(canonical(key), "1") == null ? "=1" : "=0")));
        Path cfg = write(dir.resolve("zoo.cfg"), lines.toArray(String[]::new));

        List<String> warnings = ConfigLoader.load(cfg).warnings();

        assertThat(ignored).hasSizeGreaterThan(200);
        assertThat(warnings).hasSameSizeAs(ignored);
        for (String key : ignored) {
            assertThat(warnings).filteredOn(w -> w.startsWith(key + ": ignored: ")).hasSize(1);
        }
    }

    @Test
    void honouredKeysAreTheFieldsOfNodeConfig() {
        assertThat(KnownKeys.match("tickTime")).isEqualTo(new KnownKeys.Honoured("tickTime"));
        assertThat(KnownKeys.match("zookeeper.snapCount")).isEqualTo(new KnownKeys.Honoured("snapCount"));
        assertThat(KnownKeys.match("zookeeper.admin.enableServer"))
                .isEqualTo(new KnownKeys.Honoured("admin.enableServer"));
    }

    @Test
    void everyReasonIsShortAndOwnWords() {
        KnownKeys.ignored().forEach((key, reason) -> {
            assertThat(reason).as(key).isNotBlank().hasSizeLessThan(120).doesNotEndWith(".");
        });
    }

    @ParameterizedTest
    @CsvSource({
        "tickTme, tickTime",
        "ticktime, tickTime",
        "datadir, dataDir",
        "dataDirectory, dataDir",
        "clientport, clientPort",
        "clientPortAdress, clientPortAddress",
        "maxClientCnxn, maxClientCnxns",
        "snapRetainCount, autopurge.snapRetainCount",
        "purgeInterval, autopurge.purgeInterval",
        "autopurge.purgeIntervall, autopurge.purgeInterval",
        "4lw.command.whitelist, 4lw.commands.whitelist",
        "initlimit, initLimit",
        "standaloneEnable, standaloneEnabled",
        "admin.serverport, admin.serverPort",
        "jute.maxBuffer, jute.maxbuffer",
        "electionAlgo, electionAlg",
        "preallocsize, preAllocSize",
    })
    void suggestsTheNearestKnownKey(String typo, String expected) {
        assertThat(KnownKeys.match(typo)).isEqualTo(new KnownKeys.Unknown(expected));
    }

    @Test
    void noSuggestionForSomethingUnlikeAnyKey() {
        assertThat(KnownKeys.match("frobnicateTheWidgets")).isEqualTo(new KnownKeys.Unknown(null));
    }

    @Test
    void familiesMatchByPatternOnly() {
        assertThat(KnownKeys.match("metricsProvider.anything")).isInstanceOf(KnownKeys.Ignored.class);
        assertThat(KnownKeys.match("group.12")).isInstanceOf(KnownKeys.Ignored.class);
        assertThat(KnownKeys.match("group.x")).isInstanceOf(KnownKeys.Unknown.class);
        assertThat(KnownKeys.match("weight")).isInstanceOf(KnownKeys.Unknown.class);
        assertThat(KnownKeys.match("ssl")).isInstanceOf(KnownKeys.Unknown.class);
    }

    @Test
    void editDistance() {
        assertThat(EditDistance.between("", "")).isZero();
        assertThat(EditDistance.between("abc", "")).isEqualTo(3);
        assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
        assertThat(EditDistance.between("tickTime", "tickTime")).isZero();
    }

    private static String canonical(String key) {
        return ((KnownKeys.Ignored) KnownKeys.match(key)).canonical();
    }
}
