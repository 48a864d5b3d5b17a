package io.paddock.tests.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.client.TcpProxy;
import io.paddock.client.ZkClient;
import io.paddock.client.ZkClientSettings;
import io.paddock.client.recipes.DistributedLock;
import io.paddock.client.recipes.DoubleBarrier;
import io.paddock.client.recipes.LeaderLatch;
import io.paddock.client.recipes.TreeCache;
import io.paddock.node.session.SessionTracker;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.RawClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recipes of a client that renews its session (paddock.client.renew-session-on-expiry),
 * when the server ends the session: what the recipe owns is made again in the new session, and
 * a lock it held is lost, never silently taken again. The client reaches the server through a
 * {@link TcpProxy}, so the test can end its session while it is cut off and change the tree
 * before it learns of the expiry.
 */
class RecipesAfterExpiryTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration SESSION = Duration.ofSeconds(4);

    @TempDir
    static Path dir;
    private static InProcessServer server;
    private static ActorSystem<Void> system;
    /** For the test's own reads and writes, straight to the server. */
    private static ZkClient admin;

    private final List<ZkClient> clients = new ArrayList<>();
    private final List<TcpProxy> cables = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = InProcessServer.start(dir);
        system = ActorSystem.create(Behaviors.empty(), "renewal");
        admin = ZkClient.connect(system, server.connectString(), SESSION).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopServer() {
        admin.close().toCompletableFuture().join();
        system.terminate();
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(zk -> zk.close().toCompletableFuture().join());
        cables.forEach(TcpProxy::close);
    }

    @Test
    void aLatchQueuesAgainInItsNewSession() throws Exception {
        TcpProxy cable = cable();
        ZkClient renewing = client(cable.address(), true);
        AtomicInteger steppedDown = new AtomicInteger();
        LeaderLatch first = latch(renewing, "first", steppedDown);
        first.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Await.until(PATIENCE, "the first participant leads", first::hasLeadership);
        ZkClient staying = client(server.connectString(), false);
        LeaderLatch second = latch(staying, "second", new AtomicInteger());
        second.start().toCompletableFuture().get(30, TimeUnit.SECONDS);

        long old = expireWhileCut(cable, renewing);
        Await.until(PATIENCE, "the second leads once the first's node went with its session", second::hasLeadership);
        Await.until(PATIENCE, "the first stepped down", () -> steppedDown.get() == 1);
        assertThat(first.hasLeadership()).isFalse();

        cable.refuse(false);
        long renewed = awaitRenewed(renewing, old);
        Await.until(PATIENCE, "the first queued again, owned by its new session",
            () -> owners("/election").equals(List.of(staying.sessionId(), renewed)));
        second.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Await.until(PATIENCE, "the first leads again", first::hasLeadership);
    }

    @Test
    void aTreeCacheSetsItsWatchAgainAndCatchesUpWithWhatChangedMeanwhile() throws Exception {
        create(admin, "/tree");
        create(admin, "/tree/kept");
        create(admin, "/tree/deleted");
        TcpProxy cable = cable();
        ZkClient renewing = client(cable.address(), true);
        TreeCache cache = new TreeCache(renewing, "/tree");
        cache.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        create(admin, "/closed");
        TreeCache closed = new TreeCache(renewing, "/closed");
        closed.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        closed.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(cache.snapshot()).containsOnlyKeys("/tree", "/tree/kept", "/tree/deleted");

        long old = expireWhileCut(cable, renewing);
        // changes the expired session's watch never reports
        admin.setData("/tree/kept", "v2".getBytes(UTF_8), -1).toCompletableFuture().get(10, TimeUnit.SECONDS);
        admin.delete("/tree/deleted", -1).toCompletableFuture().get(10, TimeUnit.SECONDS);
        create(admin, "/tree/added");
        cable.refuse(false);
        awaitRenewed(renewing, old);
        Await.until(PATIENCE, "the cache walked the tree again", () -> cache.snapshot().keySet()
            .equals(Set.of("/tree", "/tree/kept", "/tree/added")));
        assertThat(new String(cache.current("/tree/kept").data(), UTF_8)).isEqualTo("v2");

        create(admin, "/tree/later"); // heard only through a watch set in the new session
        Await.until(PATIENCE, "the cache hears the new session's watch", () -> cache.current("/tree/later") != null);
        assertThatThrownBy(() -> renewing.checkWatches("/closed", WatcherType.PERSISTENT_RECURSIVE)
            .toCompletableFuture().get(10, TimeUnit.SECONDS))
            .as("a closed cache sets no watch in the new session").hasCauseInstanceOf(KeeperException.NoWatcherException.class);
        cache.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aHeldLockIsLostAndNotTakenAgain() throws Exception {
        TcpProxy cable = cable();
        ZkClient renewing = client(cable.address(), true);
        DistributedLock holder = new DistributedLock(renewing, "/locks/expiry");
        CompletableFuture<Boolean> heldOnLoss = new CompletableFuture<>();
        holder.addLostListener(() -> heldOnLoss.complete(holder.isHeld()));
        holder.acquire().toCompletableFuture().get(30, TimeUnit.SECONDS);

        long old = expireWhileCut(cable, renewing);
        assertThat(heldOnLoss.get(30, TimeUnit.SECONDS)).as("held when the loss was told").isFalse();
        DistributedLock other = new DistributedLock(client(server.connectString(), false), "/locks/expiry");
        assertThat(other.acquire(PATIENCE).toCompletableFuture().get(30, TimeUnit.SECONDS)).as("free for another").isTrue();

        cable.refuse(false);
        long renewed = awaitRenewed(renewing, old);
        assertThat(owners("/locks/expiry")).as("nothing queued by the new session").doesNotContain(renewed);
        assertThat(holder.isHeld()).isFalse();
        other.release().toCompletableFuture().get(10, TimeUnit.SECONDS);
        holder.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDoubleBarrierMemberEntersAgainAndItsWaitGoesOn() throws Exception {
        TcpProxy cable = cable();
        ZkClient renewing = client(cable.address(), true);
        DoubleBarrier expiring = new DoubleBarrier(renewing, "/double", 2);
        CompletableFuture<Void> entered = expiring.enter().toCompletableFuture();
        Await.until(PATIENCE, "the first member's node", () -> owners("/double").size() == 1);

        long old = expireWhileCut(cable, renewing);
        Await.until(PATIENCE, "its node went with its session", () -> owners("/double").isEmpty());
        cable.refuse(false);
        long renewed = awaitRenewed(renewing, old);
        Await.until(PATIENCE, "a member again, in the new session", () -> owners("/double").equals(List.of(renewed)));
        assertThat(entered).isNotDone();

        DoubleBarrier other = new DoubleBarrier(client(server.connectString(), false), "/double", 2);
        other.enter().toCompletableFuture().get(30, TimeUnit.SECONDS);
        entered.get(30, TimeUnit.SECONDS);
        CompletableFuture<Void> left = expiring.leave().toCompletableFuture();
        other.leave().toCompletableFuture().get(30, TimeUnit.SECONDS);
        left.get(30, TimeUnit.SECONDS);
    }

    // ---- helpers

    private TcpProxy cable() throws IOException {
        TcpProxy cable = TcpProxy.start(server.port());
        cables.add(cable);
        return cable;
    }

    private ZkClient client(String connectString, boolean renew) throws Exception {
        ZkClientSettings settings = ZkClientSettings.create(system).withSessionTimeout(SESSION)
            .withRenewSessionOnExpiry(renew);
        ZkClient zk = ZkClient.connect(system, connectString, settings).toCompletableFuture().get(30, TimeUnit.SECONDS);
        clients.add(zk);
        return zk;
    }

    /**
     * Cuts the client off (its reconnects refused) and ends its session on the server, as an
     * expiry would: resumes it with its password over a raw connection and closes it. Returns
     * the ended session's id; {@code cable.refuse(false)} lets the client learn of it.
     */
    private static long expireWhileCut(TcpProxy cable, ZkClient zk) throws IOException {
        long id = zk.sessionId();
        cable.refuse(true);
        cable.dropAll();
        byte[] passwd = SessionTracker.password(server.server().context().tree().sessionSecret(), id);
        try (RawClient raw = RawClient.open(server.port())) {
            assertThat(raw.connect(0, id, passwd, true).sessionId()).as("resumed to close it").isEqualTo(id);
            assertThat(raw.call(1, OpCode.CLOSE_SESSION, null).err()).isZero();
        }
        Await.until(PATIENCE, "the session is gone", () -> server.server().context().sessions().get(id) == null);
        return id;
    }

    private static long awaitRenewed(ZkClient zk, long old) {
        Await.until(PATIENCE, "a new session", () -> zk.sessionId() != old && zk.sessionId() != 0);
        return zk.sessionId();
    }

    private static LeaderLatch latch(ZkClient zk, String id, AtomicInteger steppedDown) {
        LeaderLatch latch = new LeaderLatch(zk, "/election", id);
        latch.addListener(new LeaderLatch.Listener() {
            @Override
            public void isLeader() {
            }

            @Override
            public void notLeader() {
                steppedDown.incrementAndGet();
            }
        });
        return latch;
    }

    /** The sessions owning the children of {@code path}, in the children's name order (the queue's, here). */
    private static List<Long> owners(String path) throws Exception {
        List<Long> owners = new ArrayList<>();
        for (String child : admin.getChildren(path, false).toCompletableFuture().get(10, TimeUnit.SECONDS).children()
            .stream().sorted((a, b) -> a.substring(a.lastIndexOf('-')).compareTo(b.substring(b.lastIndexOf('-')))).toList()) {
            owners.add(admin.exists(path + "/" + child, false).toCompletableFuture().get(10, TimeUnit.SECONDS).ephemeralOwner());
        }
        return owners;
    }

    private static void create(ZkClient zk, String path) throws Exception {
        zk.create(path, new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
