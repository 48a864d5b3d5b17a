package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.config.ConfigLoader;
import io.paddock.node.LoopbackPorts;
import io.paddock.node.server.PaddockServer;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.RawClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four-letter words on the client port: the answers monitoring scripts parse, the whitelist
 * (Paddock's default: ruok, srvr, stat, mntr, isro), and what a word outside it or an unknown
 * word gets. {@link ZooKeeperParityTest} compares the shapes with Apache ZooKeeper's own.
 */
class FourLetterWordsTest {
    static final Set<String> DEFAULT_WHITELIST = Set.of("ruok", "srvr", "stat", "mntr", "isro");
    static final List<String> ALL_WORDS = List.of("conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "hash",
        "isro", "mntr", "ruok", "srst", "srvr", "stat", "stmk", "wchc", "wchp", "wchs");

    @TempDir
    static Path dir;
    /** 4lw.commands.whitelist=* */
    static InProcessServer all;
    /** no 4lw.commands.whitelist key */
    static PaddockServer defaults;
    static int defaultsPort;
    static HealthySession bystander;

    @BeforeAll
    static void start() throws Exception {
        all = InProcessServer.start(dir.resolve("all"));
        bystander = HealthySession.connect(all.connectString());
        defaultsPort = LoopbackPorts.free();
        Path cfg = dir.resolve("defaults.cfg");
        Files.writeString(cfg, "tickTime=500\ndataDir=" + dir.resolve("defaults-data") + "\nclientPort=" + defaultsPort
            + "\nclientPortAddress=127.0.0.1\n");
        defaults = PaddockServer.start(ConfigLoader.load(cfg));
    }

    @AfterAll
    static void stop() throws Exception {
        if (bystander != null) {
            bystander.close();
        }
        if (defaults != null) {
            defaults.close();
        }
        all.close();
    }

    @AfterEach
    void bystanderNoticedNothing(TestInfo test) throws Exception {
        bystander.assertHealthy(test.getDisplayName());
    }

    private static String ask(String word) {
        return FourLetter.ask(all.port(), word);
    }

    @Test
    void ruokIsroAndTheDefaultWhitelist() {
        assertThat(ask("ruok")).isEqualTo("imok");
        assertThat(ask("isro")).isEqualTo("rw");
        for (String word : ALL_WORDS) {
            String answer = FourLetter.ask(defaultsPort, word);
            String refused = word + " is not executed because it is not in the whitelist.\n";
            if (DEFAULT_WHITELIST.contains(word)) {
                assertThat(answer).as("%s with the default whitelist", word).isNotEqualTo(refused).isNotEmpty();
            } else {
                assertThat(answer).as("%s with the default whitelist", word).isEqualTo(refused);
            }
        }
        assertThat(FourLetter.ask(defaultsPort, "ruok")).isEqualTo("imok");
    }

    @Test
    void aWordOutsideTheWhitelistIsRefusedAndTheConnectionClosed() throws Exception {
        try (RawClient c = RawClient.open(defaultsPort)) {
            c.sendRaw("conf".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(c.readUntilClosed(), StandardCharsets.UTF_8))
                .isEqualTo("conf is not executed because it is not in the whitelist.\n");
        }
    }

    @Test
    void anUnknownWordIsReadAsALengthAndClosedWithoutAReply() throws Exception {
        for (String word : List.of("abcd", "kill", "HEAD", "Ruok", "zzzz")) {
            for (int port : new int[] {all.port(), defaultsPort}) {
                try (RawClient c = RawClient.open(port)) {
                    c.sendRaw(word.getBytes(StandardCharsets.US_ASCII));
                    assertThat(c.readUntilClosed()).as("answer to %s", word).isEmpty();
                }
            }
        }
    }

    @Test
    void aWordFromNetcatThatClosesItsSendingSideIsStillAnswered() throws Exception {
        // echo ruok | nc host port: the word, then FIN, then the answer is read
        for (String word : List.of("ruok", "srvr")) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", all.port()), 5000);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write((word + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).as("%s after a half-close", word).isNotEmpty();
                if (word.equals("ruok")) {
                    assertThat(answer).isEqualTo("imok");
                }
            }
        }
    }

    @Test
    void srvrStatAndMntrReportModeZxidAndCounts() throws Exception {
        Stat stat = new Stat();
        bystander.zk().create("/4lw-zxid", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, stat);
        String zxid = "0x" + Long.toHexString(stat.getMzxid());

        Map<String, String> srvr = FourLetter.srvr(all.port());
        assertThat(srvr.keySet()).containsExactly("Zookeeper version", "Latency min/avg/max", "Received", "Sent",
            "Connections", "Outstanding", "Zxid", "Mode", "Node count");
        assertThat(srvr.get("Mode")).isEqualTo("standalone");
        assertThat(srvr.get("Zxid")).isEqualTo(zxid);
        assertThat(srvr.get("Latency min/avg/max")).matches("\\d+/\\d+\\.\\d+/\\d+");
        assertThat(Long.parseLong(srvr.get("Received"))).isPositive();
        Await.until(Duration.ofSeconds(30), "srvr to count the bystander and itself",
            () -> FourLetter.srvr(all.port()).get("Connections").equals("2"));
        assertThat(Integer.parseInt(srvr.get("Node count"))).isGreaterThanOrEqualTo(5);

        String stat2 = ask("stat");
        assertThat(stat2).startsWith("Zookeeper version: ").contains("\nClients:\n")
            .containsPattern(" /127\\.0\\.0\\.1:\\d+\\[\\d\\]\\(queued=\\d+,recved=\\d+,sent=\\d+\\)\n")
            .contains("\nMode: standalone\n").contains("\nZxid: " + zxid + "\n");

        Map<String, String> mntr = FourLetter.mntr(all.port());
        assertThat(mntr).containsEntry("zk_server_state", "standalone").containsEntry("zk_last_zxid", zxid)
            .containsEntry("zk_version", srvr.get("Zookeeper version"))
            .containsKeys("zk_avg_latency", "zk_max_latency", "zk_min_latency", "zk_packets_received", "zk_packets_sent",
                "zk_num_alive_connections", "zk_outstanding_requests", "zk_znode_count", "zk_watch_count",
                "zk_ephemerals_count", "zk_approximate_data_size", "zk_global_sessions", "zk_uptime",
                "zk_open_file_descriptor_count", "zk_max_file_descriptor_count");
        assertThat(mntr.get("zk_znode_count")).isEqualTo(srvr.get("Node count"));
        assertThat(Integer.parseInt(mntr.get("zk_global_sessions"))).isEqualTo(1);
        assertThat(mntr.keySet()).first().isEqualTo("zk_version");
    }

    @Test
    void outstandingRequestsAreZeroWhenNothingIsInFlight() throws Exception {
        for (int i = 0; i < 20; i++) {
            bystander.zk().exists("/", false);
            bystander.zk().getData("/healthy", false, null);
        }
        bystander.write("one write");
        // the bystander waits for each reply: nothing is in flight now
        assertThat(FourLetter.srvr(all.port()).get("Outstanding")).isEqualTo("0");
        assertThat(FourLetter.mntr(all.port()).get("zk_outstanding_requests")).isEqualTo("0");
    }

    @Test
    void theVersionLineCarriesTheRealBuildTime() {
        String version = FourLetter.srvr(all.port()).get("Zookeeper version");
        Matcher m = Pattern.compile("3\\.9\\.5-paddock-\\S+, built on (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}) UTC").matcher(version);
        assertThat(m.matches()).as("version line %s", version).isTrue();
        LocalDateTime built = LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        assertThat(built).as("build time").isBefore(now.plusMinutes(1)).isAfter(LocalDateTime.of(2024, 1, 1, 0, 0));
        assertThat(ask("envi")).startsWith("Environment:\nzookeeper.version=" + version + "\n");
    }

    @Test
    void confListsTheSessionTimeoutBoundsAndTheDataDirectories() {
        Map<String, String> conf = FourLetter.parse(ask("conf"), "=");
        assertThat(conf).containsEntry("clientPort", Integer.toString(all.port()))
            .containsEntry("tickTime", "500")
            .containsEntry("minSessionTimeout", "1000")
            .containsEntry("maxSessionTimeout", "10000")
            .containsEntry("maxClientCnxns", "60")
            .containsEntry("dataDir", dir.resolve("all").resolve("data").toAbsolutePath().toString())
            .containsKeys("dataDirSize", "dataLogDir", "dataLogSize", "serverId");
        assertThat(Long.parseLong(conf.get("dataDirSize"))).isPositive();
    }

    @Test
    void dirsReportsTheRealSizesOfTheDataDirectories() throws Exception {
        Path data = dir.resolve("all").resolve("data");
        // as ZooKeeper counts its version-2 directory only: the snapshots and the journal, not a log file beside them
        Files.createDirectories(data.resolve("logs"));
        Files.write(data.resolve("logs").resolve("paddock.log"), new byte[12345]);
        Await.until(Duration.ofSeconds(30), "dirs to report the size of " + data, () -> {
            long stores = sizeOf(data.resolve("snapshots")) + sizeOf(data.resolve("journal"));
            return ask("dirs").equals("datadir_size: " + stores + "\nlogdir_size: " + stores + "\n");
        });
        assertThat(sizeOf(data.resolve("journal"))).isPositive();
    }

    @Test
    void watchesAreListedByConnectionAndByPath() throws Exception {
        bystander.zk().create("/watched", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        bystander.zk().getData("/watched", e -> { }, null);
        bystander.zk().getChildren("/watched", e -> { });
        String sid = "0x" + Long.toHexString(bystander.sessionId());
        // as in ZooKeeper, wchs, wchc and wchp describe the data watches (getData, exists, addWatch); mntr counts all
        assertThat(ask("wchs")).isEqualTo("1 connections watching 1 paths\nTotal watches:1\n");
        assertThat(ask("wchc")).isEqualTo(sid + "\n\t/watched\n\n");
        assertThat(ask("wchp")).isEqualTo("/watched\n\t" + sid + "\n\n");
        assertThat(FourLetter.mntr(all.port()).get("zk_watch_count")).isEqualTo("2");
        bystander.zk().setData("/watched", new byte[1], -1); // fires the data watch
        bystander.zk().create("/watched/child", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        Await.until(Duration.ofSeconds(30), "the fired watches to be gone",
            () -> ask("wchp").equals("\n") && FourLetter.mntr(all.port()).get("zk_watch_count").equals("0"));
    }

    @Test
    void consListsTheBystandersSessionWithItsLastRequest() throws Exception {
        String sid = Long.toHexString(bystander.sessionId());
        bystander.zk().exists("/", false);
        // ZooKeeper's full line; the bystander's last request is its exists, or a ping since
        Matcher m = Pattern.compile(" /127\\.0\\.0\\.1:\\d+\\[\\d\\]\\(queued=\\d+,recved=(\\d+),sent=\\d+,sid=0x" + sid
            + ",lop=(EXIS|PING),est=\\d+,to=10000,lcxid=0x([0-9a-f]+),lzxid=0x[0-9a-f]+,lresp=\\d+,llat=\\d+,minlat=\\d+,"
            + "avglat=\\d+,maxlat=\\d+\\)\n").matcher(ask("cons"));
        assertThat(m.find()).as("cons lists the bystander").isTrue();
        assertThat(Long.parseLong(m.group(1))).isPositive();
    }

    @Test
    void crstResetsEveryConnectionsCounters() throws Exception {
        bystander.zk().exists("/", false);
        String sid = Long.toHexString(bystander.sessionId());
        assertThat(ask("crst")).isEqualTo("Connection stats reset.\n");
        // nothing counted since, unless a ping came meanwhile
        assertThat(ask("cons")).containsPattern("sid=0x" + sid + ",lop=(NA|PING),est=\\d+,to=10000,lzxid=0x[0-9a-f]+,");
    }

    @Test
    void srstResetsTheServerStatistics() {
        ask("srvr");
        assertThat(Long.parseLong(FourLetter.srvr(all.port()).get("Received"))).isPositive();
        assertThat(ask("srst")).isEqualTo("Server stats reset.\n");
        // srvr's own word was received since, and perhaps a ping of the bystander
        assertThat(Long.parseLong(FourLetter.srvr(all.port()).get("Received"))).isBetween(1L, 3L);
    }

    @Test
    void wordsWithoutASubjectInPaddockSaySo() {
        for (String word : List.of("gtmk", "stmk", "hash")) {
            assertThat(ask(word)).as(word).startsWith(word + " is not supported by Paddock: ").endsWith(".\n");
        }
    }

    @Test
    void dumpListsEphemeralsBySession() throws Exception {
        bystander.zk().create("/dump-eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        String dump = ask("dump");
        assertThat(dump).startsWith("SessionTracker dump:\n")
            .contains("ephemeral nodes dump:\n")
            .contains("0x" + Long.toHexString(bystander.sessionId()) + ":\n\t/dump-eph\n");
        bystander.zk().delete("/dump-eph", -1);
    }

    private static long sizeOf(Path d) throws Exception {
        try (Stream<Path> files = Files.walk(d)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
