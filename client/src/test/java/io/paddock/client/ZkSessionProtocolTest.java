package io.paddock.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.KeeperState;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.ExistsResponse;
import io.paddock.protocol.proto.ReplyHeader;
import io.paddock.protocol.proto.RequestHeader;
import io.paddock.protocol.proto.SyncResponse;
import io.paddock.protocol.proto.WatcherEvent;
import java.time.Duration;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session against a scripted server, for what a real server never does. */
class ZkSessionProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SESSION = 0x1234_5678L;
    private static final byte[] PASSWORD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final Stat STAT = new Stat(1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11);

    private static ActorTestKit testKit;
    private FakeServer server;
    private TestProbe<WatchEvent> watches;
    private TestProbe<SessionEvent> states;
    private ActorRef<ZkSession.Command> session;

    @BeforeAll
    static void startTestKit() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stopTestKit() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void startSession() throws Exception {
        server = FakeServer.start();
        watches = testKit.createTestProbe();
        states = testKit.createTestProbe();
        session = testKit.spawn(ZkSession.create(server.connectString(),
            ZkClientSettings.create(testKit.system()).withSessionTimeout(Duration.ofSeconds(3)), watches.getRef(),
            states.getRef()));
    }

    @AfterEach
    void stopSession() throws Exception {
        testKit.stop(session);
        server.close();
    }

    private FakeServer.Peer handshake(int timeoutMs) throws Exception {
        FakeServer.Peer peer = server.accept();
        peer.readConnectRequest();
        peer.acceptSession(timeoutMs, SESSION, PASSWORD);
        expectState(SessionEvent.State.CONNECTED);
        return peer;
    }

    private SessionEvent expectState(SessionEvent.State state) {
        SessionEvent event = states.expectMessageClass(SessionEvent.class, WAIT);
        assertThat(event.state()).isEqualTo(state);
        return event;
    }

    private <R> TestProbe<StatusReply<R>> send(ZkRequest<R> request) {
        TestProbe<StatusReply<R>> replies = testKit.createTestProbe();
        session.tell(new ZkSession.Execute<>(request, replies.getRef()));
        return replies;
    }

    private static ErrorCode failureOf(StatusReply<?> reply) {
        assertThat(reply.isError()).as("%s", reply).isTrue();
        return ((KeeperException) reply.getError()).code();
    }

    @Test
    void sendsTheHandshakeOfA35ClientAndKeepsTheGrantedTimeout() throws Exception {
        FakeServer.Peer peer = server.accept();
        ConnectRequest hello = peer.readConnectRequest();
        assertThat(hello.protocolVersion()).isZero();
        assertThat(hello.lastZxidSeen()).isZero();
        assertThat(hello.timeOut()).isEqualTo(3000);
        assertThat(hello.sessionId()).isZero();
        assertThat(hello.passwd()).isEqualTo(new byte[16]);
        assertThat(hello.readOnlySent()).isTrue();
        assertThat(hello.readOnly()).isFalse();

        peer.acceptSession(1500, SESSION, PASSWORD);
        SessionEvent connected = expectState(SessionEvent.State.CONNECTED);
        assertThat(connected.sessionId()).isEqualTo(SESSION);
        assertThat(connected.negotiatedTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void requestsSentBeforeTheHandshakeGoOutInOrderAndEventsArriveBetweenReplies() throws Exception {
        TestProbe<StatusReply<String>> first = send(new ZkRequest.Sync("/a"));
        TestProbe<StatusReply<Stat>> second = send(new ZkRequest.Exists("/b", true));
        FakeServer.Peer peer = handshake(3000);

        RequestHeader h1 = peer.readRequest();
        RequestHeader h2 = peer.readRequest();
        assertThat(h1.type()).isEqualTo(OpCode.SYNC);
        assertThat(h2.type()).isEqualTo(OpCode.EXISTS);
        assertThat(h2.xid()).isEqualTo(h1.xid() + 1);

        peer.send(new ReplyHeader(h1.xid(), 0x100, 0), new SyncResponse("/a"));
        peer.send(new ReplyHeader(-1, 0x101, 0),
            new WatcherEvent(EventType.NODE_CREATED.code(), KeeperState.SYNC_CONNECTED.code(), "/x"));
        peer.send(new ReplyHeader(h2.xid(), 0x101, 0), new ExistsResponse(STAT));

        assertThat(first.receiveMessage(WAIT)).isEqualTo(StatusReply.success("/a"));
        watches.expectMessage(WAIT, new WatchEvent(EventType.NODE_CREATED, "/x", 0x101));
        assertThat(second.receiveMessage(WAIT)).isEqualTo(StatusReply.success(STAT));
    }

    @Test
    void aReplyOutOfOrderDropsTheConnectionAndTheSessionReattaches() throws Exception {
        FakeServer.Peer peer = handshake(3000);
        TestProbe<StatusReply<String>> sync = send(new ZkRequest.Sync("/"));
        RequestHeader h = peer.readRequest();
        peer.send(new ReplyHeader(h.xid(), 0x5_0000_0007L, 0), new SyncResponse("/"));
        sync.receiveMessage(WAIT);

        TestProbe<StatusReply<Stat>> exists = send(new ZkRequest.Exists("/", false));
        h = peer.readRequest();
        peer.send(new ReplyHeader(h.xid() + 1, 0x5_0000_0009L, 0), new ExistsResponse(STAT));

        assertThat(failureOf(exists.receiveMessage(WAIT))).isEqualTo(ErrorCode.CONNECTIONLOSS);
        expectState(SessionEvent.State.DISCONNECTED);
        assertThat(peer.closedByClient()).isTrue();

        ConnectRequest again = server.accept().readConnectRequest();
        assertThat(again.sessionId()).isEqualTo(SESSION);
        assertThat(again.passwd()).isEqualTo(PASSWORD);
        assertThat(again.lastZxidSeen()).isEqualTo(0x5_0000_0007L); // the rejected reply's zxid is not trusted
    }

    @Test
    void aFrameAboveTheLimitDropsTheConnection() throws Exception {
        FakeServer.Peer peer = handshake(3000);
        TestProbe<StatusReply<Stat>> exists = send(new ZkRequest.Exists("/", false));
        peer.readRequest();
        peer.sendLength(FrameDecoder.maxFrame(ZkClientSettings.create(testKit.system()).juteMaxBuffer()) + 1);

        assertThat(failureOf(exists.receiveMessage(WAIT))).isEqualTo(ErrorCode.CONNECTIONLOSS);
        expectState(SessionEvent.State.DISCONNECTED);
        assertThat(peer.closedByClient()).isTrue();
    }

    @Test
    void theSettingsShapeTheHandshakeTheWindowAndTheFrameLimit() throws Exception {
        FakeServer.Peer old = handshake(3000);
        testKit.stop(session); // this test wants its own settings
        states.expectTerminated(session, WAIT);
        assertThat(old.closedByClient()).isTrue();
        ZkClientSettings settings = ZkClientSettings.create(testKit.system()).withSessionTimeout(Duration.ofSeconds(3))
            .withCanBeReadOnly(true).withMaxInFlight(2).withJuteMaxBuffer(1000);
        session = testKit.spawn(ZkSession.create(server.connectString(), settings, watches.getRef(), states.getRef()));
        FakeServer.Peer peer = server.accept();
        assertThat(peer.readConnectRequest().readOnly()).isTrue();
        peer.acceptSession(3000, SESSION, PASSWORD);
        expectState(SessionEvent.State.CONNECTED);

        TestProbe<StatusReply<String>> first = send(new ZkRequest.Sync("/1"));
        send(new ZkRequest.Sync("/2"));
        send(new ZkRequest.Sync("/3"));
        session.tell(new ZkSession.AddAuth("digest", new byte[0], testKit.<StatusReply<Done>>createTestProbe().getRef()));
        RequestHeader one = peer.readRequest();
        assertThat(peer.readRequest().xid()).isEqualTo(one.xid() + 1);
        // the third request waits for room; the auth packet, sent after it, overtakes it
        assertThat(peer.readRequest().type()).isEqualTo(OpCode.AUTH);
        peer.send(new ReplyHeader(one.xid(), 1, 0), new SyncResponse("/1"));
        assertThat(first.receiveMessage(WAIT)).isEqualTo(StatusReply.success("/1"));
        assertThat(peer.readRequest().xid()).isEqualTo(one.xid() + 2);

        peer.sendLength(1000 + FrameDecoder.HEADER_ROOM + 1);
        expectState(SessionEvent.State.DISCONNECTED);
        assertThat(peer.closedByClient()).isTrue();
    }

    @Test
    void pingsWhenIdleAndLeavesAServerThatStopsAnswering() throws Exception {
        FakeServer.Peer peer = handshake(600);
        long connectedAt = System.nanoTime();
        RequestHeader ping = peer.readRequest();
        long idleMs = (System.nanoTime() - connectedAt) / 1_000_000;
        assertThat(ping).isEqualTo(new RequestHeader(-2, OpCode.PING));
        assertThat(idleMs).as("ping after a third of the timeout").isGreaterThanOrEqualTo(150);
        peer.send(new ReplyHeader(-2, 0, 0));

        // no more answers: after 2/3 of the timeout without a byte, the client reconnects
        expectState(SessionEvent.State.DISCONNECTED);
        assertThat(server.accept().readConnectRequest().sessionId()).isEqualTo(SESSION);
    }

    @Test
    void aRefusedReattachMeansExpiredAndFailsWhatWaited() throws Exception {
        FakeServer.Peer peer = handshake(3000);
        peer.close();
        expectState(SessionEvent.State.DISCONNECTED);

        FakeServer.Peer second = server.accept();
        assertThat(second.readConnectRequest().sessionId()).isEqualTo(SESSION);
        TestProbe<StatusReply<Stat>> waiting = send(new ZkRequest.Exists("/", false));
        second.acceptSession(0, 0, new byte[16]); // how a server says the session is gone

        assertThat(expectState(SessionEvent.State.EXPIRED).sessionId()).isEqualTo(SESSION);
        assertThat(failureOf(waiting.receiveMessage(WAIT))).isEqualTo(ErrorCode.SESSIONEXPIRED);
        states.expectTerminated(session, WAIT);
    }

    @Test
    void closeSendsCloseSessionAfterEarlierRequestsAndRejectsLaterOnes() throws Exception {
        FakeServer.Peer peer = handshake(3000);
        TestProbe<StatusReply<String>> before = send(new ZkRequest.Sync("/"));
        TestProbe<Done> closed = testKit.createTestProbe();
        session.tell(new ZkSession.Close(closed.getRef()));
        TestProbe<StatusReply<String>> after = send(new ZkRequest.Sync("/"));

        assertThat(failureOf(after.receiveMessage(WAIT))).isEqualTo(ErrorCode.SESSIONEXPIRED);
        RequestHeader sync = peer.readRequest();
        RequestHeader close = peer.readRequest();
        assertThat(sync.type()).isEqualTo(OpCode.SYNC);
        assertThat(close).isEqualTo(new RequestHeader(sync.xid() + 1, OpCode.CLOSE_SESSION));
        peer.send(new ReplyHeader(sync.xid(), 1, 0), new SyncResponse("/"));
        peer.send(new ReplyHeader(close.xid(), 2, 0));

        assertThat(before.receiveMessage(WAIT)).isEqualTo(StatusReply.success("/"));
        closed.expectMessage(WAIT, Done.getInstance());
        expectState(SessionEvent.State.CLOSED);
        states.expectTerminated(session, WAIT);
    }
}
