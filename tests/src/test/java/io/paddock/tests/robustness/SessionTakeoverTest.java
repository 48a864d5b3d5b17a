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
