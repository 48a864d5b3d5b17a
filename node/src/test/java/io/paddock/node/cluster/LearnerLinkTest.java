package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.config.ServerSpec;
import io.paddock.node.LoopbackPorts;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A learner session's link to its leader's election port: messages both ways, in order; its end
 * reported once the leader's ActorSystem (in production: its process) is gone, never after the
 * learner closed it, and never when it could not be opened; and a peer that breaks the framing
 * rules loses its link, nothing else.
 */
class LearnerLinkTest {
    private static final long MAX_FRAME = 1 << 20;
    private static final Duration CONNECT = Duration.ofSeconds(5);

    private final ActorTestKit leader = ActorTestKit.create("leader");
    private final ActorTestKit learner = ActorTestKit.create("learner");
    /** The learner node's own links, from which it opens its link to the leader. */
    private final LearnerLink.Listener learnerSide = LearnerLink.listen(learner.system(), "127.0.0.1", LoopbackPorts.free(),
        MAX_FRAME, id -> null);
    private final BlockingQueue<Object> atLeader = new LinkedBlockingQueue<>();
    /** The leader's side of each link, by session, as its first message showed it. */
    private final Map<Long, LearnerLink.Link> leaderSides = new ConcurrentHashMap<>();

    @AfterEach
    void shutdown() {
        learner.shutdownTestKit();
        leader.shutdownTestKit();
    }

    private static ServerSpec server(int electionPort) {
        return new ServerSpec(1, "127.0.0.1", 1, electionPort, ServerSpec.Role.PARTICIPANT, null);
    }

    /** A listener whose learners' messages and ends are queued in {@link #atLeader}. */
    private LearnerLink.Listener listen(ServerSpec spec) throws Exception {
        LearnerLink.Listener listener = LearnerLink.listen(leader.system(), spec.host(), spec.electionPort(), MAX_FRAME,
            id -> id < 10 ? new Address("pekko", "paddock", "127.0.0.1", (int) id) : null);
        listener.bound().toCompletableFuture().get(10, TimeUnit.SECONDS);
        listener.receiveWith(new LearnerLink.Receiver() {
            @Override
            public void received(LearnerLink.Link link, LearnerMessage message) {
                leaderSides.put(link.session(), link);
                atLeader.add(message);
            }

            @Override
            public void lost(LearnerLink.Link link) {
                atLeader.add("lost " + link.learner() + "/" + link.session());
            }
        });
        return listener;
    }

    private LearnerLink.Link connect(ServerSpec spec, long session, BlockingQueue<LearnerMessage> received, Runnable lost)
        throws Exception {
        return learnerSide.connect(spec, 2, session, CONNECT, received::add, lost)
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void messagesGoBothWaysInOrderAndTheirLinkAnswers() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        BlockingQueue<LearnerMessage> atLearner = new LinkedBlockingQueue<>();
        LearnerLink.Link link = connect(spec, 7, atLearner, () -> { });
        link.send(new LearnerMessage.FollowerInfo(2, 7, 1, 3, 0x3_0000_0005L, false));
        for (int seq = 2; seq <= 100; seq++) {
            link.send(new LearnerMessage.Ack(2, 7, seq, seq));
        }
        assertThat(atLeader.poll(10, TimeUnit.SECONDS)).isEqualTo(new LearnerMessage.FollowerInfo(2, 7, 1, 3, 0x3_0000_0005L, false));
        for (int seq = 2; seq <= 100; seq++) {
            assertThat(atLeader.poll(10, TimeUnit.SECONDS)).isEqualTo(new LearnerMessage.Ack(2, 7, seq, seq));
        }
        Txn txn = new Txn(0x3_0000_0006L, 9, 1, 0, new TxnOp.SetDataTxn("/a", new byte[] {1, 2}, 1));
        leaderSides.get(7L).send(new LearnerMessage.Proposal(1, 7, 1, List.of(txn)));
        LearnerMessage back = atLearner.poll(10, TimeUnit.SECONDS);
        assertThat(back).isInstanceOf(LearnerMessage.Proposal.class);
        assertThat(((LearnerMessage.Proposal) back).txns()).singleElement().usingRecursiveComparison().isEqualTo(txn);
    }

    @Test
    void theEndOfTheLeadersSystemIsReportedAtOnceUnlessTheLinkWasClosedHere() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        CountDownLatch watchedLost = new CountDownLatch(1);
        CountDownLatch closedLost = new CountDownLatch(1);
        connect(spec, 1, new LinkedBlockingQueue<>(), watchedLost::countDown);
        LearnerLink.Link closed = connect(spec, 2, new LinkedBlockingQueue<>(), closedLost::countDown);
        closed.close();

        long stopped = System.nanoTime();
        leader.shutdownTestKit();
        assertThat(watchedLost.await(10, TimeUnit.SECONDS)).as("the leader's end reported").isTrue();
        System.out.printf("the end of the leader's system reported %d ms after its shutdown began%n",
            (System.nanoTime() - stopped) / 1_000_000);
        assertThat(closedLost.getCount()).as("a link closed here is not reported").isEqualTo(1);
    }

    @Test
    void aStoppingLeaderEndsItsLinksBeforeItsSystemEnds() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        LearnerLink.Listener listener = listen(spec);
        CountDownLatch lost = new CountDownLatch(1);
        connect(spec, 1, new LinkedBlockingQueue<>(), lost::countDown);

        listener.close();
        assertThat(lost.await(10, TimeUnit.SECONDS)).as("the closed link reported while the leader's system runs").isTrue();
        assertThat(leader.system().getWhenTerminated().toCompletableFuture().isDone()).isFalse();
        assertThatThrownBy(() -> connect(spec, 2, new LinkedBlockingQueue<>(), () -> { }))
            .as("no new link once closed").isInstanceOf(ExecutionException.class);
    }

    @Test
    void aLinkThatCannotBeOpenedReportsNothing() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        assertThatThrownBy(() -> connect(server(LoopbackPorts.free()), 1, new LinkedBlockingQueue<>(), lost::countDown))
            .isInstanceOf(ExecutionException.class);
        learner.shutdownTestKit();
        assertThat(lost.getCount()).isEqualTo(1);
    }

    @Test
    void aFrameAboveTheLimitEndsTheLinkAndNothingElse() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        try (Socket socket = hello(spec, 3, 9)) {
            new DataOutputStream(socket.getOutputStream()).writeInt((int) MAX_FRAME + 1);
            assertThat(atLeader.poll(10, TimeUnit.SECONDS)).isEqualTo("lost 3/9");
            assertClosed(socket);
        }
        // the listener takes the next learner as before
        BlockingQueue<LearnerMessage> atLearner = new LinkedBlockingQueue<>();
        connect(spec, 10, atLearner, () -> { }).send(new LearnerMessage.Ack(2, 10, 1, 1));
        assertThat(atLeader.poll(10, TimeUnit.SECONDS)).isEqualTo(new LearnerMessage.Ack(2, 10, 1, 1));
    }

    @Test
    void aMessageOfAnotherSessionOrServerEndsTheLink() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        connect(spec, 4, new LinkedBlockingQueue<>(), () -> { }).send(new LearnerMessage.Ack(2, 5, 1, 1));
        assertThat(atLeader.poll(10, TimeUnit.SECONDS)).isEqualTo("lost 2/4");
        connect(spec, 6, new LinkedBlockingQueue<>(), () -> { }).send(new LearnerMessage.Ack(3, 6, 1, 1));
        assertThat(atLeader.poll(10, TimeUnit.SECONDS)).isEqualTo("lost 2/6");
    }

    @Test
    void aCutLinkCarriesNothingUntilHealed() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        LearnerLink.Link link = connect(spec, 11, new LinkedBlockingQueue<>(), () -> { });
        // cut at the learner's end, where a send checks the cut at once (the leader's end checks each message it reads)
        LinkCuts.get(learner.system()).cut(PeerAddresses.address(spec));
        link.send(new LearnerMessage.Ack(2, 11, 1, 1));
        assertThatThrownBy(() -> connect(spec, 12, new LinkedBlockingQueue<>(), () -> { }))
            .as("no new link across the cut").isInstanceOf(ExecutionException.class);
        LinkCuts.get(learner.system()).heal(PeerAddresses.address(spec));
        link.send(new LearnerMessage.Ack(2, 11, 2, 2));
        assertThat(atLeader.poll(10, TimeUnit.SECONDS)).as("the message sent during the cut is lost")
            .isEqualTo(new LearnerMessage.Ack(2, 11, 2, 2));
    }

    @Test
    void aServerOutsideTheConfigurationGetsNoLink() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        assertThatThrownBy(() -> learnerSide.connect(spec, 99, 1, CONNECT, m -> { }, () -> { })
            .toCompletableFuture().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void aConnectionThatIsNotALearnersLinkIsClosed() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        try (Socket socket = new Socket(spec.host(), spec.electionPort())) {
            new DataOutputStream(socket.getOutputStream()).writeInt(0x47455420); // "GET "
            socket.getOutputStream().write(new byte[16]);
            assertClosed(socket);
        }
        assertThat(atLeader).isEmpty();
    }

    /** A learner of an older build: the leader answers with its own version, so the learner can say why, and closes. */
    @Test
    void aLearnerOfAnotherVersionIsAnsweredWithThisLeadersVersionAndRefused() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        try (Socket socket = new Socket(spec.host(), spec.electionPort())) {
            DataOutputStream hello = new DataOutputStream(socket.getOutputStream());
            hello.writeInt(LearnerLink.MAGIC - 1);
            hello.writeLong(2);
            hello.writeLong(40);
            socket.setSoTimeout(10_000);
            assertThat(new DataInputStream(socket.getInputStream()).readInt()).isEqualTo(LearnerLink.MAGIC);
            assertClosed(socket);
        }
        assertThat(atLeader).isEmpty();
    }

    @Test
    void aLeaderOfAnotherVersionIsNamedWhenTheLinkIsRefused() throws Exception {
        assertThat(helloAnsweredBy(out -> out.writeInt(LearnerLink.MAGIC - 1)))
            .contains("server 1 speaks learner-link version " + (LearnerLink.VERSION - 1))
            .contains("this node version " + LearnerLink.VERSION)
            .contains("same Paddock build");
    }

    /** An older leader closes at a hello it does not know, without an answer. */
    @Test
    void aLeaderThatClosesAtTheHelloMayRunAnotherBuild() throws Exception {
        assertThat(helloAnsweredBy(out -> { }))
            .contains("server 1 closed the link at its hello")
            .contains("another Paddock build");
    }

    private interface Answer {
        void write(DataOutputStream out) throws java.io.IOException;
    }

    /** Why a link to a fake leader that reads the hello and answers {@code answer} fails. */
    private String helloAnsweredBy(Answer answer) throws Exception {
        try (java.net.ServerSocket fake = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread leaderThread = new Thread(() -> {
                try (Socket socket = fake.accept()) {
                    new DataInputStream(socket.getInputStream()).readFully(new byte[20]);
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                    answer.write(out);
                    out.flush();
                } catch (java.io.IOException e) {
                    // the test fails on its own assertion
                }
            });
            leaderThread.start();
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connect(server(fake.getLocalPort()), 41, new LinkedBlockingQueue<>(), () -> { }));
            leaderThread.join(10_000);
            return failed.getCause().getMessage();
        }
    }

    /**
     * A leader that answers the hello and then reads nothing (a stopped process, a stalled network):
     * once the socket's buffers are full and {@link LearnerLink#MAX_QUEUED} messages wait, the link
     * ends at once, and its end is reported, so the session ends and the learner looks for a leader
     * again. (It used to queue an orderly close behind the writer that the full socket blocked, and
     * never ended.)
     */
    @Test
    void aPeerThatReadsNothingEndsTheLinkOnceTheQueueIsFull() throws Exception {
        try (java.net.ServerSocket stalled = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ServerSpec spec = server(stalled.getLocalPort());
            Thread answer = new Thread(() -> {
                try {
                    Socket socket = stalled.accept();
                    new DataInputStream(socket.getInputStream()).readFully(new byte[4 + 8 + 8]);
                    new DataOutputStream(socket.getOutputStream()).writeInt(LearnerLink.MAGIC);
                    // and never reads again; closed with the server socket's test
                } catch (java.io.IOException e) {
                    // the test fails on its own assertion
                }
            });
            answer.setDaemon(true);
            answer.start();
            CountDownLatch lost = new CountDownLatch(1);
            LearnerLink.Link link = connect(spec, 21, new LinkedBlockingQueue<>(), lost::countDown);
            Txn txn = new Txn(0x1_0000_0001L, 9, 1, 0, new TxnOp.SetDataTxn("/a", new byte[16 * 1024], 1));
            LearnerMessage.Proposal proposal = new LearnerMessage.Proposal(2, 21, 1, List.of(txn));
            for (int i = 0; i < LearnerLink.MAX_QUEUED + 10_000 && lost.getCount() > 0; i++) {
                link.send(proposal);
            }
            assertThat(lost.await(10, TimeUnit.SECONDS)).as("the link's end reported").isTrue();
        }
    }

    /**
     * Connections that never say hello (a port scanner, a flood) each hold a thread for up to the
     * hello's 5 s: beyond {@link LearnerLink#MAX_HELLOS} of them a new one is closed at once, and
     * once they go, learners get their links again.
     */
    @Test
    void connectionsWaitingToSayHelloAreBounded() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        listen(spec);
        List<Socket> silent = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < LearnerLink.MAX_HELLOS; i++) {
                silent.add(new Socket(spec.host(), spec.electionPort()));
            }
            // the listener takes them in order: one more is closed without waiting for its hello, so
            // while the first, whose hello's time runs out first, is still open
            try (Socket oneMore = new Socket(spec.host(), spec.electionPort())) {
                assertClosed(oneMore);
                Socket first = silent.get(0);
                first.setSoTimeout(1);
                assertThatThrownBy(() -> first.getInputStream().read()).as("the first silent connection is still open")
                    .isInstanceOf(java.net.SocketTimeoutException.class);
            }
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
        BlockingQueue<LearnerMessage> atLearner = new LinkedBlockingQueue<>();
        leader.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> connect(spec, 30, atLearner, () -> { }));
    }

    /** A raw connection that has said hello as learner {@code learner} of session {@code session}. */
    private static Socket hello(ServerSpec spec, long learner, long session) throws Exception {
        Socket socket = new Socket(spec.host(), spec.electionPort());
        socket.setSoTimeout(10_000);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(LearnerLink.MAGIC);
        out.writeLong(learner);
        out.writeLong(session);
        assertThat(new DataInputStream(socket.getInputStream()).readInt()).isEqualTo(LearnerLink.MAGIC);
        return socket;
    }

    private static void assertClosed(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThatThrownBy(() -> {
            while (true) {
                in.readByte();
            }
        }).isInstanceOfAny(EOFException.class, java.net.SocketException.class);
    }
}
