package io.paddock.tests.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.config.ConfigLoader;
import io.paddock.node.LoopbackPorts;
import io.paddock.node.server.PaddockServer;
import io.paddock.node.server.StartupException;
import io.paddock.node.tree.DataTree;
import io.paddock.protocol.txn.EphemeralType;
import io.paddock.tests.robustness.ZooKeeperReference;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ServerConfigs;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.ZkClients;
import io.paddock.zkimport.ZooKeeperImport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.StatsTrack;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.cli.SetQuotaCommand;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/paddock import-zookeeper on files that Apache ZooKeeper 3.9.5 wrote: a real ZooKeeper, in
 * this JVM on the dataDir of a zoo.cfg, is given nested, sequential, ACL'd, TTL and container
 * znodes, a quota and an open session with ephemerals, and stopped with that session still open.
 * Paddock refuses to start on those files; the import writes them into its store; Paddock then
 * shows the official client the same data, stats and ACLs, keeps the session and its ephemerals,
 * and numbers the next sequential znode where ZooKeeper would have. In an ensemble, one node is
 * imported and the others get the data by SNAP.
 */
class ZooKeeperImportTest {
    private static final String EXTENDED_TYPES = "zookeeper.extendedTypesEnabled";
    /** Paddock's test tick; the imported session keeps the 30 s it had in ZooKeeper (whose tick is 2 s). */
    private static final Map<String, String> KEYS = Map.of("extendedTypesEnabled", "true");

    @TempDir
    Path dir;

    /**
     * What ZooKeeper held when it stopped: every znode with its stat, their ACLs, the open session,
     * the last zxid, and the name ZooKeeper gave the next sequential child of /app/twin, whose
     * history is /app/seq's.
     */
    record ZooKeeperData(SortedMap<String, TreeDump.Node> dump, Map<String, List<ACL>> acls, long sessionId, long lastZxid,
                         String nextInTwin) {
    }

    @Test
    void aStoppedZooKeepersDataIsImportedWithItsStatsSessionsAndSequenceCounters() throws Exception {
        int clientPort = LoopbackPorts.free();
        Path cfg = ServerConfigs.standalone(dir, clientPort, KEYS);
        ZooKeeperData before = zooKeeperData(dir.resolve("data"));

        // the refusal: ZooKeeper's files and no Paddock data
        assertThatThrownBy(() -> PaddockServer.start(ConfigLoader.load(cfg)))
            .isInstanceOf(StartupException.class)
            .hasMessageContaining(dir.resolve("data").resolve("version-2").toString())
            .hasMessageContaining("bin/paddock import-zookeeper " + cfg);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // something still serves on the client port: ZooKeeper, most likely, whose files may still change
        try (ServerSocket stillRunning = new ServerSocket(clientPort, 50, InetAddress.getLoopbackAddress())) {
            assertThat(ZooKeeperImport.run(new String[] {cfg.toString()}, print(out), print(err))).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("stop the ZooKeeper server first");
        }
        err.reset();
        int code = ZooKeeperImport.run(new String[] {cfg.toString()}, print(out), print(err));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
            .contains("imported " + before.dump().size() + " znodes, 1 sessions (2 ephemeral znodes), last zxid 0x"
                + Long.toHexString(before.lastZxid()));
        // a second import would overwrite: refused
        assertThat(ZooKeeperImport.run(new String[] {cfg.toString()}, print(out), print(err))).isEqualTo(1);

        try (InProcessServer paddock = InProcessServer.startOn(cfg)) {
            try (ZooKeeper zk = ZkClients.connect(paddock.connectString())) {
                assertSameData(zk, before);
                DataTree tree = paddock.server().context().tree();
                assertThat(tree.sessions()).containsEntry(before.sessionId(), 30_000);
                // clients are shown 0 as the owner of both kinds
                assertThat(EphemeralType.isTtl(tree.getNode("/app/ttl").ephemeralOwner())).isTrue();
                assertThat(EphemeralType.isContainer(tree.getNode("/app/container").ephemeralOwner())).isTrue();
                assertSequenceGoesOn(zk, before);
            }
            // the imported store is the node's own: it recovers it, and what was written since, again
            paddock.restart();
            try (ZooKeeper zk = ZkClients.connect(paddock.connectString())) {
                assertThat(zk.exists("/app/seq" + before.nextInTwin(), false)).isNotNull();
                assertThat(zk.exists("/app/live/e1", false).getEphemeralOwner()).isEqualTo(before.sessionId());
            }
        }
    }

    /** docs/migration.md's steps: import on one node, start it first, then the others, which get the data by SNAP. */
    /** Files that are not a ZooKeeper snapshot get one line naming the problem, not a stack trace, and nothing is written. */
    @Test
    void aBrokenSnapshotIsRefusedWithAClearError() throws Exception {
        Path cfg = ServerConfigs.standalone(dir, LoopbackPorts.free(), KEYS);
        Path versionDir = Files.createDirectories(dir.resolve("data").resolve("version-2"));
        Files.write(versionDir.resolve("snapshot.0"), new byte[] {1, 2, 3});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(ZooKeeperImport.run(new String[] {cfg.toString()}, print(out), print(err))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("paddock: ").contains(versionDir.toString())
            .doesNotContain("Exception");
        assertThat(dir.resolve("data").resolve("journal")).doesNotExist();
    }

    @Test
    void anEnsembleImportsOnOneNodeAndTheOthersSyncFromIt() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.prepare(dir, 3, KEYS)) {
            ZooKeeperData before = zooKeeperData(ConfigLoader.load(ensemble.config(1)).dataDir());
            assertThat(ZooKeeperImport.importInto(ConfigLoader.load(ensemble.config(1))).lastZxid()).isEqualTo(before.lastZxid());
            for (int id = 1; id <= 3; id++) {
                ensemble.startNode(id);
            }
            assertThat(ensemble.awaitServing(Duration.ofSeconds(30))).isEqualTo(1);
            for (int id = 1; id <= 3; id++) {
                try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(id))) {
                    ZkClients.sync(zk, "/");
                    assertSameData(zk, before);
                }
            }
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(3))) {
                assertSequenceGoesOn(zk, before);
            }
        }
    }

    /** Every znode, stat and ACL as ZooKeeper had them (but /zookeeper/config, which each server writes for itself when it starts). */
    private static void assertSameData(ZooKeeper zk, ZooKeeperData before) throws Exception {
        SortedMap<String, TreeDump.Node> after = TreeDump.of(zk, "/");
        after.remove("/zookeeper/config");
        SortedMap<String, TreeDump.Node> expected = new java.util.TreeMap<>(before.dump());
        expected.remove("/zookeeper/config");
        assertThat(after).isEqualTo(expected);
        assertThat(acls(zk, after.keySet())).isEqualTo(only(before.acls(), after.keySet()));
        assertThat(after.get("/app/live/e1").stat().getEphemeralOwner()).isEqualTo(before.sessionId());
    }

    private static void assertSequenceGoesOn(ZooKeeper zk, ZooKeeperData before) throws Exception {
        assertThat(zk.create("/app/seq/n-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))
            .isEqualTo("/app/seq" + before.nextInTwin());
    }

    /** Runs ZooKeeper 3.9.5 on {@code dataDir}, gives it the data, and stops it with a session still open. */
    private static ZooKeeperData zooKeeperData(Path dataDir) throws Exception {
        ZooKeeper live = null;
        System.setProperty(EXTENDED_TYPES, "true");
        try (ZooKeeperReference zookeeper = ZooKeeperReference.startIn(dataDir, null, 2000, 60)) {
            live = ZkClients.connect(zookeeper.connectString(), 30_000, e -> { });
            String nextInTwin;
            SortedMap<String, TreeDump.Node> dump;
            Map<String, List<ACL>> acls;
            try (ZooKeeper zk = ZkClients.connect(zookeeper.connectString())) {
                nextInTwin = give(zk, live);
                dump = TreeDump.of(zk, "/");
                acls = acls(zk, dump.keySet());
            }
            assertThat(dump).containsKeys("/app/a/b/c", "/app/container/child", "/zookeeper/quota/app/seq/zookeeper_limits",
                "/zookeeper/quota/app/seq/zookeeper_stats", "/app/ttl", "/app/live/e1");
            // after the other client's session closed: a txn too
            return new ZooKeeperData(dump, acls, live.getSessionId(), zookeeper.lastZxid(), nextInTwin);
        } finally {
            System.clearProperty(EXTENDED_TYPES);
            if (live != null) {
                // the server is gone: its close never reaches it, and the session stays open in its files
                live.close(1000);
            }
        }
    }

    /**
     * The data: nested, sequential, ACL'd, TTL and container znodes, a quota, and {@code live}'s
     * ephemerals. Returns the name ZooKeeper gave the next sequential child of /app/twin.
     */
    private static String give(ZooKeeper zk, ZooKeeper live) throws Exception {
        List<ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
        zk.create("/app", "root".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
        zk.create("/app/a", "a".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
        zk.create("/app/a/b", "b".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
        zk.create("/app/a/b/c", null, open, CreateMode.PERSISTENT);
        zk.setData("/app/a/b", "b2".getBytes(StandardCharsets.UTF_8), 0);
        // /app/seq and /app/twin go through the same history; ZooKeeper then names one more child of the twin
        for (String parent : List.of("/app/seq", "/app/twin")) {
            zk.create(parent, null, open, CreateMode.PERSISTENT);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                names.add(zk.create(parent + "/n-", new byte[] {(byte) i}, open, CreateMode.PERSISTENT_SEQUENTIAL));
            }
            zk.delete(names.get(1), 0);
        }
        List<ACL> alice = new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL,
            new Id("digest", DigestAuthenticationProvider.generateDigest("alice:secret")))));
        alice.add(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        zk.create("/app/acl", "guarded".getBytes(StandardCharsets.UTF_8), alice, CreateMode.PERSISTENT);
        zk.setACL("/app/a", ZooDefs.Ids.READ_ACL_UNSAFE, 0);
        zk.create("/app/ttl", "ttl".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 3_600_000);
        zk.create("/app/container", null, open, CreateMode.CONTAINER);
        zk.create("/app/container/child", null, open, CreateMode.PERSISTENT);
        SetQuotaCommand.createQuota(zk, "/app/seq", new StatsTrack("count=10,bytes=1000"));
        zk.create("/app/live", null, open, CreateMode.PERSISTENT);
        live.create("/app/live/e1", "mine".getBytes(StandardCharsets.UTF_8), open, CreateMode.EPHEMERAL);
        live.create("/app/live/seq-", null, open, CreateMode.EPHEMERAL_SEQUENTIAL);
        zk.delete(live.create("/app/live/seq-", null, open, CreateMode.PERSISTENT_SEQUENTIAL), 0);
        ZkClients.sync(live, "/");
        return zk.create("/app/twin/n-", null, open, CreateMode.PERSISTENT_SEQUENTIAL).substring("/app/twin".length());
    }

    private static Map<String, List<ACL>> acls(ZooKeeper zk, Iterable<String> paths) throws Exception {
        Map<String, List<ACL>> out = new HashMap<>();
        for (String path : paths) {
            out.put(path, zk.getACL(path, new Stat()));
        }
        return out;
    }

    private static Map<String, List<ACL>> only(Map<String, List<ACL>> all, Iterable<String> paths) {
        Map<String, List<ACL>> out = new HashMap<>();
        paths.forEach(p -> out.put(p, all.get(p)));
        return out;
    }

    private static PrintStream print(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }
}
