package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.LoopbackPorts;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.HostProvider;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions are global: a session created through a follower is kept alive by that follower's
 * reports to the leader (well past its timeout), and once its client vanishes without closing
 * it (the client's connection drops and it can reach no server any more) the leader expires it,
 * and its ephemerals disappear from every replica.
 */
class GlobalSessionTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final int TIMEOUT_MS = 3000;

    @TempDir
    Path dir;

    /** The one server the client may connect to; {@link #vanish()} points it where nobody listens. */
    static final class OneHost implements HostProvider {
        private volatile InetSocketAddress address;

        OneHost(InetSocketAddress address) {
            this.address = address;
        }

        void set(InetSocketAddress to) {
            address = to;
        }

        void vanish() {
            address = new InetSocketAddress("127.0.0.1", LoopbackPorts.free());
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public InetSocketAddress next(long spinDelay) {
            return address;
        }

        @Override
        public void onConnected() {
        }

        @Override
        public boolean updateServerList(Collection<InetSocketAddress> serverAddresses, InetSocketAddress currentHost) {
            return false;
        }
    }

    /**
     * The leader fails and a follower that never heard from the session's client takes over, while
     * the client cannot reach any server for a few ticks: the new leader must give every session a
     * full timeout from its start (as ZooKeeper's does), not expire at once the sessions it knows
     * only from their createSession txn.
     */
    @Test
    void aSessionOutlivesAFailoverToALeaderItsClientNeverTalkedTo() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            List<Integer> followers = ensemble.ids().stream().filter(id -> id != leader).toList();
            int clients = followers.get(0);
            int next = followers.get(1); // same zxid and epoch as the other follower, higher id: it wins
            OneHost host = new OneHost(ensemble.clientAddress(clients));
            BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
            int timeout = 4000;
            try (ZooKeeper zk = new ZooKeeper(ensemble.connectString(clients), timeout, e -> {
                if (e.getType() == Watcher.Event.EventType.None) {
                    states.add(e.getState());
                }
            }, false, host)) {
                assertThat(states.poll(30, TimeUnit.SECONDS)).isEqualTo(Watcher.Event.KeeperState.SyncConnected);
                long session = zk.getSessionId();
                Stat eph = new Stat();
                zk.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL, eph);
                long created = System.nanoTime();
                // longer than its timeout: the other follower's view of it (its createSession) is that old
                Await.until(PATIENCE, "a session timeout", () -> System.nanoTime() - created > (timeout + 500) * 1_000_000L);

                // the client cannot reconnect until the new leader has run a few session ticks
                host.vanish();
                long stopping = System.nanoTime();
                ensemble.stopNode(leader);
                long stopped = System.nanoTime();
                Await.until(PATIENCE, "server " + next + " leads and server " + clients + " follows",
                    () -> ensemble.leader().equals(java.util.Optional.of(next)) && ensemble.node(clients).context().serving());
                long leading = System.nanoTime();
                System.out.printf("leader %d stopped (in %d ms): server %d leads and server %d serves %d ms later%n", leader,
                    (stopped - stopping) / 1_000_000, next, clients, (leading - stopped) / 1_000_000);
                Await.until(PATIENCE, "three ticks of the new leader", () -> System.nanoTime() - leading > 1_500_000_000L);
                host.set(ensemble.clientAddress(clients));
                Await.until(PATIENCE, "the client reconnected or expired", () -> zk.getState().isConnected()
                    || states.contains(Watcher.Event.KeeperState.Expired));
                assertThat(states).as("the session's events through the failover").doesNotContain(Watcher.Event.KeeperState.Expired);
                assertThat(zk.exists("/eph", false)).isEqualTo(eph);
                assertThat(zk.getSessionId()).isEqualTo(session);

                ensemble.startNode(leader);
                ensemble.awaitServing(PATIENCE);
                ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                assertThat(agreed.nodes().get("/eph").stat()).isEqualTo(eph);
                assertThat(agreed.sessions()).containsKey(session);
            }
        }
    }

    @Test
    void aSessionOfAFollowersClientExpiresEverywhereWhenTheClientVanishes() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = leader == 3 ? 2 : 3;
            OneHost host = new OneHost(ensemble.clientAddress(follower));
            CountDownLatch connected = new CountDownLatch(1);
            try (ZooKeeper zk = new ZooKeeper(ensemble.connectString(follower), TIMEOUT_MS, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            }, false, host);
                 ZooKeeper observer = ZkClients.connect(ensemble.connectString(leader))) {
                assertThat(connected.await(30, TimeUnit.SECONDS)).isTrue();
                long session = zk.getSessionId();
                zk.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                CountDownLatch deleted = new CountDownLatch(1);
                observer.exists("/eph", e -> {
                    if (e.getType() == Watcher.Event.EventType.NodeDeleted) {
                        deleted.countDown();
                    }
                });

                // alive through the follower alone for three timeouts: the leader hears of it in the
                // follower's pings (a test of something that must not happen has to wait this long)
                long created = System.nanoTime();
                Await.until(PATIENCE, "three session timeouts", () -> System.nanoTime() - created > 3L * TIMEOUT_MS * 1_000_000);
                assertThat(deleted.getCount()).as("the ephemeral of a live session on a follower").isEqualTo(1);
                assertThat(ReplicaDigest.awaitIdentical(ensemble, PATIENCE).sessions()).containsKey(session);

                long vanished = System.nanoTime();
                host.vanish();
                zk.getTestable().closeSocket();
                assertThat(deleted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the ephemeral deleted").isTrue();
                System.out.printf("session of a vanished client expired %d ms after it vanished (timeout %d ms)%n",
                    (System.nanoTime() - vanished) / 1_000_000, TIMEOUT_MS);
                ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
                assertThat(agreed.nodes()).doesNotContainKey("/eph");
                assertThat(agreed.sessions()).doesNotContainKey(session);
                assertThat(ensemble.runningIds()).allMatch(id -> ensemble.node(id).context().sessions().get(session) == null);
            }
        }
    }
}
