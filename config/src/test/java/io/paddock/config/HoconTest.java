package io.paddock.config;

import static io.paddock.config.ConfigFiles.dataDirWithMyid;
import static io.paddock.config.ConfigFiles.withSource;
import static io.paddock.config.ConfigFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HoconTest {
    @TempDir
    Path dir;

    @Test
    void hoconGivesTheSameConfigAsTheEquivalentZooCfg() {
        Path data = dataDirWithMyid(dir.resolve("data"), "2");
        Path log = dir.resolve("txnlog");
        Path cfg = write(dir.resolve("zoo.cfg"), RealisticConfig.zooCfg(data, log));
        Path conf = write(dir.resolve("paddock.conf"), RealisticConfig.hocon(data, log));

        NodeConfig fromCfg = ConfigLoader.load(cfg);
        NodeConfig fromConf = ConfigLoader.load(conf);

        assertThat(fromConf.sourceFile()).isEqualTo(conf.toAbsolutePath());
        assertThat(withSource(fromConf, fromCfg.sourceFile())).isEqualTo(fromCfg);
        assertThat(fromConf.warnings()).isEqualTo(fromCfg.warnings()).hasSize(3);
    }

    @Test
    void minimalHoconWithoutWrapper() {
        Path conf = write(dir.resolve("node.conf"),
                "tickTime = 2000", "dataDir = \"" + dir.resolve("data") + "\"", "clientPort = 2181");
        Path cfg = write(dir.resolve("zoo.cfg"),
                "tickTime=2000", "dataDir=" + dir.resolve("data"), "clientPort=2181");

        assertThat(withSource(ConfigLoader.load(conf), cfg.toAbsolutePath())).isEqualTo(ConfigLoader.load(cfg));
    }

    @Test
    void nestedAndQuotedDottedKeysAreTheSameKey() {
        Path nested = write(dir.resolve("a.conf"), "dataDir = \"" + dir + "\"", "clientPort = 2181",
                "autopurge { snapRetainCount = 7 }");
        Path quoted = write(dir.resolve("b.conf"), "dataDir = \"" + dir + "\"", "clientPort = 2181",
                "\"autopurge.snapRetainCount\" = 7");
        Path path = write(dir.resolve("c.conf"), "dataDir = \"" + dir + "\"", "clientPort = 2181",
                "autopurge.snapRetainCount = 7");

        assertThat(ConfigLoader.load(nested).snapRetainCount()).isEqualTo(7);
        assertThat(ConfigLoader.load(quoted).snapRetainCount()).isEqualTo(7);
        assertThat(ConfigLoader.load(path).snapRetainCount()).isEqualTo(7);
    }

    @Test
    void givingAKeyBothNestedAndQuotedIsAnError() {
        Path conf = write(dir.resolve("twice.conf"), "dataDir = \"" + dir + "\"", "clientPort = 2181",
                "autopurge { snapRetainCount = 7 }", "\"autopurge.snapRetainCount\" = 8");

        assertThatThrownBy(() -> ConfigLoader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf + ": autopurge.snapRetainCount: given twice (once as a quoted dotted key, once nested)");
    }

    @Test
    void myidMayBeGivenInHoconInsteadOfAFile() {
        Path conf = write(dir.resolve("node.conf"), "paddock {", "  myid = 3",
                "  dataDir = \"" + dir.resolve("empty") + "\"",
                "  server.1 = \"127.0.0.1:2888:3888;2181\"",
                "  server.2 = \"127.0.0.1:2889:3889;2182\"",
                "  server.3 = \"127.0.0.1:2890:3890;2183\"", "}");

        NodeConfig config = ConfigLoader.load(conf);

        assertThat(config.serverId()).isEqualTo(3);
        assertThat(config.clientAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 2183));
    }

    @Test
    void myidKeyThatContradictsTheMyidFileIsAnError() {
        Path data = dataDirWithMyid(dir.resolve("data"), "2");
        Path conf = write(dir.resolve("node.conf"), "myid = 3", "dataDir = \"" + data + "\"",
                "server.1 = \"a:2888:3888;2181\"", "server.2 = \"b:2888:3888;2181\"", "server.3 = \"c:2888:3888;2181\"");

        assertThatThrownBy(() -> ConfigLoader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf + ": myid: is 3 but " + data.resolve("myid") + " says 2; remove one");
    }

    @Test
    void pekkoBlockMaySitBesideTheWrapper() {
        Path conf = write(dir.resolve("node.conf"),
                "pekko { loglevel = INFO }",
                "paddock { dataDir = \"" + dir + "\", clientPort = 2181 }");

        assertThat(ConfigLoader.load(conf).clientAddress().getPort()).isEqualTo(2181);
    }

    @Test
    void otherKeysBesideTheWrapperAreAnError() {
        Path conf = write(dir.resolve("node.conf"),
                "tickTime = 2000",
                "paddock { dataDir = \"" + dir + "\", clientPort = 2181 }");

        assertThatThrownBy(() -> ConfigLoader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(conf + ": tickTime: outside paddock { }");
    }

    @Test
    void helperKeysForSubstitutionsAreStillUnknownKeys() {
        Path conf = write(dir.resolve("node.conf"),
                "base = 2100", "dataDir = \"" + dir + "\"", "clientPort = ${base}", "admin.serverPort = 8081");

        assertThatThrownBy(() -> ConfigLoader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf + ": base: unknown key (ZooKeeper 3.9 does not know it either)");
    }

    @Test
    void optionalEnvironmentSubstitutionFallsBackToTheFileValue() {
        Path conf = write(dir.resolve("node.conf"), "dataDir = \"" + dir + "\"", "clientPort = 2181",
                "clientPort = ${?PADDOCK_TEST_SURELY_UNSET_VARIABLE}");

        assertThat(ConfigLoader.load(conf).clientAddress().getPort()).isEqualTo(2181);
    }
}
