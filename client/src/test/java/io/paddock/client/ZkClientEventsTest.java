package io.paddock.client;

import static io.paddock.client.Await.failure;
import static io.paddock.client.Await.result;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.paddock.client.ZkClientSettings.RetryPolicy;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Stat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The facade's events, streams, session states, retries and renewal, against Apache ZooKeeper 3.9.5. */
class ZkClientEventsTest extends FacadeTestBase {
    private final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<SessionEvent> states = new LinkedBlockingQueue<>();

    @BeforeEach
    void listen() {
        client.addWatchListener(events::add);
        client.addSessionListener(states::add);
    }

    private static ZkClientSettings settings() {
        return ZkClientSettings.create(testKit.system()).withSessionTimeout(TIMEOUT);
    }

    private ZkClient connect(String connectString, ZkClientSettings settings) throws Exception {
        ZkClient zk = result(ZkClient.connect(testKit.system(), connectString, settings));
        zk.addWatchListener(events::add);
        zk.addSessionListener(states::add);
        return zk;
    }

    private static SessionEvent.State nextState(BlockingQueue<SessionEvent> queue) throws InterruptedException {
        return next(queue).state();
    }

    @Test
    void perRequestWatchersHearTheirEventsOncePerTrigger() throws Exception {
        String node = root + "/n";
        String sentinel = root + "/sentinel";
        result(client.create(node, NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.create(sentinel, NO_DATA, OPEN, CreateMode.PERSISTENT));
        BlockingQueue<WatchEvent> heard = new LinkedBlockingQueue<>();
        Consumer<WatchEvent> watcher = heard::add;
        BlockingQueue<WatchEvent> children = new LinkedBlockingQueue<>();

        result(client.getData(node, watcher));
        result(client.exists(node, watcher)); // the same watcher again: still called once
        result(client.getChildren(node, children::add));
        result(client.create(node + "/c", NO_DATA, OPEN, CreateMode.PERSISTENT));
        assertThat(next(children).type()).isEqualTo(EventType.NODE_CHILDREN_CHANGED);
        result(client.setData(node, "x".getBytes(UTF_8), -1));
        assertThat(next(heard)).extracting(WatchEvent::type, WatchEvent::path)
            .containsExactly(EventType.NODE_DATA_CHANGED, node);
        result(client.setData(node, "y".getBytes(UTF_8), -1)); // one-shot: nobody hears this one
        result(client.getData(sentinel, watcher));
        result(client.setData(sentinel, "s".getBytes(UTF_8), -1));
        assertThat(next(heard).path()).isEqualTo(sentinel); // the next event, so none came in between

        // removeWatches tells the watchers it removed, as ZooKeeper's client does
        result(client.getChildren(node, watcher));
        result(client.removeWatches(node, WatcherType.CHILDREN));
        assertThat(next(heard)).extracting(WatchEvent::type, WatchEvent::path)
            .containsExactly(EventType.CHILD_WATCH_REMOVED, node);

        // a creation watch, delivered to an actor
        TestProbe<WatchEvent> probe = testKit.createTestProbe();
        assertThat(result(client.exists(root + "/later", probe.getRef()))).isNull();
        result(client.create(root + "/later", NO_DATA, OPEN, CreateMode.PERSISTENT));
        assertThat(probe.receiveMessage(Duration.ofSeconds(10)).type()).isEqualTo(EventType.NODE_CREATED);

        // the session-wide listener heard every one of them
        assertThat(List.of(next(events), next(events), next(events), next(events)))
            .extracting(WatchEvent::type).containsExactly(EventType.NODE_CHILDREN_CHANGED,
                EventType.NODE_DATA_CHANGED, EventType.NODE_DATA_CHANGED, EventType.NODE_CREATED);
    }

    @Test
    void aWatchSourceEmitsItsSubtreeAndCancellingRemovesTheServerWatch() throws Exception {
        int before = server.watchCount();
        BlockingQueue<WatchEvent> seen = new LinkedBlockingQueue<>();
        Pair<Pair<CompletionStage<Done>, UniqueKillSwitch>, CompletionStage<Done>> running =
            client.watch(root, AddWatchMode.PERSISTENT_RECURSIVE)
                .viaMat(KillSwitches.single(), Keep.both())
                .toMat(Sink.foreach(seen::add), Keep.both())
                .run(testKit.system());
        result(running.first().first()); // the watch is set
        assertThat(server.watchCount()).isGreaterThan(before);

        result(client.create(root + "/a", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.create(root + "/a/b", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.setData(root, "x".getBytes(UTF_8), -1));
        assertThat(List.of(next(seen), next(seen), next(seen)))
            .extracting(WatchEvent::type, WatchEvent::path)
            .containsExactly(
                tuple(EventType.NODE_CREATED, root + "/a"),
                tuple(EventType.NODE_CREATED, root + "/a/b"),
                tuple(EventType.NODE_DATA_CHANGED, root));

        running.first().second().shutdown();
        result(running.second());
        Await.until("the server watch to be removed", () -> server.watchCount() == before);
    }

    @Test
    void aPersistentWatchSourceCompletesWhenTheClientCloses() throws Exception {
        ZkClient other = connect(server.connectString(), settings());
        BlockingQueue<WatchEvent> seen = new LinkedBlockingQueue<>();
        Pair<CompletionStage<Done>, CompletionStage<Done>> running =
            other.watch(root, AddWatchMode.PERSISTENT).toMat(Sink.foreach(seen::add), Keep.both()).run(testKit.system());
        result(running.first());
        result(client.create(root + "/child", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.setData(root, "x".getBytes(UTF_8), -1));
        assertThat(List.of(next(seen), next(seen))).extracting(WatchEvent::type)
            .containsExactly(EventType.NODE_CHILDREN_CHANGED, EventType.NODE_DATA_CHANGED);
        result(other.close());
        assertThat(result(running.second())).isEqualTo(Done.getInstance());
    }

    @Test
    void aConsumerThatFallsBehindFailsItsStreamAndLosesTheWatch() throws Exception {
        int before = server.watchCount();
        CompletableFuture<Void> never = new CompletableFuture<>();
        Pair<CompletionStage<Done>, CompletionStage<Done>> running = client.watch(root, AddWatchMode.PERSISTENT, 2)
            .mapAsync(1, event -> never) // takes one event and never asks for the next
            .toMat(Sink.ignore(), Keep.both()).run(testKit.system());
        result(running.first());
        for (int i = 0; i < 20; i++) {
            result(client.setData(root, new byte[] {(byte) i}, -1));
        }
        assertThat(Await.thrown(running.second())).isInstanceOf(BufferOverflowException.class);
        Await.until("the server watch to be removed", () -> server.watchCount() == before);
    }

    @Test
    void removeWatchesCompletesAWatchSource() throws Exception {
        Pair<CompletionStage<Done>, CompletionStage<Done>> running =
            client.watch(root, AddWatchMode.PERSISTENT).toMat(Sink.ignore(), Keep.both()).run(testKit.system());
        result(running.first());
        result(client.removeWatches(root, WatcherType.PERSISTENT));
        assertThat(result(running.second())).isEqualTo(Done.getInstance());
    }

    @Test
    void sessionEventsShowAReconnectOfTheSameSession() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(server.port())) {
            ZkClient viaProxy = connect(proxy.address(), settings());
            CompletionStage<List<SessionEvent>> seen = viaProxy.sessionEvents().runWith(Sink.seq(), testKit.system());
            long id = viaProxy.sessionId();

            proxy.dropAll();
            assertThat(nextState(states)).isEqualTo(SessionEvent.State.DISCONNECTED);
            assertThat(next(states)).extracting(SessionEvent::state, SessionEvent::sessionId)
                .containsExactly(SessionEvent.State.RECONNECTED, id);
            result(viaProxy.close());
            assertThat(result(seen)).extracting(SessionEvent::state).containsExactly(SessionEvent.State.DISCONNECTED,
                SessionEvent.State.RECONNECTED, SessionEvent.State.CLOSED);
        }
    }

    @Test
    void readsAreRetriedAfterConnectionLossWritesAreNot() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(server.port())) {
            ZkClient viaProxy = connect(proxy.address(),
                settings().withRetry(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100))));
            proxy.silence(true);
            CompletionStage<DataResult> read = viaProxy.getData(root, false);
            CompletionStage<CreateResult> write = viaProxy.create(root + "/w", NO_DATA, OPEN, CreateMode.PERSISTENT);
            Await.until("the requests to reach the proxy", () -> proxy.swallowedBytes() > 0);
            proxy.silence(false);
            proxy.dropAll();

            assertThat(failure(write)).isEqualTo(ErrorCode.CONNECTIONLOSS);
            assertThat(result(read).stat()).isNotNull(); // sent again on the next connection
            result(viaProxy.close());
        }
    }

    @Test
    void withoutRenewalAnExpiredClientEndsAndItsStreamsFail() throws Exception {
        ZkClient doomed = connect(server.connectString(), settings());
        CompletionStage<List<SessionEvent>> sessionEvents = doomed.sessionEvents().runWith(Sink.seq(), testKit.system());
        Pair<CompletionStage<Done>, CompletionStage<Done>> watch =
            doomed.watch(root, AddWatchMode.PERSISTENT).toMat(Sink.ignore(), Keep.both()).run(testKit.system());
        result(watch.first());

        server.expire(doomed.sessionId());
        assertThat(nextState(states)).isEqualTo(SessionEvent.State.DISCONNECTED);
        assertThat(nextState(states)).isEqualTo(SessionEvent.State.EXPIRED);
        assertThat(result(sessionEvents)).extracting(SessionEvent::state)
            .containsExactly(SessionEvent.State.DISCONNECTED, SessionEvent.State.EXPIRED);
        assertThat(failure(watch.second())).isEqualTo(ErrorCode.SESSIONEXPIRED);
        assertThat(failure(doomed.exists(root, false))).isEqualTo(ErrorCode.SESSIONEXPIRED);
    }

    @Test
    void withRenewalAnExpiredClientGetsANewSessionAndRecreatesWhatItOwns() throws Exception {
        ZkClient renewing = connect(server.connectString(), settings().withRenewSessionOnExpiry(true));
        String member = root + "/member";
        renewing.onNewSession(zk -> zk.create(member, NO_DATA, OPEN, CreateMode.EPHEMERAL));
        result(renewing.create(member, NO_DATA, OPEN, CreateMode.EPHEMERAL));
        long first = renewing.sessionId();

        server.expire(first);
        assertThat(nextState(states)).isEqualTo(SessionEvent.State.DISCONNECTED);
        assertThat(next(states)).extracting(SessionEvent::state, SessionEvent::sessionId)
            .containsExactly(SessionEvent.State.EXPIRED, first);
        CompletionStage<Stat> inTheGap = renewing.exists(root, false); // waits for the new session
        SessionEvent connected = next(states);
        assertThat(connected.state()).isEqualTo(SessionEvent.State.CONNECTED);
        assertThat(connected.sessionId()).isNotEqualTo(first).isEqualTo(renewing.sessionId());

        assertThat(result(inTheGap)).isNotNull();
        Await.until("the hook to create the ephemeral again", () -> ownerOf(member) == connected.sessionId());
        result(renewing.close());
        assertThat(result(client.exists(member, false))).isNull();
    }

    private long ownerOf(String path) {
        Stat stat = client.exists(path, false).toCompletableFuture().join();
        return stat == null ? 0 : stat.ephemeralOwner();
    }
}
