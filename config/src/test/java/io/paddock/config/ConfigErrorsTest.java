package io.paddock.config;

import static io.paddock.config.ConfigFiles.dataDirWithMyid;
import static io.paddock.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error names the file, the key (when there is one) and the problem. */
class ConfigErrorsTest {
    @TempDir
    Path dir;
    Path cfg;
    Path data;

    @BeforeEach
    void setUp() {
        cfg = dir.resolve("zoo.cfg");
        data = dir.resolve("data");
    }

    /** A zoo.cfg with a valid dataDir and clientPort plus {@code lines}. */
    private Path cfg(String... lines) {
        String[] all = new String[lines.length + 2];
        all[0] = "dataDir=" + data;
        all[1] = "clientPort=2181";
        System.arraycopy(lines, 0, all, 2, lines.length);
        return write(cfg, all);
    }

    private static final String[] ENSEMBLE = {
        "server.1=zk1:2888:3888", "server.2=zk2:2888:3888", "server.3=zk3:2888:3888",
    };

    private static ConfigException error(ThrowingCallable load) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(load);
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    private static void assertError(ThrowingCallable load, Path file, String key, String problem) {
        ConfigException e = error(load);
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.problem()).contains(problem);
        assertThat(e.getMessage()).isEqualTo(file + ": " + (key == null ? "" : key + ": ") + e.problem());
    }

    private void assertCfgError(String key, String problem, String... lines) {
        Path file = cfg(lines);
        assertError(() -> ConfigLoader.load(file), file, key, problem);
    }

    @Test
    void aSuperDigestThatIsNoDigestId() {
        assertCfgError("DigestAuthenticationProvider.superDigest", "must be a digest id",
                "DigestAuthenticationProvider.superDigest=super-password");
    }

    // --- the file itself

    @Test
    void missingFile() {
        assertError(() -> ConfigLoader.load(cfg), cfg, null, "file does not exist");
        Path conf = dir.resolve("missing.conf");
        assertError(() -> ConfigLoader.load(conf), conf, null, "file does not exist");
    }

    @Test
    void unreadableFile() throws IOException {
        Files.createDirectories(cfg);
        assertError(() -> ConfigLoader.load(cfg), cfg, null, "cannot be read");
        Path conf = Files.createDirectories(dir.resolve("dir.conf"));
        assertError(() -> ConfigLoader.load(conf), conf, null, "cannot be read");
    }

    @Test
    void unsupportedExtension() {
        Path yaml = write(dir.resolve("zoo.yaml"), "tickTime: 2000");
        assertError(() -> ConfigLoader.load(yaml), yaml, null, "use .cfg (ZooKeeper's zoo.cfg format) or .conf (HOCON)");
    }

    @Test
    void hoconSyntaxErrorNamesTheLine() {
        Path conf = write(dir.resolve("node.conf"), "tickTime = 2000", "dataDir = \"" + data + "\"",
                "autopurge {", "  purgeInterval = ", "}");
        ConfigException e = error(() -> ConfigLoader.load(conf));
        assertThat(e.getMessage()).startsWith(conf + ": line 5: ");
        assertThat(e.key()).isNull();
    }

    @Test
    void unquotedServerLineInHoconIsASyntaxError() {
        Path conf = write(dir.resolve("node.conf"), "server.1 = 127.0.0.1:2888:3888");
        assertThat(error(() -> ConfigLoader.load(conf)).getMessage()).startsWith(conf + ": line 1: ");
    }

    @Test
    void unresolvedHoconSubstitution() {
        Path conf = write(dir.resolve("node.conf"), "dataDir = ${DATA_DIR_SURELY_UNSET_FOR_PADDOCK}");
        assertError(() -> ConfigLoader.load(conf), conf, null, "line 1: Could not resolve substitution");
    }

    // --- unknown keys

    @Test
    void unknownKeySuggestsTheNearestKnownKey() {
        assertCfgError("tickTme", "unknown key (ZooKeeper 3.9 does not know it either); did you mean tickTime?",
                "tickTme=2000");
    }

    @Test
    void wrongCaseSuggestsTheRightCase() {
        assertCfgError("ticktime", "did you mean tickTime?", "ticktime=2000");
        assertCfgError("autopurge.snapretaincount", "did you mean autopurge.snapRetainCount?",
                "autopurge.snapretaincount=3");
    }

    @Test
    void forgottenPrefixSuggestsTheFullKey() {
        assertCfgError("snapRetainCount", "did you mean autopurge.snapRetainCount?", "snapRetainCount=3");
    }

    @Test
    void unknownKeyFarFromAnythingHasNoSuggestion() {
        Path file = cfg("completelyMadeUpSetting=1");
        ConfigException e = error(() -> ConfigLoader.load(file));
        assertThat(e.getMessage()).isEqualTo(file + ": completelyMadeUpSetting: unknown key (ZooKeeper 3.9 does not know it either)");
    }

    @Test
    void myidKeyIsOnlyForHocon() {
        assertCfgError("myid", "only a .conf (HOCON) file may set myid", "myid=1");
    }

    @Test
    void twoSpellingsOfOneSetting() {
        assertCfgError("zookeeper.snapCount", "sets the same thing as snapCount; give it once",
                "snapCount=1000", "zookeeper.snapCount=2000");
    }

    // --- numbers and other values

    @Test
    void nonNumericNumber() {
        assertCfgError("tickTime", "'2s' is not a whole number", "tickTime=2s");
        assertCfgError("maxClientCnxns", "has no value", "maxClientCnxns=");
        assertCfgError("jute.maxbuffer", "'1M' is not a number", "jute.maxbuffer=1M");
    }

    /** Nodes exchange proposals in Artery frames of 2 × jute.maxbuffer + 64 KiB, and each link keeps frame-size buffers. */
    @Test
    void juteMaxBufferIsAtMost16MiB() {
        assertCfgError("jute.maxbuffer", "16777217 is above 16777216 (16 MiB), the most Paddock accepts: ",
                "jute.maxbuffer=16777217");
        assertCfgError("jute.maxbuffer", "2147483647 is above 16777216", "jute.maxbuffer=0x7fffffff");
        assertThat(ConfigLoader.load(cfg("jute.maxbuffer=0x1000000")).maxBuffer()).isEqualTo(16 << 20);
    }

    @Test
    void outOfRangeNumbers() {
        assertCfgError("tickTime", "0 is out of range; it must be at least 1", "tickTime=0");
        assertCfgError("initLimit", "-5 is out of range; it must be at least 1", "initLimit=-5");
        assertCfgError("maxClientCnxns", "-1 is out of range; it must be at least 0", "maxClientCnxns=-1");
        assertCfgError("admin.serverPort", "70000 is out of range; it must be between 1 and 65535",
                "admin.serverPort=70000");
        assertCfgError("admin.commandURL", "'commands' is not a URL path such as /commands: it must start with /,"
                + " and name at least one segment of letters, digits and ._~-", "admin.commandURL=commands");
        assertCfgError("admin.commandURL", "'/' is not a URL path such as /commands: it must start with /,"
                + " and name at least one segment of letters, digits and ._~-", "admin.commandURL=/");
        assertCfgError("jute.maxbuffer", "0 is out of range; it must be at least 1", "jute.maxbuffer=0");
        assertCfgError("globalOutstandingLimit", "0 is out of range; it must be at least 1", "globalOutstandingLimit=0");
        assertCfgError("snapCount", "99999999999 is out of range", "snapCount=99999999999");
        assertCfgError("syncLimit", "99999999999999999999 is out of range", "syncLimit=99999999999999999999");
        assertCfgError("minSessionTimeout", "must be a positive number of ms, or -1 for the default",
                "minSessionTimeout=0");
    }

    @Test
    void clientPortOutOfRange() {
        write(cfg, "dataDir=" + data, "clientPort=70000");
        assertError(() -> ConfigLoader.load(cfg), cfg, "clientPort", "70000 is out of range; it must be between 1 and 65535");
    }

    @Test
    void notABoolean() {
        assertCfgError("standaloneEnabled", "'maybe' is neither true nor false", "standaloneEnabled=maybe");
    }

    @Test
    void badPeerType() {
        assertCfgError("peerType", "'voter' is neither participant nor observer", "peerType=voter");
    }

    @Test
    void minSessionTimeoutAboveMax() {
        assertCfgError("minSessionTimeout", "minSessionTimeout (50000) is larger than maxSessionTimeout (40000)",
                "minSessionTimeout=50000");
        assertCfgError("maxSessionTimeout", "minSessionTimeout (4000) is larger than maxSessionTimeout (3000)",
                "maxSessionTimeout=3000");
    }

    // --- directories

    @Test
    void missingDataDir() {
        write(cfg, "tickTime=2000", "clientPort=2181");
        assertError(() -> ConfigLoader.load(cfg), cfg, "dataDir", "is required");
    }

    @Test
    void dataDirThatIsAFile() {
        write(data, "not a directory");
        assertCfgError("dataDir", data + " exists but is not a directory");
    }

    @Test
    void dataLogDirThatIsAFile() {
        Path log = write(dir.resolve("log"), "x");
        assertCfgError("dataLogDir", log + " exists but is not a directory", "dataLogDir=" + log);
    }

    // --- client port

    @Test
    void missingClientPort() {
        write(cfg, "dataDir=" + data, "tickTime=2000");
        assertError(() -> ConfigLoader.load(cfg), cfg, "clientPort",
                "is not set; set clientPort, or end this server's server.N line with ';<port>'");
    }

    @Test
    void missingClientPortInAnEnsemble() {
        dataDirWithMyid(data, "1");
        write(cfg, "dataDir=" + data, ENSEMBLE[0], ENSEMBLE[1], ENSEMBLE[2]);
        assertError(() -> ConfigLoader.load(cfg), cfg, "clientPort", "is not set");
    }

    @Test
    void clientPortAddressWithoutClientPort() {
        write(cfg, "dataDir=" + data, "clientPortAddress=127.0.0.1");
        assertError(() -> ConfigLoader.load(cfg), cfg, "clientPortAddress", "is set but clientPort is not");
    }

    @Test
    void clientPortDisagreeingWithTheServerLine() {
        dataDirWithMyid(data, "1");
        assertCfgError("server.1", "client address 0.0.0.0:2182 disagrees with clientPortAddress/clientPort (0.0.0.0:2181)",
                "server.1=zk1:2888:3888;2182", "server.2=zk2:2888:3888;2182");
    }

    // --- server lines

    @Test
    void malformedServerLines() {
        assertCfgError("server.1", "'zk1:2888' is not a server address; expected host:quorumPort:electionPort",
                "server.1=zk1:2888");
        assertCfgError("server.1", "role 'voter' is neither participant nor observer", "server.1=zk1:2888:3888:voter");
        assertCfgError("server.x", "'x' after 'server.' is not a server id", "server.x=zk1:2888:3888");
        assertCfgError("server.-1", "server id -1 is not between 1 and 255", "server.-1=zk1:2888:3888");
        assertCfgError("server.1", "quorum port 'abc' is not a number", "server.1=zk1:abc:3888");
        assertCfgError("server.1", "election port 0 is out of range (1-65535)", "server.1=zk1:2888:0");
        assertCfgError("server.1", "quorum port and election port must differ (both are 2888)",
                "server.1=zk1:2888:2888");
        assertCfgError("server.1", "'a:b:c' is not a client address", "server.1=zk1:2888:3888;a:b:c");
        assertCfgError("server.1", "client port 'x' is not a number", "server.1=zk1:2888:3888;x");
        assertCfgError("server.1", "more than one ';'", "server.1=zk1:2888:3888;2181;2182");
        assertCfgError("server.1", "no value", "server.1=");
        assertCfgError("server.1", "starts with '[' but has no ']'", "server.1=[::1:2888:3888");
        assertCfgError("server.1", "the host is empty", "server.1=:2888:3888");
        // Keys are checked in sorted order, so server.01 comes first.
        assertCfgError("server.1", "server id 1 is already given by server.01",
                "server.1=zk1:2888:3888", "server.01=zk2:2888:3888");
    }

    @Test
    void duplicateServerPorts() {
        assertCfgError("server.2", "election port ZK1:3888 is already the election port of server.1",
                "server.1=zk1:2888:3888", "server.2=ZK1:2889:3888", "server.3=zk3:2888:3888");
        assertCfgError("server.3", "client port 127.0.0.1:2183 is already the quorum port of server.1",
                "server.1=127.0.0.1:2183:3888", "server.2=127.0.0.1:2889:3889", "server.3=127.0.0.1:2890:3890;2183");
    }

    @Test
    void ownPortsMustDiffer() {
        assertCfgError("admin.serverPort", "admin port 2181 is also this node's client port (clientPort)",
                "admin.serverPort=2181");
        dataDirWithMyid(data, "1");
        assertCfgError("server.1", "quorum port 2181 is also this node's client port (clientPort)",
                "server.1=localhost:2181:3888", "server.2=zk2:2888:3888", "server.3=zk3:2888:3888");
    }

    @Test
    void observersWithoutParticipants() {
        assertCfgError("server.1", "all servers are observers",
                "server.1=zk1:2888:3888:observer", "server.2=zk2:2888:3888:observer");
    }

    @Test
    void observersWithOneParticipantNeedStandaloneDisabled() {
        assertCfgError("standaloneEnabled", "observers need an ensemble",
                "server.1=zk1:2888:3888", "server.2=zk2:2888:3888:observer");
    }

    @Test
    void standaloneDisabledWithoutServers() {
        assertCfgError("standaloneEnabled", "false needs at least one participant server.N line",
                "standaloneEnabled=false");
    }

    @Test
    void serverLinesMustBeInTheDynamicFileWhenOneIsNamed() {
        Path dynamic = write(dir.resolve("zoo.cfg.dynamic"), "server.1=zk1:2888:3888");
        assertCfgError("server.1", "must be in the dynamic config file",
                "dynamicConfigFile=" + dynamic, "server.1=zk1:2888:3888");
    }

    @Test
    void missingDynamicFile() {
        Path dynamic = dir.resolve("zoo.cfg.dynamic.missing");
        assertCfgError("dynamicConfigFile", dynamic + ": file does not exist", "dynamicConfigFile=" + dynamic);
    }

    @Test
    void strangerInTheDynamicFile() {
        Path dynamic = write(dir.resolve("zoo.cfg.dynamic"), "server.1=zk1:2888:3888", "tickTime=2000");
        Path file = cfg("dynamicConfigFile=" + dynamic);
        assertError(() -> ConfigLoader.load(file), dynamic, "tickTime", "does not belong in a dynamic config file");
    }

    @Test
    void malformedServerLineInTheDynamicFileNamesThatFile() {
        Path dynamic = write(dir.resolve("zoo.cfg.dynamic"), "server.1=zk1:2888");
        Path file = cfg("dynamicConfigFile=" + dynamic);
        assertError(() -> ConfigLoader.load(file), dynamic, "server.1", "is not a server address");
    }

    /** Session ids carry the server id in their top byte: a larger id would collide with another server's sessions. */
    @Test
    void serverIdsAreOneTo255() {
        assertCfgError("server.256", "server id 256 is not between 1 and 255 (session ids carry it in their top byte)",
                "server.2=zk2:2888:3888", "server.256=zk1:2888:3888", "server.3=zk3:2888:3888");
        assertCfgError("server.0", "server id 0 is not between 1 and 255",
                "server.0=zk1:2888:3888", "server.2=zk2:2888:3888", "server.3=zk3:2888:3888");
        dataDirWithMyid(data, "255");
        assertThat(ConfigLoader.load(cfg("server.255=zk1:2888:3888", "server.2=zk2:2888:3888", "server.3=zk3:2888:3888"))
                .serverId()).isEqualTo(255);
    }

    @Test
    void myidIsOneTo255EvenStandalone() {
        dataDirWithMyid(data, "256");
        assertCfgError("myid", data.resolve("myid") + " holds '256', which is not a server id (a whole number from 1 to 255)");
        dataDirWithMyid(data, "0");
        assertCfgError("myid", data.resolve("myid") + " holds '0', which is not a server id");
        Path conf = write(dir.resolve("node.conf"), "myid = 1000", "dataDir = \"" + dir.resolve("other") + "\"",
                "clientPort = 2181");
        assertError(() -> ConfigLoader.load(conf), conf, "myid", "'1000', which is not a server id");
    }

    // --- myid

    @Test
    void missingMyidFile() {
        Path myid = data.resolve("myid");
        assertCfgError("myid", myid + " is missing; it must hold this server's id (one of 1, 2, 3)", ENSEMBLE);
    }

    @Test
    void unreadableMyidFile() throws IOException {
        Path myid = Files.createDirectories(data.resolve("myid"));
        assertCfgError("myid", myid + " cannot be read", ENSEMBLE);
    }

    @Test
    void nonNumericMyidFile() {
        dataDirWithMyid(data, "one");
        assertCfgError("myid", data.resolve("myid") + " holds 'one', which is not a server id", ENSEMBLE);
    }

    @Test
    void emptyMyidFile() {
        dataDirWithMyid(data, "");
        assertCfgError("myid", data.resolve("myid") + " holds '', which is not a server id", ENSEMBLE);
    }

    @Test
    void myidWithoutAServerLine() {
        dataDirWithMyid(data, "4");
        assertCfgError("myid", data.resolve("myid") + " says 4, but there is no server.4 line (the servers are 1, 2, 3)",
                ENSEMBLE);
    }

    @Test
    void badMyidFileIsAnErrorEvenStandaloneAsInZooKeeper() {
        dataDirWithMyid(data, "x");
        assertCfgError("myid", "holds 'x', which is not a server id");
    }

    @Test
    void ttlNodesNeedSmallServerIds() {
        dataDirWithMyid(data, "255");
        assertCfgError("extendedTypesEnabled", "TTL nodes need server ids of 254 or less, and this server's id is 255",
                "extendedTypesEnabled=true", "server.255=zk1:2888:3888", "server.2=zk2:2888:3888",
                "server.3=zk3:2888:3888");
    }

    @Test
    void badHoconMyid() {
        Path conf = write(dir.resolve("node.conf"), "myid = two", "dataDir = \"" + data + "\"",
                "server.1 = \"a:2888:3888;2181\"", "server.2 = \"b:2888:3888;2181\"");
        assertError(() -> ConfigLoader.load(conf), conf, "myid", "'two', which is not a server id");
    }

    @Test
    void protectionPaddockCannotGiveIsRefusedNotIgnored() {
        assertCfgError("sslQuorum", "asks for TLS between servers", "sslQuorum=true");
        assertCfgError("quorum.auth.serverRequireSasl", "asks for SASL", "quorum.auth.serverRequireSasl=true");
        assertCfgError("zookeeper.sessionRequireClientSASLAuth", "every client authenticates",
                "zookeeper.sessionRequireClientSASLAuth=true");
        assertCfgError("enforce.auth.enabled", "every client authenticates", "enforce.auth.enabled=true");
        assertCfgError("zookeeper.db.autocreate", "empty database", "zookeeper.db.autocreate=false");
    }

    @Test
    void theSameKeysWithHarmlessValuesOnlyWarn() {
        NodeConfig c = ConfigLoader.load(cfg("sslQuorum=false", "enforce.auth.enabled=false", "zookeeper.db.autocreate=true"));
        assertThat(c.warnings()).hasSize(3);
    }

    @Test
    void datadirAutocreateFalseRefusesAMissingDataDir() {
        assertCfgError("zookeeper.datadir.autocreate", "does not exist", "zookeeper.datadir.autocreate=false");
        assertThat(data.toFile().mkdirs()).isTrue();
        assertThat(ConfigLoader.load(cfg("zookeeper.datadir.autocreate=false")).warnings()).isEmpty();
    }
}
