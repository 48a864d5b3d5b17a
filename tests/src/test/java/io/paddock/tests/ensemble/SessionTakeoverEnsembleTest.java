package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.context.ServerStats;
import io.paddock.node.context.ServerStats.SyncKind;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.SessionTakeover;
import io.paddock.tests.support.WriteLoad;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 on a 3-node ensemble: a client reads another session's id from an ephemeral's
 * ephemeralOwner and tries every password derivable from the id alone, on every server; all
 * are refused and the session lives on. The session's own password resumes it on any server:
 * on another server than its own, on a server whose tree came from the leader's SNAP (so the
 * ensemble's secret must travel in the image), and on every server after all were restarted
 * (so the secret must be durable, and no new leader may make a new one).
 */
class SessionTakeoverEnsembleTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    /** More than the leader keeps to DIFF from (10,000 txns), so that a follower that missed them gets a SNAP. */
    static final long MISSED_FOR_A_SNAP = 10_500;

    @TempDir
    Path dir;

    @Test
    void noPasswordDerivedFromTheIdResumesASessionAndItsOwnDoesEverywhere() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            List<Integer> followers = ensemble.ids().stream().filter(id -> id != leader).toList();
            int home = followers.get(0);
            int snapped = followers.get(1);
            List<Integer> ports = ensemble.ids().stream().map(ensemble::clientPort).toList();
            try (ZooKeeper victim = ZkClients.connectFirstTo(ensemble.clientAddresses(), ensemble.clientAddress(home),
                     10_000, e -> { });
                 ZooKeeper attacker = ZkClients.connectFirstTo(ensemble.clientAddresses(), ensemble.clientAddress(snapped),
                     10_000, e -> { })) {
                victim.create("/lock", "held".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL);
                Await.until(PATIENCE, "the attacker sees /lock", () -> attacker.exists("/lock", false) != null);
                long id = attacker.exists("/lock", false).getEphemeralOwner();
                assertThat(id).as("the owner the attacker read").isEqualTo(victim.getSessionId());
                byte[] own = victim.getSessionPasswd();

                assertThat(SessionTakeover.resumedWithDerivedPasswords(id, ports))
                    .as("resumes with a password derived from the id alone").isEmpty();
                SessionTakeover.awaitAlive(victim, attacker, "/lock", PATIENCE);
                SessionTakeover.assertResumes(ensemble.clientPort(snapped), id, own, "on another server than its own");

                // a follower that missed more than the leader keeps gets the leader's tree by SNAP
                ServerStats stats = ensemble.node(leader).context().stats();
                long snaps = stats.learnerSyncs(SyncKind.SNAP);
                ensemble.stopNode(snapped);
                WriteLoad missed = FollowerCatchUpTest.load(ensemble, "/missed", MISSED_FOR_A_SNAP);
                missed.stopAndClose();
                ensemble.startNode(snapped);
                Await.until(PATIENCE, "server " + snapped + " serves again", () -> ensemble.node(snapped).context().serving());
                assertThat(stats.learnerSyncs(SyncKind.SNAP) - snaps).as("SNAPs the leader sent").isEqualTo(1);
                SessionTakeover.assertResumes(ensemble.clientPort(snapped), id, own,
                    "on the server that got the tree by SNAP");
                assertThat(SessionTakeover.resumedWithDerivedPasswords(id, List.of(ensemble.clientPort(snapped))))
                    .as("resumes on the SNAP-synced server with a password derived from the id").isEmpty();

                // every server restarted: the secret comes back from each one's snapshots and log
                for (int server : ensemble.ids()) {
                    ensemble.stopNode(server);
                }
                for (int server : ensemble.ids()) {
                    ensemble.startNode(server);
                }
                ensemble.awaitServing(PATIENCE);
                for (int server : ensemble.ids()) {
                    SessionTakeover.assertResumes(ensemble.clientPort(server), id, own,
                        "on server " + server + " after every server restarted");
                }
                assertThat(SessionTakeover.resumedWithDerivedPasswords(id, ports))
                    .as("resumes with a password derived from the id alone, after the restart").isEmpty();
                SessionTakeover.awaitAlive(victim, attacker, "/lock", PATIENCE);
                assertThat(ReplicaDigest.awaitIdentical(ensemble, PATIENCE).verify(missed))
                    .as("the writes the SNAP-synced server missed, on every replica").isEmpty();
            }
        }
    }
}
