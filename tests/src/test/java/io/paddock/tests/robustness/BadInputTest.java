package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.proto.AuthPacket;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.RequestHeader;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.PaddockExtension;
import io.paddock.tests.support.RawClient;
import io.paddock.tests.support.ZkClients;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a standalone Paddock server does with input no well-behaved client sends, over raw
 * loopback sockets: the offending connection gets ZooKeeper's error or is closed, the session
 * behind it (if any) survives, and the bystander session — an official ZooKeeper client connected
 * all along — notices nothing and loses no acknowledged write (checked after every case).
 */
class BadInputTest {
    private static final int MAX_BUFFER = 0xfffff; // jute.maxbuffer's default, 1 MiB - 1

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.standalone();
    static HealthySession bystander;
    static int port;
    int connectionsBefore;

    @BeforeAll
    static void connect() throws Exception {
        port = paddock.server().port();
        bystander = paddock.closeAfterAll(HealthySession.connect(paddock.connectString()));
        bystander.write("before the bad input");
    }

    @BeforeEach
    void countConnections() {
        connectionsBefore = FourLetter.connections(port) - 1; // minus the srvr connection itself
    }

    @AfterEach
    void bystanderNoticedNothing(TestInfo test) throws Exception {
        bystander.assertHealthy(test.getDisplayName());
        assertThat(FourLetter.ask(port, "ruok")).isEqualTo("imok");
        // every connection this case opened is gone on the server too (the srvr connection counts itself)
        try {
            Await.until(Duration.ofSeconds(30), "the server to release the connections of " + test.getDisplayName(),
                () -> FourLetter.connections(port) - 1 == connectionsBefore);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; before: " + connectionsBefore + ", now:\n" + FourLetter.ask(port, "cons"), e);
        }
    }

    private static void assertClosedWithoutReply(RawClient c, String what) throws Exception {
        assertThat(c.readUntilClosed()).as("bytes the server sent before closing, for %s", what).isEmpty();
    }

    private static long lastZxid() {
        return Long.decode(FourLetter.srvr(port).get("Zxid"));
    }

    // ---- broken frames

    @Test
    void garbageAsTheFirstPacketIsClosedWithoutAReply() throws Exception {
        byte[] random = new byte[512];
        new Random(42).nextBytes(random);
        random[0] = (byte) 0xA5; // a negative length: the framer must not wait for more
        byte[][] garbage = {
            "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03}, // a TLS ClientHello
            "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII),
            random,
        };
        for (byte[] g : garbage) {
            try (RawClient c = RawClient.open(port)) {
                c.sendRaw(g);
                assertClosedWithoutReply(c, new String(g, 0, 8, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void frameLengthOf2To31Minus1IsClosedWithoutAReply() throws Exception {
        try (RawClient first = RawClient.open(port)) {
            first.sendRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0});
            assertClosedWithoutReply(first, "2^31-1 as the first length");
        }
        try (RawClient c = RawClient.open(port)) {
            ConnectResponse session = c.connect();
            c.sendRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 8});
            assertClosedWithoutReply(c, "2^31-1 after the connect");
            assertSessionSurvives(session);
        }
    }

    @Test
    void negativeFrameLengthIsClosedWithoutAReply() throws Exception {
        for (int len : new int[] {-1, Integer.MIN_VALUE, -8}) {
            try (RawClient c = RawClient.open(port)) {
                c.sendRaw(new JuteOutput().writeInt(len).writeInt(0).toByteArray());
                assertClosedWithoutReply(c, "length " + len + " as the first packet");
            }
            try (RawClient c = RawClient.open(port)) {
                c.connect();
                c.sendRaw(new JuteOutput().writeInt(len).writeInt(1).writeInt(OpCode.PING).toByteArray());
                assertClosedWithoutReply(c, "length " + len + " after the connect");
            }
        }
    }

    @Test
    void truncatedConnectRequestIsClosedWithoutAReply() throws Exception {
        byte[] whole;
        try (RawClient c = RawClient.open(port)) {
            whole = c.connectPayload(0, 10_000, 0, null, true);
        }
        // a whole frame whose ConnectRequest ends early (inside the password buffer, then after the session id)
        for (int keep : new int[] {0, 3, 20, 28, whole.length - 10}) {
            try (RawClient c = RawClient.open(port)) {
                c.sendFrame(Arrays.copyOf(whole, keep));
                assertClosedWithoutReply(c, "a ConnectRequest cut to " + keep + " bytes");
            }
        }
        // a frame cut short, then the client goes away: the server must let go of the connection (checked after each case)
        for (int keep : new int[] {2, 4, 20}) {
            try (RawClient c = RawClient.open(port)) {
                c.sendRaw(Arrays.copyOf(RawClient.frame(whole), keep));
                Await.until(Duration.ofSeconds(30), "the server to accept the connection",
                    () -> FourLetter.connections(port) - 1 > connectionsBefore);
            }
        }
    }

    @Test
    void requestBeforeAnyConnectRequestIsClosedWithoutAReplyAndCreatesNoSession() throws Exception {
        String sessionsBefore = FourLetter.mntr(port).get("zk_global_sessions");
        try (RawClient c = RawClient.open(port)) {
            c.sendRequest(1, OpCode.GET_DATA, new GetDataRequest("/", false));
            assertClosedWithoutReply(c, "getData before connect");
        }
        try (RawClient c = RawClient.open(port)) {
            c.sendRequest(-2, OpCode.PING, null);
            assertClosedWithoutReply(c, "ping before connect");
        }
        try (RawClient c = RawClient.open(port)) {
            c.sendRequest(1, OpCode.CREATE, new CreateRequest("/before-connect", new byte[64], Acl.OPEN_ACL_UNSAFE, 0));
            assertClosedWithoutReply(c, "create before connect");
        }
        assertThat(FourLetter.mntr(port).get("zk_global_sessions")).isEqualTo(sessionsBefore);
        assertThat(bystander.zk().exists("/before-connect", false)).isNull();
    }

    /**
     * A ConnectRequest that resumes a session this server does not know, with requests pipelined
     * right behind it in the same write: the server looks the session up (a sync with the leader)
     * before it answers, and as ZooKeeper, which reads nothing more until the session is set up,
     * runs none of them before it knows. They used to run at once under no session (id 0): an
     * ephemeral create made a znode with no owner that never went away.
     */
    @Test
    void requestsPipelinedBehindTheConnectOfAnUnknownSessionDoNotRun() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            byte[] connect = RawClient.frame(c.connectPayload(0, 10_000, 0x7a11_0000_0000_0001L, new byte[16], true));
            byte[] eph = RawClient.frame(RawClient.encode(new RequestHeader(1, OpCode.CREATE),
                new CreateRequest("/pipelined-eph", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL.flag())));
            byte[] plain = RawClient.frame(RawClient.encode(new RequestHeader(2, OpCode.CREATE),
                new CreateRequest("/pipelined-plain", new byte[0], Acl.OPEN_ACL_UNSAFE, 0)));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.write(connect);
            all.write(eph);
            all.write(plain);
            c.sendRaw(all.toByteArray());
            ConnectResponse refused = ConnectResponse.read(new io.paddock.protocol.jute.JuteInput(c.readFrame()));
            assertThat(refused.timeOut()).as("the unknown session is refused").isZero();
            assertClosedWithoutReply(c, "the requests behind a refused connect");
        }
        assertThat(bystander.zk().exists("/pipelined-eph", false)).as("an ephemeral of no session").isNull();
        assertThat(bystander.zk().exists("/pipelined-plain", false)).isNull();
    }

    // ---- opcodes and bodies

    @Test
    void unknownOpcodeGetsUnimplementedWithZxidMinus1AndClosesTheConnectionNotTheSession() throws Exception {
        for (int op : new int[] {999, 0, -1, 23, OpCode.CREATE_SESSION + 100}) {
            try (RawClient c = RawClient.open(port)) {
                ConnectResponse session = c.connect();
                String eph = "/unknown-op-eph-" + (op & 0xffff);
                assertThat(c.call(1, OpCode.CREATE, new CreateRequest(eph, new byte[0], Acl.OPEN_ACL_UNSAFE,
                    CreateMode.EPHEMERAL.flag())).err()).isZero();
                RawClient.Reply r = c.call(7, op, new GetDataRequest("/", false));
                assertThat(r).as("reply to opcode %d", op).isNotNull();
                assertThat(r.header().xid()).isEqualTo(7);
                assertThat(r.header().zxid()).isEqualTo(-1);
                assertThat(r.err()).isEqualTo(ErrorCode.UNIMPLEMENTED.code());
                assertThat(r.body().remaining()).isZero();
                assertClosedWithoutReply(c, "the rest after opcode " + op);
                assertSessionSurvives(session);
                assertThat(bystander.zk().exists(eph, false)).as("ephemeral of the surviving session").isNotNull();
            }
        }
    }

    /**
     * Opcode 20 (deleteContainer) is the server's own, for its container reaper. ZooKeeper 3.9.5
     * takes it from a client and deletes the node with no ACL check, even a container that never
     * had a child; Paddock answers it as an opcode a client may not send.
     */
    @Test
    void deleteContainerFromAClientIsAnUnknownOpcodeAndDeletesNothing() throws Exception {
        ZooKeeper zk = bystander.zk();
        zk.create("/never-had-a-child", new byte[0], ZooDefs.Ids.READ_ACL_UNSAFE, org.apache.zookeeper.CreateMode.CONTAINER);
        try (RawClient c = RawClient.open(port)) {
            ConnectResponse session = c.connect();
            RawClient.Reply r = c.call(7, OpCode.DELETE_CONTAINER, new DeleteRequest("/never-had-a-child", -1));
            assertThat(r).as("reply to deleteContainer").isNotNull();
            assertThat(r.header().xid()).isEqualTo(7);
            assertThat(r.header().zxid()).isEqualTo(-1);
            assertThat(r.err()).isEqualTo(ErrorCode.UNIMPLEMENTED.code());
            assertClosedWithoutReply(c, "the rest after deleteContainer");
            assertSessionSurvives(session);
        }
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            // inside a multi it is no valid op either (ZooKeeper refuses it there too)
            RawClient.Reply r = c.call(8, OpCode.MULTI, new MultiRequest(List.of(
                new MultiRequest.Op(OpCode.DELETE_CONTAINER, new DeleteRequest("/never-had-a-child", -1)))));
            assertThat(r.err()).isEqualTo(ErrorCode.MARSHALLINGERROR.code());
            assertThat(c.call(9, OpCode.EXISTS, new ExistsRequest("/", false)).err()).as("the connection stays").isZero();
        }
        assertThat(zk.exists("/never-had-a-child", false)).as("the container").isNotNull();
    }

    @Test
    void unknownOpcodeIsAnsweredInRequestOrderAndNothingAfterItRuns() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.write(RawClient.frame(RawClient.encode(new RequestHeader(1, OpCode.CREATE),
                new CreateRequest("/ordered-a", new byte[0], Acl.OPEN_ACL_UNSAFE, 0))));
            burst.write(RawClient.frame(RawClient.encode(new RequestHeader(2, OpCode.GET_DATA), new GetDataRequest("/", false))));
            burst.write(RawClient.frame(RawClient.encode(new RequestHeader(3, 77), new GetDataRequest("/", false))));
            burst.write(RawClient.frame(RawClient.encode(new RequestHeader(4, OpCode.CREATE),
                new CreateRequest("/ordered-b", new byte[0], Acl.OPEN_ACL_UNSAFE, 0))));
            c.sendRaw(burst.toByteArray());
            RawClient.Reply a = c.nextReply();
            RawClient.Reply b = c.nextReply();
            RawClient.Reply unknown = c.nextReply();
            assertThat(a.header().xid()).isEqualTo(1);
            assertThat(a.err()).isZero();
            assertThat(b.header().xid()).isEqualTo(2);
            assertThat(b.err()).isZero();
            assertThat(unknown.header().xid()).isEqualTo(3);
            assertThat(unknown.err()).isEqualTo(ErrorCode.UNIMPLEMENTED.code());
            assertClosedWithoutReply(c, "the request after the unknown opcode");
        }
        assertThat(bystander.zk().exists("/ordered-a", false)).isNotNull();
        assertThat(bystander.zk().exists("/ordered-b", false)).as("a request sent after the unknown opcode").isNull();
    }

    @Test
    void requestTooShortForAHeaderClosesTheConnectionWithoutAReply() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            ConnectResponse session = c.connect();
            c.sendFrame(new byte[] {0, 0, 0, 1, 0, 0});
            assertClosedWithoutReply(c, "a 6-byte request");
            assertSessionSurvives(session);
        }
    }

    @Test
    void undecodableBodyGetsMarshallingErrorAndTheConnectionKeepsServing() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            long zxid = lastZxid();
            // a read whose path claims 100 bytes and has 4
            c.sendFrame(RawClient.encode(new RequestHeader(1, OpCode.GET_DATA), o -> o.writeInt(100).writeInt(7)));
            RawClient.Reply read = c.nextReply();
            assertThat(read.header().xid()).isEqualTo(1);
            assertThat(read.err()).isEqualTo(ErrorCode.MARSHALLINGERROR.code());
            assertThat(read.header().zxid()).as("a failed read reports the last zxid").isEqualTo(zxid);
            // writes: a create cut inside its path, a setData without its version
            c.sendFrame(RawClient.encode(new RequestHeader(2, OpCode.CREATE), o -> o.writeInt(3)));
            RawClient.Reply create = c.nextReply();
            assertThat(create.header().xid()).isEqualTo(2);
            assertThat(create.err()).isEqualTo(ErrorCode.MARSHALLINGERROR.code());
            c.sendFrame(RawClient.encode(new RequestHeader(3, OpCode.SET_DATA), o -> o.writeString("/").writeBuffer(new byte[1])));
            RawClient.Reply set = c.nextReply();
            assertThat(set.header().xid()).isEqualTo(3);
            assertThat(set.err()).isEqualTo(ErrorCode.MARSHALLINGERROR.code());
            // the connection still answers, and the broken writes consumed no zxid (as in ZooKeeper)
            RawClient.Reply exists = c.call(4, OpCode.EXISTS, new ExistsRequest("/", false));
            assertThat(exists.err()).isZero();
            assertThat(exists.header().zxid()).isEqualTo(zxid);
            RawClient.Reply created = c.call(5, OpCode.CREATE, new CreateRequest("/after-marshalling-errors",
                new byte[0], Acl.OPEN_ACL_UNSAFE, 0));
            assertThat(created.err()).isZero();
            assertThat(created.header().zxid()).isEqualTo(zxid + 1);
        }
    }

    // ---- limits

    /**
     * A connection may add 16 digest identities; one more is refused as ZooKeeper refuses a bad
     * addAuth (AUTHFAILED, then the connection closes), so that the {@code auth} ACL scheme, which
     * expands to all of them, stays small. The session survives.
     */
    @Test
    void theSeventeenthDigestIdentityIsAuthFailedAndClosesTheConnectionNotTheSession() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            ConnectResponse session = c.connect();
            for (int i = 1; i <= 16; i++) {
                RawClient.Reply r = c.call(-4, OpCode.AUTH, new AuthPacket(0, "digest", ("user" + i + ":pw").getBytes(StandardCharsets.UTF_8)));
                assertThat(r.err()).as("addAuth %d", i).isZero();
            }
            // adding one it already has is no new identity
            assertThat(c.call(-4, OpCode.AUTH, new AuthPacket(0, "digest", "user1:pw".getBytes(StandardCharsets.UTF_8))).err()).isZero();
            // sent together with a request behind it, which must not run
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.write(RawClient.frame(RawClient.encode(new RequestHeader(-4, OpCode.AUTH),
                new AuthPacket(0, "digest", "user17:pw".getBytes(StandardCharsets.UTF_8)))));
            burst.write(RawClient.frame(RawClient.encode(new RequestHeader(9, OpCode.CREATE),
                new CreateRequest("/after-auth-failed", new byte[0], Acl.OPEN_ACL_UNSAFE, 0))));
            c.sendRaw(burst.toByteArray());
            RawClient.Reply refused = c.nextReply();
            assertThat(refused).as("reply to the 17th identity").isNotNull();
            assertThat(refused.err()).isEqualTo(ErrorCode.AUTHFAILED.code());
            assertClosedWithoutReply(c, "the rest after the 17th identity");
            assertSessionSurvives(session);
        }
        assertThat(bystander.zk().exists("/after-auth-failed", false)).as("a request sent after the refused addAuth").isNull();
    }

    @Test
    void frameLargerThanJuteMaxBufferDropsTheConnectionButNotTheSession() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            ConnectResponse session = c.connect();
            assertThat(c.call(1, OpCode.CREATE, new CreateRequest("/too-big-eph", new byte[0], Acl.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL.flag())).err()).isZero();
            byte[] data = new byte[MAX_BUFFER]; // with its header and path the request is over the limit
            c.sendFrame(RawClient.encode(new RequestHeader(2, OpCode.SET_DATA), new SetDataRequest("/too-big-eph", data, -1)));
            assertClosedWithoutReply(c, "a request over jute.maxbuffer");
            assertSessionSurvives(session);
        }
        assertThat(bystander.zk().getData("/too-big-eph", false, null)).as("the big setData was not applied").isEmpty();
    }

    @Test
    void frameOfExactlyJuteMaxBufferIsRead() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            int overhead = RawClient.encode(new RequestHeader(1, OpCode.SET_DATA), new SetDataRequest("/absent", new byte[0], -1)).length;
            byte[] payload = RawClient.encode(new RequestHeader(1, OpCode.SET_DATA),
                new SetDataRequest("/absent", new byte[MAX_BUFFER - overhead], -1));
            assertThat(payload).hasSize(MAX_BUFFER);
            c.sendFrame(payload);
            RawClient.Reply r = c.nextReply();
            assertThat(r).as("reply to a request of exactly jute.maxbuffer bytes").isNotNull();
            assertThat(r.err()).isEqualTo(ErrorCode.NONODE.code());
        }
    }

    @Test
    void almostOneMebibyteOfDataIsAccepted() throws Exception {
        byte[] data = new byte[(1 << 20) - 1024];
        new Random(7).nextBytes(data);
        ZooKeeper zk = bystander.zk();
        zk.create("/big", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, org.apache.zookeeper.CreateMode.PERSISTENT);
        assertThat(zk.getData("/big", false, null)).isEqualTo(data);
        zk.setData("/big", Arrays.copyOf(data, 10), -1);
        assertThat(zk.getData("/big", false, null)).hasSize(10);
    }

    @Test
    void dataOverTheLimitFromTheOfficialClientCostsOnlyThatConnection() throws Exception {
        try (ZooKeeper zk = ZkClients.connect(paddock.connectString())) {
            long session = zk.getSessionId();
            byte[] data = new byte[(1 << 20) + 1024];
            assertThatThrownBy(() -> zk.create("/over-the-limit", data, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                org.apache.zookeeper.CreateMode.PERSISTENT)).isInstanceOf(KeeperException.ConnectionLossException.class);
            Await.until(Duration.ofSeconds(15), "the client to reconnect", () -> zk.getState() == ZooKeeper.States.CONNECTED
                && zk.exists("/", false) != null);
            assertThat(zk.getSessionId()).as("the same session after the reconnect").isEqualTo(session);
            assertThat(zk.exists("/over-the-limit", false)).isNull();
            zk.create("/under-the-limit", new byte[1000], ZooDefs.Ids.OPEN_ACL_UNSAFE, org.apache.zookeeper.CreateMode.PERSISTENT);
        }
    }

    @Test
    void invalidPathsGetZooKeepersErrors() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            int xid = 1;
            for (PathCases.Case pc : PathCases.all()) {
                RawClient.Reply r = c.call(xid, pc.opCode(), pc.body());
                assertThat(r).as("reply to %s", pc).isNotNull();
                assertThat(r.header().xid()).isEqualTo(xid);
                assertThat(ErrorCode.of(r.err())).as("%s", pc).isEqualTo(pc.expected());
                xid++;
            }
        }
    }

    /**
     * A path of length -1 (null) in any op: ZooKeeper's answer, the connection keeps serving, and
     * no request stays outstanding (srvr's Outstanding is back to 0), nothing of a failed multi applied.
     */
    @Test
    void nullPathsGetZooKeepersAnswersAndTheConnectionKeepsServing() throws Exception {
        List<NullPathCases.Case> cases = new java.util.ArrayList<>(NullPathCases.all());
        cases.add(NullPathCases.CHECK);
        // each case counts the zxids its request took: the expiry of an earlier case's session (a txn)
        // must not fall in between (it did once, on a loaded machine)
        Await.until(Duration.ofSeconds(60), "only the bystander's session left",
            () -> FourLetter.mntr(port).get("zk_global_sessions").equals("1"));
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            int xid = 1;
            for (NullPathCases.Case pc : cases) {
                assertThat(NullPathCases.outcome(c, pc, xid)).as("null path in %s", pc).isEqualTo(pc.expectedOutcome());
                xid += 3;
            }
        }
        Await.until(Duration.ofSeconds(5), "srvr's Outstanding back to 0", () -> FourLetter.srvr(port).get("Outstanding").equals("0"));
        assertThat(bystander.zk().exists("/null-multi", false)).as("the first op of a multi that failed").isNull();
    }

    /**
     * ZooKeeper takes addWatch with a null path (NullPathCases): while such a watch exists, the
     * four-letter words that list or count watches still answer. They used to fail on the null key
     * (a sorted map), and the connection asking was dropped without an answer.
     */
    @Test
    void aWatchOnANullPathLeavesTheWatchReportsAnswering() throws Exception {
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            assertThat(c.call(1, OpCode.ADD_WATCH, new io.paddock.protocol.proto.AddWatchRequest(null, 0)).err()).isZero();
            assertThat(FourLetter.mntr(port)).containsKey("zk_watch_count");
            for (String word : List.of("wchs", "wchc", "wchp")) {
                assertThat(FourLetter.ask(port, word)).as(word).isNotEmpty().doesNotContain("not executed");
            }
            assertThat(FourLetter.ask(port, "wchp")).as("listed as ZooKeeper prints it").startsWith("null\n");
        }
    }

    /**
     * A setWatches whose events overflow the connection's output queue closes the connection in
     * the middle of the request (its one-shot watches on deleted znodes fire at once): the
     * watches the rest of the request sets must not outlive it. They used to stay, holding the
     * closed connection, for the server's life.
     */
    @Test
    void watchesSetAfterTheirConnectionClosedAreNotKept() throws Exception {
        String before = FourLetter.mntr(port).get("zk_watch_count");
        List<String> deleted = new java.util.ArrayList<>();
        List<String> missing = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            deleted.add("/gone-" + i); // each fires NodeDeleted at once
        }
        for (int i = 0; i < 5_000; i++) {
            missing.add("/missing-" + i); // each sets an exists watch
        }
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            c.sendRequest(1, OpCode.SET_WATCHES, new io.paddock.protocol.proto.SetWatches(0, deleted, missing, List.of()));
            c.readUntilClosed(); // the events it could not take closed it
        }
        Await.until(Duration.ofSeconds(20), "the closed connection's watches gone",
            () -> FourLetter.mntr(port).get("zk_watch_count").equals(before));
    }

    /**
     * A multiRead is small and its reply need not be: 200 reads of one 512 KiB znode ask for a
     * 100 MiB reply (a 1 MiB request could ask for 65 GB, and the node would run out of heap
     * building it). Beyond 64 MiB the multiRead fails as a whole with MARSHALLINGERROR, and the
     * connection goes on serving. ZooKeeper builds the whole reply.
     */
    @Test
    void aMultiReadWhoseReplyWouldBeHugeFailsAndTheConnectionServes() throws Exception {
        bystander.zk().create("/big-for-multiread", new byte[512 * 1024], ZooDefs.Ids.OPEN_ACL_UNSAFE,
            org.apache.zookeeper.CreateMode.PERSISTENT);
        List<MultiRequest.Op> reads = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            reads.add(new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest("/big-for-multiread", false)));
        }
        try (RawClient c = RawClient.open(port)) {
            c.connect();
            assertThat(c.call(1, OpCode.MULTI_READ, new MultiRequest(reads)).err()).isEqualTo(ErrorCode.MARSHALLINGERROR.code());
            assertThat(c.call(2, OpCode.MULTI_READ, new MultiRequest(reads.subList(0, 10))).err())
                .as("a multiRead whose reply fits").isZero();
            assertThat(c.call(3, OpCode.EXISTS, new ExistsRequest("/", false)).err()).isZero();
        } finally {
            bystander.zk().delete("/big-for-multiread", -1);
        }
    }

    // ---- the connect handshake

    @Test
    void connectRequestWithLastZxidAheadOfTheServerIsClosedWithoutAReply() throws Exception {
        for (long ahead : new long[] {lastZxid() + 1, Long.MAX_VALUE, 0x7fffffff00000000L}) {
            try (RawClient c = RawClient.open(port)) {
                c.sendFrame(c.connectPayload(ahead, 10_000, 0, null, true));
                assertClosedWithoutReply(c, "a client that has seen zxid " + Long.toHexString(ahead));
            }
        }
    }

    @Test
    void connectResponseCarriesTheReadOnlyByteOnlyWhenTheClientSentOne() throws Exception {
        for (boolean withReadOnly : new boolean[] {false, true}) {
            try (RawClient c = RawClient.open(port)) {
                c.sendFrame(c.connectPayload(0, 10_000, 0, null, withReadOnly));
                byte[] rsp = c.readFrame();
                assertThat(rsp).as("ConnectResponse, readOnly byte sent: %s", withReadOnly)
                    .hasSize(withReadOnly ? 37 : 36); // protocolVersion, timeOut, sessionId, 16-byte passwd (+ readOnly)
                if (withReadOnly) {
                    assertThat(rsp[36]).as("readOnly: a read-write server").isZero();
                }
                ConnectResponse r = ConnectResponse.read(new io.paddock.protocol.jute.JuteInput(rsp));
                assertThat(r.sessionId()).isNotZero();
                assertThat(r.timeOut()).isEqualTo(10_000);
                assertThat(c.call(1, OpCode.EXISTS, new ExistsRequest("/", false)).err()).isZero();
            }
        }
    }

    /** Resumes the session on a new connection with its id and password: the server still knows it. */
    private static void assertSessionSurvives(ConnectResponse session) throws Exception {
        try (RawClient again = RawClient.open(port)) {
            ConnectResponse r = again.connect(0, session.sessionId(), session.passwd(), true);
            assertThat(r.sessionId()).as("session 0x%x resumed", session.sessionId()).isEqualTo(session.sessionId());
            assertThat(r.timeOut()).isPositive();
            assertThat(again.call(1, OpCode.EXISTS, new ExistsRequest("/", false)).err()).isZero();
        }
    }
}
