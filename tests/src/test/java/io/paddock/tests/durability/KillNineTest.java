package io.paddock.tests.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.ServerConfigs;
import io.paddock.tests.support.ServerProcess;
import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.WriteLoad;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability test: a node in its own JVM is killed with SIGKILL while four
 * sessions write to it (creates, setData, sequential creates, deletes, multis, up to 32 in
 * flight each), restarted on the same data, and every acknowledged write is found with the zxids
 * and Stat the server returned, of the writes in flight at the kill those that took effect
 * come first in each session and took effect whole, and nothing is there that was never
 * attempted (see {@link WriteLoad}). Done twice: the second round writes
 * into the recovered node and is killed again, and the first round's data must not change.
 * snapCount is small enough that both rounds cross snapshots, so recovery is snapshot + replay.
 */
class KillNineTest {
    private static final int WRITERS = 4;
    private static final long ACKED_BEFORE_KILL = 4000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKillNineTwice() throws Exception {
        int port = LoopbackPorts.free();
        Path cfg = ServerConfigs.standalone(dir, port, Map.of("snapCount", "1000", "maxSessionTimeout", "30000"));
        try (ServerProcess server = new ServerProcess(cfg, port)) {
            server.start(Duration.ofSeconds(60));
            BlockingQueue<Watcher.Event.KeeperState> survivorStates = new LinkedBlockingQueue<>();
            try (ZooKeeper survivor = ZkClients.connect(server.connectString(), 30_000, e -> {
                if (e.getType() == Watcher.Event.EventType.None) {
                    survivorStates.add(e.getState());
                }
            })) {
                // a session with an ephemeral that reconnects after each restart, well within its timeout
                Stat ephemeral = new Stat();
                survivor.create("/survivor", "alive".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, ephemeral);

                SortedMap<String, TreeDump.Node> afterFirst;
                try (WriteLoad round1 = WriteLoad.start(server.connectString(), "/r1", WRITERS)) {
                    killDuringLoad(server, round1, "round 1");
                    afterFirst = restartAndVerify(server, round1, Set.of("/r1"));
                }
                assertSurvivorKept(server, survivor, survivorStates, ephemeral);

                try (WriteLoad round2 = WriteLoad.start(server.connectString(), "/r2", WRITERS)) {
                    killDuringLoad(server, round2, "round 2");
                    SortedMap<String, TreeDump.Node> afterSecond = restartAndVerify(server, round2, Set.of("/r1", "/r2"));
                    assertThat(TreeDump.subtree(afterSecond, "/r1"))
                        .as("round 1's data after the second kill and restart")
                        .isEqualTo(TreeDump.subtree(afterFirst, "/r1"));
                }
                assertSurvivorKept(server, survivor, survivorStates, ephemeral);
            }
        }
    }

    private static void killDuringLoad(ServerProcess server, WriteLoad load, String round) throws Exception {
        Await.until(Duration.ofSeconds(120), round + ": " + ACKED_BEFORE_KILL + " acknowledged writes",
            () -> load.acked() >= ACKED_BEFORE_KILL);
        long ackedAtKill = load.acked();
        server.kill9();
        load.stopAndClose();
        long acked = load.writers().stream().mapToLong(WriteLoad.Writer::acked).sum();
        System.out.printf("%s: SIGKILL after %d acknowledged writes (%d in total of %d attempted)%n", round, ackedAtKill,
            acked, load.attempted());
        assertThat(acked).isGreaterThanOrEqualTo(ackedAtKill);
        assertThat(load.attempted()).as("the load was still running when the node died").isGreaterThan(acked);
    }

    private static SortedMap<String, TreeDump.Node> restartAndVerify(ServerProcess server, WriteLoad load,
                                                                    Set<String> roots) throws Exception {
        long started = System.nanoTime();
        server.start(Duration.ofSeconds(120));
        long restartMs = (System.nanoTime() - started) / 1_000_000;
        try (ZooKeeper zk = ZkClients.connect(server.connectString())) {
            SortedMap<String, TreeDump.Node> dump = TreeDump.of(zk, "/");
            List<String> problems = new ArrayList<>();
            int appliedUnacked = load.verify(dump, problems);
            for (String path : dump.keySet()) {
                boolean known = path.equals("/") || path.equals("/survivor") || path.equals("/zookeeper")
                    || path.startsWith("/zookeeper/") || roots.stream().anyMatch(r -> path.equals(r) || path.startsWith(r + "/"));
                if (!known) {
                    problems.add(path + ": in the recovered tree, but never created");
                }
            }
            assertThat(problems).as("what recovery got wrong").isEmpty();
            System.out.printf("%s: restart to serving in %d ms (JVM start included; %s); %d znodes; %d writes in flight "
                    + "at the kill took effect%n", load.root(), restartMs, recoveryLine(server), dump.size(), appliedUnacked);
            return dump;
        }
    }

    private static void assertSurvivorKept(ServerProcess server, ZooKeeper survivor,
                                           BlockingQueue<Watcher.Event.KeeperState> states, Stat created) throws Exception {
        Await.until(Duration.ofSeconds(20), "the survivor session reconnects", () -> survivor.getState().isConnected());
        assertThat(states).doesNotContain(Watcher.Event.KeeperState.Expired);
        Stat now = survivor.exists("/survivor", false);
        assertThat(now).as("the survivor's ephemeral after the restart").isEqualTo(created);
        assertThat(now.getEphemeralOwner()).isEqualTo(survivor.getSessionId());
    }

    /** The node's own account of its recovery, from its log. */
    static String recoveryLine(ServerProcess server) throws Exception {
        List<String> lines = Files.readAllLines(server.log());
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            int at = line.indexOf("recovered ");
            if (at >= 0 && line.contains(" ms")) {
                return line.substring(at);
            }
        }
        return "no recovery line in the log";
    }
}
