package io.paddock.tests.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.client.CreateResult;
import io.paddock.client.MultiResult;
import io.paddock.client.Op;
import io.paddock.client.WatchEvent;
import io.paddock.client.ZkClient;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.PaddockExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Paddock's own actor client against a Paddock server (its module tests run it against Apache ZooKeeper). */
class PaddockClientAgainstPaddockTest {
    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.standalone();
    static ActorSystem<Void> system;
    static ZkClient zk;

    @BeforeAll
    static void connect() {
        system = ActorSystem.create(Behaviors.empty(), "client");
        paddock.closeAfterAll(system::terminate);
        zk = ZkClient.connect(system, paddock.connectString(), Duration.ofSeconds(10)).toCompletableFuture().join();
        paddock.closeAfterAll(() -> zk.close().toCompletableFuture().join());
    }

    @Test
    void crudWatchesAndMulti() throws Exception {
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        zk.addWatchListener(events::add);
        CreateResult created = zk.create("/pc", "a".getBytes(), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
            .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(created.stat().czxid()).isEqualTo(created.stat().mzxid());
        assertThat(zk.getData("/pc", true).toCompletableFuture().get(5, TimeUnit.SECONDS).data()).isEqualTo("a".getBytes());
        zk.setData("/pc", "b".getBytes(), 0).toCompletableFuture().get(5, TimeUnit.SECONDS);
        WatchEvent e = events.poll(5, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        assertThat(e.path()).isEqualTo("/pc");

        MultiResult ok = zk.multi(List.of(Op.create("/pc/x", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.check("/pc", 1))).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(ok.committed()).isTrue();
        MultiResult failed = zk.multi(List.of(Op.create("/pc/y", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
            Op.check("/pc", 7))).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(failed.committed()).isFalse();
        assertThat(zk.exists("/pc/y", false).toCompletableFuture().get(5, TimeUnit.SECONDS)).isNull();

        assertThatThrownBy(() -> zk.delete("/pc", -1).toCompletableFuture().get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause().isInstanceOfSatisfying(KeeperException.class, k -> assertThat(k.code()).isEqualTo(ErrorCode.NOTEMPTY));
    }

    /** Per-request watchers and the watch Source; cancelling it leaves no persistent watch on Paddock. */
    @Test
    void watchersAndWatchSources() throws Exception {
        zk.create("/ev", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture().get(5, TimeUnit.SECONDS);
        BlockingQueue<WatchEvent> mine = new LinkedBlockingQueue<>();
        zk.getChildren("/ev", mine::add).toCompletableFuture().get(5, TimeUnit.SECONDS);

        BlockingQueue<WatchEvent> streamed = new LinkedBlockingQueue<>();
        Pair<CompletionStage<Done>, UniqueKillSwitch> running = zk.watch("/ev", AddWatchMode.PERSISTENT_RECURSIVE)
            .viaMat(KillSwitches.single(), Keep.both()).to(Sink.foreach(streamed::add)).run(system);
        running.first().toCompletableFuture().get(5, TimeUnit.SECONDS);
        zk.create("/ev/a", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(streamed.poll(5, TimeUnit.SECONDS)).extracting(WatchEvent::type, WatchEvent::path)
            .containsExactly(EventType.NODE_CREATED, "/ev/a");
        assertThat(mine.poll(5, TimeUnit.SECONDS)).extracting(WatchEvent::type, WatchEvent::path)
            .containsExactly(EventType.NODE_CHILDREN_CHANGED, "/ev");

        running.second().shutdown(); // removeWatches with type PERSISTENT_RECURSIVE, which Paddock accepts
        Await.until(Duration.ofSeconds(5), "the server's watch to be removed", () -> !hasRecursiveWatch("/ev"));
    }

    private static boolean hasRecursiveWatch(String path) throws Exception {
        try {
            zk.checkWatches(path, WatcherType.PERSISTENT_RECURSIVE).toCompletableFuture().get(5, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            assertThat(((KeeperException) e.getCause()).code()).isEqualTo(ErrorCode.NOWATCHER);
            return false;
        }
    }
}
