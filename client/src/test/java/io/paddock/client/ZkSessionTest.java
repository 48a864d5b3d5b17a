package io.paddock.client;

import static io.paddock.client.Await.result;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Stat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The session actor, driven with probes, against Apache ZooKeeper 3.9.5 (through proxies where a test cuts the network). */
class ZkSessionTest {
    private static final byte[] NO_DATA = new byte[0];
    private static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;
    private static ReferenceServer server;
    private static ActorTestKit testKit;
    /** Makes changes from outside, on a direct connection that the tests never cut. */
    private static ZkClient other;

    private String root;

    @BeforeAll
    static void startServer() throws Exception {
        server = ReferenceServer.start(dataDir);
        testKit = ActorTestKit.create();
        other = result(ZkClient.connect(testKit.system(), server.connectString(), Duration.ofSeconds(4)));
    }

    @AfterAll
    static void stopServer() throws Exception {
        result(other.close());
        testKit.shutdownTestKit();
        server.close();
    }

    @BeforeEach
    void createRoot(TestInfo test) throws Exception {
        root = "/" + test.getTestMethod().orElseThrow().getName();
        result(other.create(root, NO_DATA, OPEN, CreateMode.PERSISTENT));
    }

    /** A session actor with probes for its watch and session events. */
    private record Session(ActorRef<ZkSession.Command> ref, TestProbe<WatchEvent> watches,
                           TestProbe<SessionEvent> states) {

        SessionEvent expectState(SessionEvent.State state) {
            SessionEvent event = states.expectMessageClass(SessionEvent.class, WAIT);
            assertThat(event.state()).isEqualTo(state);
            return event;
        }

        <R> StatusReply<R> ask(ZkRequest<R> request) {
            TestProbe<StatusReply<R>> replies = testKit.createTestProbe();
            ref.tell(new ZkSession.Execute<>(request, replies.getRef()));
            return replies.receiveMessage(WAIT);
        }

        <R> R call(ZkRequest<R> request) {
            StatusReply<R> reply = ask(request);
            assertThat(reply.isSuccess()).as("%s", reply).isTrue();
            return reply.getValue();
        }

        void close() {
            TestProbe<Done> done = testKit.createTestProbe();
            ref.tell(new ZkSession.Close(done.getRef()));
            done.expectMessage(WAIT, Done.getInstance());
            expectState(SessionEvent.State.CLOSED);
            states.expectTerminated(ref, WAIT);
        }
    }

    private static Session start(String connectString, Duration timeout) {
        TestProbe<WatchEvent> watches = testKit.createTestProbe();
        TestProbe<SessionEvent> states = testKit.createTestProbe();
        ZkClientSettings settings = ZkClientSettings.create(testKit.system()).withSessionTimeout(timeout);
        ActorRef<ZkSession.Command> ref = testKit.spawn(
            ZkSession.create(connectString, settings, watches.getRef(), states.getRef()));
        return new Session(ref, watches, states);
    }

    private static ErrorCode failureOf(StatusReply<?> reply) {
        assertThat(reply.isError()).as("%s", reply).isTrue();
        return ((KeeperException) reply.getError()).code();
    }

    @Test
    void answersRequestsDeliversWatchesAndClosesWithItsEphemerals() throws Exception {
        Session s = start(server.connectString(), Duration.ofSeconds(2));
        SessionEvent connected = s.expectState(SessionEvent.State.CONNECTED);
        assertThat(connected.negotiatedTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(connected.server().getPort()).isEqualTo(server.port());

        CreateResult eph = s.call(new ZkRequest.Create(root + "/eph", NO_DATA, OPEN, CreateMode.EPHEMERAL, 0));
        assertThat(eph.stat().ephemeralOwner()).isEqualTo(connected.sessionId());
        s.call(new ZkRequest.GetData(root + "/eph", true));
        assertThat(failureOf(s.ask(new ZkRequest.GetData(root + "/none", true)))).isEqualTo(ErrorCode.NONODE);

        Stat changed = result(other.setData(root + "/eph", "x".getBytes(UTF_8), -1));
        s.watches.expectMessage(WAIT, new WatchEvent(EventType.NODE_DATA_CHANGED, root + "/eph", changed.mzxid()));

        s.close();
        assertThat(result(other.exists(root + "/eph", false))).isNull();
    }

    @Test
    void idleSessionIsKeptAliveByPings() throws Exception {
        Session s = start(server.connectString(), Duration.ofMillis(600));
        long id = s.expectState(SessionEvent.State.CONNECTED).sessionId();
        s.call(new ZkRequest.Create(root + "/eph", NO_DATA, OPEN, CreateMode.EPHEMERAL, 0));

        // four session timeouts with no request: only pings keep the session
        s.states.expectNoMessage(Duration.ofMillis(2400));
        assertThat(result(other.exists(root + "/eph", false)).ephemeralOwner()).isEqualTo(id);
        s.close();
    }

    @Test
    void reattachesAfterTheServerDropsTheConnectionWithWatchesAndCredentials() throws Exception {
        Session s = start(server.connectString(), Duration.ofSeconds(3));
        long id = s.expectState(SessionEvent.State.CONNECTED).sessionId();
        s.call(new ZkRequest.Create(root + "/node", NO_DATA, OPEN, CreateMode.PERSISTENT, 0));
        s.call(new ZkRequest.GetData(root + "/node", true));
        s.call(new ZkRequest.GetChildren(root, true));
        assertThat(s.call(new ZkRequest.Exists(root + "/later", true))).isNull();
        s.call(new ZkRequest.AddWatch(root + "/tree", AddWatchMode.PERSISTENT_RECURSIVE));
        TestProbe<StatusReply<Done>> authed = testKit.createTestProbe();
        s.ref.tell(new ZkSession.AddAuth("digest", "bob:pw".getBytes(UTF_8), authed.getRef()));
        assertThat(authed.receiveMessage(WAIT)).isEqualTo(StatusReply.ack());

        server.dropConnection(id);
        assertThat(s.expectState(SessionEvent.State.DISCONNECTED).sessionId()).isEqualTo(id);
        assertThat(s.expectState(SessionEvent.State.CONNECTED).sessionId()).isEqualTo(id);

        // the watches were set again on the new connection (if this write overtakes SetWatches2,
        // which travels on another connection, the server fires the watch from SetWatches2 with zxid -1)
        result(other.setData(root + "/node", "x".getBytes(UTF_8), -1));
        WatchEvent changed = s.watches.expectMessageClass(WatchEvent.class, WAIT);
        assertThat(changed.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        assertThat(changed.path()).isEqualTo(root + "/node");
        CreateResult later = result(other.create(root + "/later", NO_DATA, OPEN, CreateMode.PERSISTENT));
        List<WatchEvent> creation = s.watches.receiveSeveralMessages(2, WAIT);
        assertThat(creation).containsExactlyInAnyOrder(
            new WatchEvent(EventType.NODE_CREATED, root + "/later", later.stat().czxid()),
            new WatchEvent(EventType.NODE_CHILDREN_CHANGED, root, later.stat().czxid()));
        CreateResult tree = result(other.create(root + "/tree", NO_DATA, OPEN, CreateMode.PERSISTENT));
        s.watches.expectMessage(WAIT, new WatchEvent(EventType.NODE_CREATED, root + "/tree", tree.stat().czxid()));
        // and the credential was sent again
        assertThat(s.call(new ZkRequest.WhoAmI())).contains(new ClientInfo("digest", "bob"));
        s.close();
    }

    @Test
    void requestsInFlightWhenTheConnectionDiesFailWithConnectionLoss() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(server.port())) {
            Session s = start(proxy.address(), Duration.ofSeconds(3));
            long id = s.expectState(SessionEvent.State.CONNECTED).sessionId();
            TestProbe<StatusReply<Stat>> reply = testKit.createTestProbe();

            proxy.silence(true);
            s.ref.tell(new ZkSession.Execute<>(new ZkRequest.Exists(root, false), reply.getRef()));
            Await.until("the request to reach the proxy", () -> proxy.swallowedBytes() > 0);
            proxy.silence(false);
            proxy.dropAll();

            assertThat(failureOf(reply.receiveMessage(WAIT))).isEqualTo(ErrorCode.CONNECTIONLOSS);
            s.expectState(SessionEvent.State.DISCONNECTED);
            assertThat(s.expectState(SessionEvent.State.CONNECTED).sessionId()).isEqualTo(id);
            assertThat(s.call(new ZkRequest.Exists(root, false))).isNotNull();
            s.close();
        }
    }

    @Test
    void aSilentServerIsLeftForTheNextOne() throws Exception {
        try (TcpProxy a = TcpProxy.start(server.port()); TcpProxy b = TcpProxy.start(server.port())) {
            Session s = start(a.address() + "," + b.address(), Duration.ofMillis(1200));
            SessionEvent first = s.expectState(SessionEvent.State.CONNECTED);
            TcpProxy current = first.server().getPort() == a.port() ? a : b;
            TcpProxy spare = current == a ? b : a;

            current.silence(true); // pings go unanswered: 2/3 of the timeout later the client gives up
            s.expectState(SessionEvent.State.DISCONNECTED);
            SessionEvent again = s.expectState(SessionEvent.State.CONNECTED);
            assertThat(again.sessionId()).isEqualTo(first.sessionId());
            assertThat(again.server().getPort()).isEqualTo(spare.port());
            s.close();
        }
    }

    @Test
    void watchesMissedWhileDisconnectedFireOnReattach() throws Exception {
        result(other.create(root + "/m", NO_DATA, OPEN, CreateMode.PERSISTENT));
        try (TcpProxy a = TcpProxy.start(server.port()); TcpProxy b = TcpProxy.start(server.port())) {
            Session s = start(a.address() + "," + b.address(), Duration.ofSeconds(3));
            s.expectState(SessionEvent.State.CONNECTED);
            s.call(new ZkRequest.GetData(root + "/m", true));

            a.refuse(true);
            b.refuse(true);
            a.dropAll();
            b.dropAll();
            s.expectState(SessionEvent.State.DISCONNECTED);
            result(other.setData(root + "/m", "while away".getBytes(UTF_8), -1));
            a.refuse(false);
            b.refuse(false);

            s.expectState(SessionEvent.State.CONNECTED);
            // SetWatches2 carries the last zxid seen, so the server fires the missed change at once
            WatchEvent missed = s.watches.expectMessageClass(WatchEvent.class, WAIT);
            assertThat(missed.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
            assertThat(missed.path()).isEqualTo(root + "/m");
            s.close();
        }
    }

    @Test
    void expiryIsReportedAndStopsTheSession() throws Exception {
        Session s = start(server.connectString(), Duration.ofSeconds(3));
        long id = s.expectState(SessionEvent.State.CONNECTED).sessionId();
        s.call(new ZkRequest.Create(root + "/eph", NO_DATA, OPEN, CreateMode.EPHEMERAL, 0));

        server.expire(id); // the server closes the connection; the reattach is refused
        s.expectState(SessionEvent.State.DISCONNECTED);
        assertThat(s.expectState(SessionEvent.State.EXPIRED).sessionId()).isEqualTo(id);
        s.states.expectTerminated(s.ref, WAIT);
        assertThat(result(other.exists(root + "/eph", false))).isNull();
    }

    @Test
    void aRejectedCredentialEndsTheSession() {
        Session s = start(server.connectString(), Duration.ofSeconds(3));
        s.expectState(SessionEvent.State.CONNECTED);
        TestProbe<StatusReply<Done>> authed = testKit.createTestProbe();
        s.ref.tell(new ZkSession.AddAuth("no-such-scheme", "x".getBytes(UTF_8), authed.getRef()));

        assertThat(failureOf(authed.receiveMessage(WAIT))).isEqualTo(ErrorCode.AUTHFAILED);
        s.expectState(SessionEvent.State.AUTH_FAILED);
        s.states.expectTerminated(s.ref, WAIT);
    }
}
