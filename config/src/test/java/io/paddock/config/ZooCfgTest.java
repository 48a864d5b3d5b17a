package io.paddock.config;

import static io.paddock.config.ConfigFiles.dataDirWithMyid;
import static io.paddock.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.config.ServerSpec.Role;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooCfgTest {
    @TempDir
    Path dir;

    @Test
    void minimalZooCfgGetsZooKeeperDefaults() {
        Path cfg = write(dir.resolve("zoo.cfg"), "tickTime=2000", "dataDir=" + dir.resolve("data"), "clientPort=2181");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.sourceFile()).isEqualTo(cfg.toAbsolutePath());
        assertThat(config.serverId()).isZero();
        assertThat(config.isStandalone()).isTrue();
        assertThat(config.self()).isNull();
        assertThat(config.servers()).isEmpty();
        assertThat(config.quorumSize()).isZero();
        assertThat(config.tickTime()).isEqualTo(2000);
        assertThat(config.initLimit()).isEqualTo(10);
        assertThat(config.syncLimit()).isEqualTo(5);
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.dataLogDir()).isEqualTo(config.dataDir());
        assertThat(config.clientAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 2181));
        assertThat(config.maxClientCnxns()).isEqualTo(60);
        assertThat(config.minSessionTimeout()).isEqualTo(4000);
        assertThat(config.maxSessionTimeout()).isEqualTo(40000);
        assertThat(config.snapCount()).isEqualTo(100000);
        assertThat(config.snapRetainCount()).isEqualTo(3);
        assertThat(config.purgeIntervalHours()).isZero();
        assertThat(config.fourLetterWords()).containsExactlyInAnyOrder("ruok", "srvr", "stat", "mntr", "isro");
        assertThat(config.maxBuffer()).isEqualTo(1048575);
        assertThat(config.globalOutstandingLimit()).isEqualTo(1000);
        assertThat(config.extendedTypesEnabled()).isFalse();
        assertThat(config.containerCheckIntervalMs()).isEqualTo(60000);
        assertThat(config.containerMaxPerMinute()).isEqualTo(10000);
        assertThat(config.standaloneEnabled()).isTrue();
        assertThat(config.ensembleConfig()).as("a standalone ZooKeeper's /zookeeper/config is empty").isEmpty();
        assertThat(config.metricsProvider()).isEqualTo(MetricsProvider.NONE);
        assertThat(config.reconfigEnabled()).isFalse();
        assertThat(config.adminEnableServer()).isTrue();
        assertThat(config.adminServerAddress()).isEqualTo("127.0.0.1");
        assertThat(config.adminServerPort()).isEqualTo(8080);
        assertThat(config.adminCommandUrl()).isEqualTo("/commands");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void realisticEnsembleConfig() {
        Path data = dataDirWithMyid(dir.resolve("data"), "2");
        Path cfg = write(dir.resolve("zoo.cfg"), RealisticConfig.zooCfg(data, dir.resolve("txnlog")));

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.serverId()).isEqualTo(2);
        assertThat(config.isStandalone()).isFalse();
        assertThat(config.tickTime()).isEqualTo(3000);
        assertThat(config.initLimit()).isEqualTo(20);
        assertThat(config.syncLimit()).isEqualTo(10);
        assertThat(config.dataLogDir()).isEqualTo(dir.resolve("txnlog"));
        assertThat(config.clientAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 2181));
        assertThat(config.maxClientCnxns()).isEqualTo(0);
        assertThat(config.minSessionTimeout()).isEqualTo(6000);
        assertThat(config.maxSessionTimeout()).isEqualTo(90000);
        assertThat(config.snapCount()).isEqualTo(50000);
        assertThat(config.snapRetainCount()).isEqualTo(5);
        assertThat(config.purgeIntervalHours()).isEqualTo(24);
        assertThat(config.fourLetterWords()).containsExactly("conf", "isro", "ruok", "srvr", "stat");
        assertThat(config.maxBuffer()).isEqualTo(4194304);
        assertThat(config.globalOutstandingLimit()).isEqualTo(2000);
        assertThat(config.extendedTypesEnabled()).isTrue();
        assertThat(config.containerCheckIntervalMs()).isEqualTo(30000);
        assertThat(config.reconfigEnabled()).isTrue();
        assertThat(config.adminEnableServer()).isTrue();
        assertThat(config.adminServerAddress()).isEqualTo("127.0.0.1");
        assertThat(config.adminServerPort()).isEqualTo(9090);

        assertThat(config.servers().keySet()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(config.self()).isEqualTo(new ServerSpec(2, "zk2.example.com", 2888, 3888,
                Role.PARTICIPANT, new InetSocketAddress("0.0.0.0", 2181)));
        assertThat(config.servers().get(4L).role()).isEqualTo(Role.OBSERVER);
        assertThat(config.servers().get(4L).clientAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 2181));
        assertThat(config.quorumSize()).isEqualTo(3);
        assertThat(config.voters()).containsExactly(1L, 2L, 3L);
        // what /zookeeper/config then holds, as ZooKeeper 3.9.5 writes it (a bare client port binds 0.0.0.0)
        assertThat(config.ensembleConfig()).isEqualTo("""
            server.1=zk1.example.com:2888:3888:participant;0.0.0.0:2181
            server.2=zk2.example.com:2888:3888:participant;0.0.0.0:2181
            server.3=zk3.example.com:2888:3888:participant;0.0.0.0:2181
            server.4=zk4.example.com:2888:3888:observer;0.0.0.0:2181
            version=0""");

        assertThat(config.metricsProvider()).isEqualTo(new MetricsProvider(true, "0.0.0.0", 7000, true));
        assertThat(config.warnings()).containsExactly(
                "admin.idleTimeout: ignored: the admin port is pekko-management's: pekko.http.server.idle-timeout sets it",
                "electionAlg: ignored: Paddock always uses fast leader election",
                "preAllocSize: ignored: Paddock's journal preallocates segments itself");
        assertThat(config.quorumListenOnAllIPs()).isTrue();
        assertThat(config.peerBindHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void superDigestInZooCfgIsTheSuperUsersAsTheSystemPropertyIs() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir, "clientPort=2181",
                "DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
        assertThat(ConfigLoader.load(cfg).superDigest()).isEqualTo("super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
        assertThat(ConfigLoader.load(cfg).warnings()).isEmpty();

        Path prefixed = write(dir.resolve("prefixed.cfg"), "dataDir=" + dir, "clientPort=2181",
                "zookeeper.DigestAuthenticationProvider.superDigest=super:abc");
        assertThat(ConfigLoader.load(prefixed).superDigest()).isEqualTo("super:abc");

        Path none = write(dir.resolve("none.cfg"), "dataDir=" + dir, "clientPort=2181");
        assertThat(ConfigLoader.load(none).superDigest()).as("the node then reads the system property").isNull();
    }

    @Test
    void anOwnServerLineOnEveryAddressListensThereAndIsReachedByThisHostsName() throws Exception {
        Path data = dataDirWithMyid(dir.resolve("data"), "2");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data, "clientPort=2181",
                "server.1=zk1:2888:3888", "server.2=0.0.0.0:2888:3888", "server.3=zk3:2888:3888");

        NodeConfig config = ConfigLoader.load(cfg);

        String hostName = java.net.InetAddress.getLocalHost().getHostName();
        assertThat(config.self().host()).isEqualTo(hostName);
        assertThat(config.self().quorumPort()).isEqualTo(2888);
        assertThat(config.self().electionPort()).isEqualTo(3888);
        assertThat(config.quorumListenOnAllIPs()).isTrue();
        assertThat(config.peerBindHost()).isEqualTo("0.0.0.0");
        assertThat(config.servers().get(1L).host()).isEqualTo("zk1");
        assertThat(config.warnings()).singleElement().asString()
                .startsWith("server.2: 0.0.0.0: the peer ports listen on every address")
                .contains("must name this one " + hostName);

        Path named = write(dir.resolve("named.cfg"), "dataDir=" + data, "clientPort=2181",
                "server.1=zk1:2888:3888", "server.2=zk2:2888:3888", "server.3=zk3:2888:3888");
        assertThat(ConfigLoader.load(named).peerBindHost()).isEqualTo("zk2");
        assertThat(ConfigLoader.load(named).quorumListenOnAllIPs()).isFalse();
    }

    @Test
    void sessionTimeoutDefaultsFollowTickTime() {
        Path cfg = write(dir.resolve("zoo.cfg"), "tickTime=500", "dataDir=" + dir, "clientPort=2181");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.minSessionTimeout()).isEqualTo(1000);
        assertThat(config.maxSessionTimeout()).isEqualTo(10000);
    }

    @Test
    void minusOneSessionTimeoutMeansTheDefaultAsInZooKeeper() {
        Path cfg = write(dir.resolve("zoo.cfg"), "tickTime=1000", "dataDir=" + dir, "clientPort=2181",
                "minSessionTimeout=-1", "maxSessionTimeout=-1");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.minSessionTimeout()).isEqualTo(2000);
        assertThat(config.maxSessionTimeout()).isEqualTo(20000);
    }

    @Test
    void onlyOneSessionTimeoutSetKeepsTheOtherDefault() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir, "clientPort=2181", "maxSessionTimeout=100000");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.minSessionTimeout()).isEqualTo(4000);
        assertThat(config.maxSessionTimeout()).isEqualTo(100000);
    }

    @Test
    void starWhitelistEnablesEveryWord() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir, "clientPort=2181", "4lw.commands.whitelist=*");

        assertThat(ConfigLoader.load(cfg).fourLetterWords()).isEqualTo(FourLetterWords.ALL);
    }

    @Test
    void whitelistAlwaysKeepsSrvrAndWarnsAboutUnknownWords() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir, "clientPort=2181",
                "4lw.commands.whitelist=ruok, stst");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.fourLetterWords()).containsExactly("ruok", "srvr");
        assertThat(config.warnings()).containsExactly(
                "4lw.commands.whitelist: 'stst' is not a four letter word; ignored");
    }

    @Test
    void everyIgnoredKeyGivesExactlyOneWarning() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir, "clientPort=2181",
                "preAllocSize=65536", "electionAlg=3", "secureClientPort=2281", "forceSync=no",
                "ssl.keyStore.location=/etc/zk/keystore.jks", "ssl.quorum.trustStore.password=secret",
                "quorum.auth.enableSasl=false", "authProvider.1=org.example.Provider", "group.1=1:2:3",
                "weight.1=1", "zookeeper.nio.numWorkerThreads=8", "nio.numSelectorThreads=2");

        List<String> warnings = ConfigLoader.load(cfg).warnings();

        assertThat(warnings).hasSize(12).containsExactly(
                "authProvider.1: ignored: pluggable authentication providers are not supported",
                "electionAlg: ignored: Paddock always uses fast leader election",
                "forceSync: ignored: Paddock always syncs its journal before acknowledging a write",
                "group.1: ignored: hierarchical quorums are not supported; Paddock counts a majority of the participants",
                "nio.numSelectorThreads: ignored: client I/O runs on Pekko's dispatchers",
                "preAllocSize: ignored: Paddock's journal preallocates segments itself",
                "quorum.auth.enableSasl: ignored: SASL between servers is not supported yet; peers are not authenticated",
                "secureClientPort: ignored: TLS on the client port is not supported yet",
                "ssl.keyStore.location: ignored: TLS is not supported yet",
                "ssl.quorum.trustStore.password: ignored: TLS is not supported yet",
                "weight.1: ignored: hierarchical quorums are not supported; Paddock counts a majority of the participants",
                "zookeeper.nio.numWorkerThreads: ignored: client I/O runs on Pekko's dispatchers");
    }

    @Test
    void valuesBelowZooKeepersMinimumsAreRaisedWithAWarning() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir, "clientPort=2181",
                "autopurge.snapRetainCount=1", "snapCount=1", "autopurge.purgeInterval=-1");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.snapRetainCount()).isEqualTo(3);
        assertThat(config.snapCount()).isEqualTo(2);
        assertThat(config.purgeIntervalHours()).isZero();
        assertThat(config.warnings()).containsExactly(
                "snapCount: 1 is below the minimum of 2; using 2",
                "autopurge.snapRetainCount: 1 is below the minimum of 3; using 3",
                "autopurge.purgeInterval: -1 means no purging; using 0");
    }

    @Test
    void systemPropertySpellingsAreAccepted() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir, "clientPort=2181",
                "zookeeper.extendedTypesEnabled=true", "zookeeper.snapCount=5000",
                "zookeeper.4lw.commands.whitelist=ruok", "zookeeper.admin.serverPort=9999",
                "zookeeper.admin.commandURL=/zk/cmds/");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.extendedTypesEnabled()).isTrue();
        assertThat(config.snapCount()).isEqualTo(5000);
        assertThat(config.fourLetterWords()).containsExactly("ruok", "srvr");
        assertThat(config.adminServerPort()).isEqualTo(9999);
        assertThat(config.adminCommandUrl()).as("without its trailing slash").isEqualTo("/zk/cmds");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void juteMaxBufferAcceptsHexAsZooKeeperDoes() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir, "clientPort=2181", "jute.maxbuffer=0x3fffff");

        assertThat(ConfigLoader.load(cfg).maxBuffer()).isEqualTo(0x3fffff);
    }

    @Test
    void relativePathsResolveAgainstTheWorkingDirectoryLikeZooKeeper() {
        Path cfg = write(dir.resolve("conf/zoo.cfg"), "dataDir=relative/data", "clientPort=2181");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.dataDir()).isEqualTo(Path.of("relative/data").toAbsolutePath());
        assertThat(config.dataDir()).isNotEqualTo(dir.resolve("conf/relative/data"));
    }

    @Test
    void missingDataDirIsFineTheNodeCreatesIt() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir.resolve("not/yet"), "clientPort=2181");

        assertThat(ConfigLoader.load(cfg).dataDir()).isEqualTo(dir.resolve("not/yet"));
    }

    @Test
    void clientPortCanComeFromThisServersLine() {
        Path data = dataDirWithMyid(dir.resolve("data"), "1");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data,
                "server.1=127.0.0.1:2888:3888;127.0.0.1:2191",
                "server.2=127.0.0.1:2889:3889;2192",
                "server.3=127.0.0.1:2890:3890;2193");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.clientAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 2191));
        assertThat(config.quorumSize()).isEqualTo(3);
    }

    @Test
    void wildcardClientPortAddressOnlyHasToMatchThePortOfTheServerLine() {
        Path data = dataDirWithMyid(dir.resolve("data"), "1");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data, "clientPort=2191",
                "server.1=127.0.0.1:2888:3888;127.0.0.1:2191", "server.2=127.0.0.1:2889:3889");

        assertThat(ConfigLoader.load(cfg).clientAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 2191));
    }

    @Test
    void peerTypeObserverAgreeingWithTheServerLine() {
        Path data = dataDirWithMyid(dir.resolve("data"), "3");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data, "clientPort=2181", "peerType=observer",
                "server.1=a:2888:3888", "server.2=b:2888:3888", "server.3=c:2888:3888:observer");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.self().role()).isEqualTo(Role.OBSERVER);
        assertThat(config.voters()).containsExactly(1L, 2L);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void peerTypeDisagreeingWithTheServerLineLosesWithAWarning() {
        Path data = dataDirWithMyid(dir.resolve("data"), "2");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data, "clientPort=2181", "peerType=observer",
                "server.1=a:2888:3888", "server.2=b:2888:3888", "server.3=c:2888:3888");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.self().role()).isEqualTo(Role.PARTICIPANT);
        assertThat(config.warnings()).containsExactly(
                "peerType: observer disagrees with server.2 (participant); the server line wins, as in ZooKeeper");
    }

    @Test
    void aSingleServerLineRunsStandaloneAsZooKeeperDoes() {
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + dir.resolve("data"), "clientPort=2181",
                "server.1=localhost:2888:3888");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.isStandalone()).isTrue();
        assertThat(config.serverId()).isZero();
        assertThat(config.warnings()).containsExactly("server.1: the only server listed, and standaloneEnabled "
                + "is true, so this node runs standalone (as ZooKeeper does)");
    }

    @Test
    void aSingleParticipantWithStandaloneDisabledIsAnEnsembleOfOne() {
        Path data = dataDirWithMyid(dir.resolve("data"), "1");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data, "standaloneEnabled=false",
                "server.1=localhost:2888:3888;2181", "server.2=localhost:2889:3889:observer;2182");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.isStandalone()).isFalse();
        assertThat(config.quorumSize()).isEqualTo(1);
        assertThat(config.voters()).isEqualTo(Set.of(1L));
    }

    @Test
    void serverLinesMayLiveInTheDynamicConfigFile() {
        Path data = dataDirWithMyid(dir.resolve("data"), "3");
        Path dynamic = write(dir.resolve("zoo.cfg.dynamic.100000000"),
                "server.1=10.0.0.1:2888:3888:participant;0.0.0.0:2181",
                "server.2=10.0.0.2:2888:3888:participant;0.0.0.0:2181",
                "server.3=10.0.0.3:2888:3888:participant;0.0.0.0:2181",
                "version=100000000");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data, "reconfigEnabled=true",
                "dynamicConfigFile=" + dynamic);

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.self().host()).isEqualTo("10.0.0.3");
        assertThat(config.clientAddress().getPort()).isEqualTo(2181);
        assertThat(config.warnings()).containsExactly("version: ignored: dynamic reconfiguration versions are not used");
    }

    @Test
    void multipleAddressesKeepTheFirstWithAWarning() {
        Path data = dataDirWithMyid(dir.resolve("data"), "1");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data, "clientPort=2181", "multiAddress.enabled=true",
                "server.1=zoo1-net1:2888:3888|zoo1-net2:2889:3889",
                "server.2=zoo2-net1:2888:3888|zoo2-net2:2889:3889",
                "server.3=zoo3-net1:2888:3888|zoo3-net2:2889:3889");

        NodeConfig config = ConfigLoader.load(cfg);

        assertThat(config.self().host()).isEqualTo("zoo1-net1");
        assertThat(config.warnings()).contains(
                "multiAddress.enabled: ignored: Paddock uses one address per server (the first in a server.N line)",
                "server.1: only the first address (zoo1-net1:2888:3888) is used; Paddock binds one address per server");
    }

    @Test
    void myidFileWithTrailingNewlineAndSpaces() {
        Path data = dataDirWithMyid(dir.resolve("data"), " 2 \n");
        Path cfg = write(dir.resolve("zoo.cfg"), "dataDir=" + data, "clientPort=2181",
                "server.1=a:2888:3888", "server.2=b:2888:3888", "server.3=c:2888:3888");

        assertThat(ConfigLoader.load(cfg).serverId()).isEqualTo(2);
    }

    @Test
    void zooKeepersOwnMetricsProvidersNeedNoWarningAndAnyOtherIsNamed() {
        Path data = dir.resolve("data");
        NodeConfig prometheus = ConfigLoader.load(write(dir.resolve("p.cfg"), String.join("\n", "dataDir=" + data,
            "clientPort=2181", "metricsProvider.className=" + MetricsProvider.PROMETHEUS_CLASS,
            "metricsProvider.httpHost=127.0.0.1", "metricsProvider.httpPort=7001", "metricsProvider.exportJvmInfo=false")));
        assertThat(prometheus.metricsProvider()).isEqualTo(new MetricsProvider(true, "127.0.0.1", 7001, false));
        assertThat(prometheus.warnings()).isEmpty();

        NodeConfig defaults = ConfigLoader.load(write(dir.resolve("d.cfg"), String.join("\n", "dataDir=" + data,
            "clientPort=2181", "metricsProvider.className=org.apache.zookeeper.metrics.impl.DefaultMetricsProvider")));
        assertThat(defaults.metricsProvider().prometheus()).isFalse();
        assertThat(defaults.warnings()).isEmpty();

        NodeConfig custom = ConfigLoader.load(write(dir.resolve("c.cfg"), String.join("\n", "dataDir=" + data,
            "clientPort=2181", "metricsProvider.className=com.example.MyProvider")));
        assertThat(custom.metricsProvider().prometheus()).isFalse();
        assertThat(custom.warnings()).singleElement().asString()
            .startsWith("metricsProvider.className: ignored: com.example.MyProvider is not ZooKeeper's PrometheusMetricsProvider");
    }
}
