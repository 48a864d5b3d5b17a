package io.paddock.tests.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.PaddockExtension;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Session timeouts, expiry, resumption and refusal as the official client sees them (tickTime 500). */
class SessionCompatTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);
    private static final int MIN = 1500;
    private static final int MAX = 8000;

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.withConfig(Map.of("minSessionTimeout", Integer.toString(MIN),
            "maxSessionTimeout", Integer.toString(MAX)));
    static ZooKeeper observer;

    @BeforeAll
    static void connect() throws Exception {
        observer = paddock.newClient();
    }

    @Test
    void negotiatedTimeoutIsClampedToMinAndMax() throws Exception {
        for (int[] askedAndGot : new int[][] {{600, MIN}, {MIN, MIN}, {4321, 4321}, {MAX, MAX}, {60_000, MAX}}) {
            try (ZooKeeper zk = ZkClients.connect(paddock.connectString(), askedAndGot[0], e -> { })) {
                assertThat(zk.getSessionTimeout()).as("asked " + askedAndGot[0]).isEqualTo(askedAndGot[1]);
            }
        }
    }

    @Test
    void expiryDeletesEphemeralsAndFiresTheirWatches() throws Exception {
        EventQueue watches = new EventQueue();
        long id;
        byte[] passwd;
        try (ZooKeeper doomed = ZkClients.connect(paddock.connectString(), MIN, e -> { })) {
            doomed.create("/doomed", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            doomed.create("/doomed/eph", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            observer.exists("/doomed/eph", watches);
            observer.getChildren("/doomed", watches);
            id = doomed.getSessionId();
            passwd = doomed.getSessionPasswd();
            // the client stops talking without closing its session: the server must expire it
            doomed.getTestable().injectSessionExpiration();
        }
        long silentSince = System.currentTimeMillis();
        WatchedEvent deleted = watches.next();
        long expiredAfter = System.currentTimeMillis() - silentSince;
        System.out.printf("a session of timeout %d ms expired %d ms after its client fell silent%n", MIN, expiredAfter);
        // not early (its last ping may be up to half a timeout old), and by its own timeout, not the maximum
        assertThat(expiredAfter).as("ms until the silent session expired").isBetween((long) MIN / 2, (long) MAX);
        assertThat(deleted.getType()).isEqualTo(EventType.NodeDeleted);
        assertThat(deleted.getPath()).isEqualTo("/doomed/eph");
        assertThat(watches.next().getType()).isEqualTo(EventType.NodeChildrenChanged);
        assertThat(observer.getChildren("/doomed", false)).isEmpty();

        EventQueue late = new EventQueue();
        try (ZooKeeper again = new ZooKeeper(paddock.connectString(), MIN, late, id, passwd)) {
            late.awaitState(KeeperState.Expired);
            assertThat(again.getState().isAlive()).isFalse();
        }
    }

    @Test
    void resumingWithIdAndPasswordKeepsTheSessionAndItsEphemerals() throws Exception {
        long id;
        byte[] passwd;
        try (ZooKeeper first = ZkClients.connect(paddock.connectString(), MAX, e -> { })) {
            first.create("/kept", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            id = first.getSessionId();
            passwd = first.getSessionPasswd();
            // the client goes away without closing its session
            first.getTestable().injectSessionExpiration();
        }

        EventQueue events = new EventQueue();
        try (ZooKeeper second = new ZooKeeper(paddock.connectString(), MAX, events, id, passwd)) {
            events.awaitState(KeeperState.SyncConnected);
            assertThat(second.getSessionId()).isEqualTo(id);
            assertThat(second.getEphemerals()).containsExactly("/kept");
            assertThat(observer.exists("/kept", false).getEphemeralOwner()).isEqualTo(id);
        }
        assertThat(observer.exists("/kept", false)).as("closed at last").isNull();
    }

    @Test
    void aWrongPasswordIsRefusedAsExpiredAndTheSessionLivesOn() throws Exception {
        EventQueue ownerEvents = new EventQueue();
        try (ZooKeeper owner = ZkClients.connect(paddock.connectString(), MAX, ownerEvents)) {
            owner.create("/guarded", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            byte[] wrong = Arrays.copyOf(owner.getSessionPasswd(), 16);
            wrong[3] ^= 0x40;
            EventQueue intruder = new EventQueue();
            try (ZooKeeper impostor = new ZooKeeper(paddock.connectString(), MAX, intruder, owner.getSessionId(), wrong)) {
                intruder.awaitState(KeeperState.Expired);
                assertThat(impostor.getState().isAlive()).isFalse();
            }
            // the owner's connection stays (ZooKeeper drops it too; SessionTakeoverTest checks it is the same one)
            assertThat(owner.getEphemerals()).containsExactly("/guarded");
        }
    }
}
