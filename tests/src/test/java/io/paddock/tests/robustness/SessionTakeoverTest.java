package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.SessionTakeover;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a session's id is public (every ephemeral's ephemeralOwner), so no password derivable
 * from the id alone may resume it. Paddock's passwords were SHA-256 of a constant and the id, and
 * ZooKeeper 3.9's are java.util.Random seeded with the id: any client could take a session over,
 * close it and release its locks. On a standalone server, before and after a restart, every such
 * password is refused and the session lives on; its own password still resumes it.
 */
class SessionTakeoverTest {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void onlyTheSessionsOwnPasswordResumesItBeforeAndAfterARestart() throws Exception {
        try (InProcessServer server = InProcessServer.start(dir);
             ZooKeeper victim = ZkClients.connect(server.connectString(), 10_000, e -> { });
             ZooKeeper attacker = ZkClients.connect(server.connectString())) {
            victim.create("/lock", "held".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            long id = attacker.exists("/lock", false).getEphemeralOwner();
            assertThat(id).as("the owner the attacker read").isEqualTo(victim.getSessionId());

            for (String phase : List.of("before a restart", "after a restart")) {
                if (phase.startsWith("after")) {
                    server.restart();
                }
                assertThat(SessionTakeover.resumedWithDerivedPasswords(id, List.of(server.port())))
                    .as("resumes with a password derived from the id alone, " + phase).isEmpty();
                SessionTakeover.awaitAlive(victim, attacker, "/lock", PATIENCE);
                SessionTakeover.assertResumes(server.port(), id, victim.getSessionPasswd(), phase);
                SessionTakeover.awaitAlive(victim, attacker, "/lock", PATIENCE);
            }
        }
    }

    /**
     * A resume with a wrong password is refused and leaves the session's own connection alone.
     * ZooKeeper 3.9.5 drops that connection first (it closes the session's connection before it
     * checks the password), so anyone who reads a session's id from an ephemeral's owner can keep
     * its client disconnected; Paddock used to do the same. A real reconnect, with the right
     * password, still replaces the old connection.
     */
    @Test
    void aWrongPasswordLeavesTheSessionsConnectionAlone() throws Exception {
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
        try (InProcessServer server = InProcessServer.start(dir);
             LocalAddress victim = new LocalAddress(server.connectString(), e -> {
                 if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                     connected.countDown();
                 }
             })) {
            assertThat(connected.await(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            java.net.SocketAddress connection = victim.local();
            byte[] wrong = victim.getSessionPasswd().clone();
            wrong[0] ^= 1;
            assertThat(SessionTakeover.resume(server.port(), victim.getSessionId(), wrong).timeOut())
                .as("the wrong password refused").isZero();
            // on the dropped connection this would fail (connection loss), or run on a new one
            assertThat(victim.exists("/", false)).isNotNull();
            assertThat(victim.local()).as("the same connection").isEqualTo(connection);
        }
    }

    /** A client whose connection's local address shows whether it is still the same connection. */
    private static final class LocalAddress extends ZooKeeper {
        LocalAddress(String connectString, org.apache.zookeeper.Watcher watcher) throws java.io.IOException {
            super(connectString, 10_000, watcher);
        }

        java.net.SocketAddress local() {
            return testableLocalSocketAddress();
        }
    }

    /**
     * The same attack succeeds on Apache ZooKeeper 3.9.5's own server, with the password its
     * Random(id ^ 0xB3415C00) gives: the derivations tried above are real ones.
     */
    @Test
    void zooKeeperResumesASessionWithThePasswordItsIdGives() throws Exception {
        try (ZooKeeperReference zookeeper = ZooKeeperReference.start(dir, null, 500, 60);
             ZooKeeper victim = ZkClients.connect(zookeeper.connectString(), 10_000, e -> { })) {
            assertThat(SessionTakeover.resumedWithDerivedPasswords(victim.getSessionId(), List.of(zookeeper.port())))
                .singleElement().asString().contains("ZooKeeper's Random");
        }
    }
}
