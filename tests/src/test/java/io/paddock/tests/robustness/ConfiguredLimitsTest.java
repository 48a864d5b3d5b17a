package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.protocol.CreateMode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.RequestHeader;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.PaddockExtension;
import io.paddock.tests.support.RawClient;
import io.paddock.tests.support.ZkClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limits a zoo.cfg sets are the limits the server enforces: {@code maxClientCnxns}
 * connections per client address (one more is closed at once, a closed one frees its slot) and
 * {@code jute.maxbuffer} bytes per request (a bigger one drops the connection, not the session).
 */
class ConfiguredLimitsTest {
    private static final int MAX_CNXNS = 4;
    private static final int MAX_BUFFER = 4096;

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.withConfig(Map.of(
        "maxClientCnxns", Integer.toString(MAX_CNXNS), "jute.maxbuffer", Integer.toString(MAX_BUFFER)));
    static HealthySession bystander;
    static int port;

    @BeforeAll
    static void connect() throws Exception {
        port = paddock.server().port();
        bystander = paddock.closeAfterAll(HealthySession.connect(paddock.connectString()));
    }

    @AfterEach
    void onlyTheBystanderIsLeft(TestInfo test) throws Exception {
        bystander.assertHealthy(test.getDisplayName());
        // srvr's own connection is the second one
        Await.until(Duration.ofSeconds(30), "every connection of " + test.getDisplayName() + " to be released",
            () -> FourLetter.connections(port) == 2);
    }

    @Test
    void confReportsTheConfiguredLimits() {
        String conf = FourLetter.ask(port, "conf");
        assertThat(conf).contains("maxClientCnxns=" + MAX_CNXNS + "\n").contains("jute.maxbuffer=" + MAX_BUFFER + "\n");
    }

    @Test
    void oneConnectionMoreThanMaxClientCnxnsIsClosedAndAClosedOneFreesItsSlot() throws Exception {
        // the bystander holds one slot
        RawClient[] held = new RawClient[MAX_CNXNS - 1];
        try {
            for (int i = 0; i < held.length; i++) {
                held[i] = RawClient.open(port);
                assertThat(held[i].connect().sessionId()).isNotZero();
            }
            try (RawClient extra = RawClient.open(port)) {
                // closed at once, before it sends anything, as ZooKeeper does
                assertThat(extra.readUntilClosed()).as("bytes sent to the connection over the limit").isEmpty();
            }
            try (RawClient extra = RawClient.open(port)) {
                extra.sendRaw(RawClient.frame(extra.connectPayload(0, 10_000, 0, null, true)));
                assertThat(extra.readUntilClosed()).isEmpty();
            }
            bystander.assertHealthy("connections over the limit");
            for (RawClient c : held) {
                assertThat(c.call(1, OpCode.EXISTS, new ExistsRequest("/", false)).err())
                    .as("a connection within the limit still works").isZero();
            }
            held[0].close();
            // its slot is free again once the server has seen the close
            Await.until(Duration.ofSeconds(30), "a new connection to get the freed slot", () -> {
                try (RawClient again = RawClient.open(port)) {
                    again.sendFrame(again.connectPayload(0, 10_000, 0, null, true));
                    byte[] rsp = again.readFrame();
                    return rsp != null && rsp.length == 37;
                }
            });
        } finally {
            for (RawClient c : held) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    @Test
    void theLimitIsPerClientAddress() throws Exception {
        RawClient[] held = new RawClient[MAX_CNXNS - 1];
        try {
            for (int i = 0; i < held.length; i++) {
                held[i] = RawClient.open(port);
                held[i].connect();
            }
            // 127.0.0.1 is full; 127.0.0.2 is another (loopback) address with slots of its own
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(5000);
                byte[] connect = RawClient.frame(RawClient.encode(
                    new io.paddock.protocol.proto.ConnectRequest(0, 0, 10_000, 0, new byte[16], false, true)));
                s.getOutputStream().write(connect);
                byte[] len = s.getInputStream().readNBytes(4);
                assertThat(len).as("a ConnectResponse to 127.0.0.2 while 127.0.0.1 is at its limit").hasSize(4);
            }
        } finally {
            for (RawClient c : held) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aRequestOverTheConfiguredJuteMaxBufferDropsTheConnectionNotTheSession() throws Exception {
        int overhead = RawClient.encode(new RequestHeader(2, OpCode.SET_DATA),
            new SetDataRequest("/small-limit-eph", new byte[0], -1)).length;
        try (RawClient c = RawClient.open(port)) {
            ConnectResponse session = c.connect();
            assertThat(c.call(1, OpCode.CREATE, new CreateRequest("/small-limit-eph", new byte[0], Acl.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL.flag())).err()).isZero();
            // exactly the limit is read and applied
            c.sendFrame(RawClient.encode(new RequestHeader(2, OpCode.SET_DATA),
                new SetDataRequest("/small-limit-eph", new byte[MAX_BUFFER - overhead], -1)));
            RawClient.Reply atLimit = c.nextReply();
            assertThat(atLimit).isNotNull();
            assertThat(atLimit.err()).isZero();
            // one byte more is not
            c.sendFrame(RawClient.encode(new RequestHeader(3, OpCode.SET_DATA),
                new SetDataRequest("/small-limit-eph", new byte[MAX_BUFFER - overhead + 1], -1)));
            assertThat(c.readUntilClosed()).as("reply to a request one byte over jute.maxbuffer").isEmpty();
            try (RawClient again = RawClient.open(port)) {
                ConnectResponse r = again.connect(0, session.sessionId(), session.passwd(), true);
                assertThat(r.sessionId()).as("the session survives").isEqualTo(session.sessionId());
                assertThat(again.call(1, OpCode.EXISTS, new ExistsRequest("/small-limit-eph", false)).err()).isZero();
            }
        }
        assertThat(bystander.zk().getData("/small-limit-eph", false, null)).as("the request of exactly jute.maxbuffer bytes was applied").hasSize(MAX_BUFFER - overhead);
    }

    @Test
    void theOfficialClientReconnectsToItsSessionAfterSendingTooMuch() throws Exception {
        try (ZooKeeper zk = ZkClients.connect(paddock.connectString())) {
            long session = zk.getSessionId();
            assertThatThrownBy(() -> zk.create("/too-much", new byte[MAX_BUFFER + 1], ZooDefs.Ids.OPEN_ACL_UNSAFE,
                org.apache.zookeeper.CreateMode.PERSISTENT)).isInstanceOf(KeeperException.ConnectionLossException.class);
            Await.until(Duration.ofSeconds(15), "the client to reconnect", () -> zk.getState() == ZooKeeper.States.CONNECTED
                && zk.exists("/", false) != null);
            assertThat(zk.getSessionId()).isEqualTo(session);
            assertThat(zk.exists("/too-much", false)).isNull();
            zk.create("/just-enough", new byte[MAX_BUFFER / 2], ZooDefs.Ids.OPEN_ACL_UNSAFE, org.apache.zookeeper.CreateMode.PERSISTENT);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
