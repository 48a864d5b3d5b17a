package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.proto.AuthPacket;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.RequestHeader;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.RawClient;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same raw bytes and the same four-letter words sent to Apache ZooKeeper 3.9.5 (its own
 * server, in this JVM) and to Paddock: the outcomes must match. Zxids are compared by kind (-1,
 * or "the server's last") because the two servers' histories differ.
 */
class ZooKeeperParityTest {
    private static final int MAX_BUFFER = 0xfffff;

    @TempDir
    static Path dir;
    static ZooKeeperReference zookeeper;
    static InProcessServer paddock;
    static HealthySession bystander;

    @BeforeAll
    static void start() throws Exception {
        zookeeper = ZooKeeperReference.start(dir.resolve("zookeeper"), "*", 500, 60);
        paddock = InProcessServer.start(dir.resolve("paddock"));
        bystander = HealthySession.connect(paddock.connectString());
    }

    @AfterEach
    void bystanderNoticedNothing(TestInfo test) throws Exception {
        bystander.assertHealthy(test.getDisplayName());
    }

    @AfterAll
    static void stop() throws Exception {
        if (bystander != null) {
            bystander.close();
        }
        if (paddock != null) {
            paddock.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    interface Scenario {
        String run(RawClient c) throws Exception;
    }

    /** What the connection saw: replies (xid, zxid kind, err, body size) and how it ended. */
    private static String closed(RawClient c) throws Exception {
        byte[] rest = c.readUntilClosed();
        return rest.length == 0 ? "closed" : "closed after " + rest.length + " more bytes";
    }

    private static String reply(RawClient.Reply r) {
        if (r == null) {
            return "closed";
        }
        long z = r.header().zxid();
        return "reply(xid=" + r.header().xid() + ", zxid=" + (z == -1 ? "-1" : z > 0 ? "last" : String.valueOf(z))
            + ", err=" + r.err() + ", body=" + r.body().remaining() + ")";
    }

    /** A ConnectResponse by its shape: size, timeout (given the 500 ms tick), whether it has a session. */
    private static String connectResponse(byte[] rsp) {
        io.paddock.protocol.proto.ConnectResponse r = io.paddock.protocol.proto.ConnectResponse.read(
            new io.paddock.protocol.jute.JuteInput(rsp));
        return "ConnectResponse(" + rsp.length + " bytes, timeOut=" + r.timeOut() + ", session="
            + (r.sessionId() == 0 ? "0" : "new") + ", passwd=" + (r.passwd() == null ? "null" : r.passwd().length) + ")";
    }

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> s = new LinkedHashMap<>();
        s.put("HTTP request as the first packet", c -> {
            c.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return closed(c);
        });
        s.put("length 2^31-1", c -> {
            c.sendRaw(new byte[] {0x7f, -1, -1, -1, 1, 2, 3});
            return closed(c);
        });
        s.put("length -1", c -> {
            c.sendRaw(new byte[] {-1, -1, -1, -1, 1, 2, 3});
            return closed(c);
        });
        s.put("truncated ConnectRequest", c -> {
            c.sendFrame(new byte[10]);
            return closed(c);
        });
        s.put("getData before connect", c -> {
            c.sendRequest(1, OpCode.GET_DATA, new GetDataRequest("/", false));
            return closed(c);
        });
        s.put("ping before connect", c -> {
            c.sendRequest(-2, OpCode.PING, null);
            return closed(c);
        });
        s.put("unknown opcode", c -> {
            c.connect();
            return reply(c.call(5, 999, new GetDataRequest("/", false))) + " then " + closed(c);
        });
        s.put("opcode 0 without a body", c -> {
            c.connect();
            return reply(c.call(5, 0, null)) + " then " + closed(c);
        });
        s.put("request shorter than its header", c -> {
            c.connect();
            c.sendFrame(new byte[] {0, 0, 1});
            return closed(c);
        });
        s.put("undecodable getData, then exists", c -> {
            c.connect();
            c.sendFrame(RawClient.encode(new RequestHeader(5, OpCode.GET_DATA), o -> o.writeInt(100).writeInt(7)));
            return reply(c.nextReply()) + " then " + reply(c.call(6, OpCode.EXISTS, new ExistsRequest("/", false)));
        });
        s.put("undecodable create, then exists", c -> {
            c.connect();
            c.sendFrame(RawClient.encode(new RequestHeader(5, OpCode.CREATE), o -> o.writeInt(3)));
            return reply(c.nextReply()) + " then " + reply(c.call(6, OpCode.EXISTS, new ExistsRequest("/", false)));
        });
        s.put("ConnectRequest without the readOnly byte", c -> {
            c.sendFrame(c.connectPayload(0, 10_000, 0, null, false));
            return "ConnectResponse of " + c.readFrame().length + " bytes";
        });
        s.put("ConnectRequest with the readOnly byte", c -> {
            c.sendFrame(c.connectPayload(0, 10_000, 0, null, true));
            return "ConnectResponse of " + c.readFrame().length + " bytes";
        });
        s.put("lastZxidSeen ahead of the server", c -> {
            c.sendFrame(c.connectPayload(0x7000000000L, 10_000, 0, null, true));
            return closed(c);
        });
        s.put("a frame over jute.maxbuffer", c -> {
            c.connect();
            c.sendRaw(new byte[] {0, 0x10, 0, 0});
            c.sendRaw(new byte[1000]);
            return closed(c);
        });
        s.put("a frame of exactly jute.maxbuffer", c -> {
            c.connect();
            int overhead = RawClient.encode(new RequestHeader(5, OpCode.SET_DATA), new SetDataRequest("/absent", new byte[0], -1)).length;
            c.sendFrame(RawClient.encode(new RequestHeader(5, OpCode.SET_DATA),
                new SetDataRequest("/absent", new byte[MAX_BUFFER - overhead], -1)));
            return reply(c.nextReply());
        });
        s.put("new session with a null password and a negative timeout", c -> {
            c.sendFrame(RawClient.encode(o -> o.writeInt(0).writeLong(0).writeInt(-1).writeLong(0).writeBuffer(null).writeBool(false)));
            byte[] rsp = c.readFrame();
            return rsp == null ? "closed" : connectResponse(rsp) + " then " + reply(c.call(1, OpCode.EXISTS, new ExistsRequest("/", false)));
        });
        s.put("new session asking for the largest timeout", c -> {
            c.sendFrame(c.connectPayload(0, Integer.MAX_VALUE, 0, null, true));
            return connectResponse(c.readFrame());
        });
        s.put("resuming an unknown session", c -> {
            c.sendFrame(c.connectPayload(0, 10_000, 0x1234567890L, new byte[16], true));
            byte[] rsp = c.readFrame();
            return (rsp == null ? "closed" : connectResponse(rsp)) + " then " + closed(c);
        });
        s.put("resuming a session with a null password", c -> {
            c.sendFrame(RawClient.encode(o -> o.writeInt(0).writeLong(0).writeInt(10_000).writeLong(0x1234567890L)
                .writeBuffer(null).writeBool(false)));
            byte[] rsp = c.readFrame();
            return (rsp == null ? "closed" : connectResponse(rsp)) + " then " + closed(c);
        });
        s.put("ConnectRequest with bytes after the readOnly flag", c -> {
            byte[] p = c.connectPayload(0, 10_000, 0, null, true);
            c.sendFrame(java.util.Arrays.copyOf(p, p.length + 7));
            byte[] rsp = c.readFrame();
            return rsp == null ? "closed" : connectResponse(rsp);
        });
        s.put("addAuth, then one with an unknown scheme", c -> {
            c.connect();
            return reply(c.call(5, OpCode.AUTH, new AuthPacket(0, "digest", "u:p".getBytes(StandardCharsets.UTF_8))))
                + " then " + reply(c.call(6, OpCode.AUTH, new AuthPacket(0, "nosuch", new byte[1]))) + " then " + closed(c);
        });
        s.put("unknown four-letter word", c -> {
            c.sendRaw("abcd".getBytes(StandardCharsets.US_ASCII));
            return closed(c);
        });
        return s;
    }

    @Test
    void badInputHasTheSameOutcomeOnBothServers() throws Exception {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Scenario> e : scenarios().entrySet()) {
            String zk = run(zookeeper.port(), e.getValue());
            String pd = run(paddock.port(), e.getValue());
            System.out.println(e.getKey() + ": " + pd);
            if (!zk.equals(pd) || zk.startsWith("failed")) {
                differences.add(e.getKey() + ": ZooKeeper " + zk + ", Paddock " + pd);
            }
        }
        assertThat(differences).isEmpty();
    }

    /** What one case's request gets on a connected client; xids from {@code xid} up. */
    interface Outcome<C> {
        String of(RawClient c, C pc, int xid) throws Exception;
    }

    /** Sends every case to both servers, each on one connection, and lists where they or the expectation differ. */
    private static <C> List<String> differences(List<C> cases, Outcome<C> outcome, Function<C, String> expected)
        throws Exception {
        List<String> differences = new ArrayList<>();
        try (RawClient zk = RawClient.open(zookeeper.port()); RawClient pd = RawClient.open(paddock.port())) {
            zk.connect();
            pd.connect();
            int xid = 1;
            for (C pc : cases) {
                String z = outcome.of(zk, pc, xid);
                String p = outcome.of(pd, pc, xid);
                if (!z.equals(p) || !z.equals(expected.apply(pc))) {
                    differences.add(pc + ": ZooKeeper " + z + ", Paddock " + p + ", expected " + expected.apply(pc));
                }
                xid += 3;
            }
        }
        return differences;
    }

    @Test
    void invalidPathsGetTheSameErrorsOnBothServers() throws Exception {
        assertThat(differences(PathCases.all(), (c, pc, xid) -> String.valueOf(c.call(xid, pc.opCode(), pc.body()).err()),
            pc -> String.valueOf(pc.expected().code()))).isEmpty();
    }

    /**
     * Null paths in every op that takes one. Only the answers' codes and zxids are compared:
     * ZooKeeper fills a failed multiRead's reply with the results of the ops before the failing one,
     * which its client ignores (the error code says the request failed).
     */
    @Test
    void nullPathsGetTheSameAnswersOnBothServers() throws Exception {
        assertThat(differences(NullPathCases.all(), NullPathCases::outcome, NullPathCases.Case::expectedOutcome)).isEmpty();
    }

    /**
     * A deliberate difference: ZooKeeper 3.9.5 takes its server-internal deleteContainer (opcode 20)
     * from a client and deletes the node, any node, with no ACL check; Paddock answers it as an
     * unknown opcode. Inside a multi both refuse it.
     */
    @Test
    void deleteContainerFromAClientDeletesOnZooKeeperOnlyAndIsRefusedInAMultiByBoth() throws Exception {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (int port : new int[] {zookeeper.port(), paddock.port()}) {
            String server = port == zookeeper.port() ? "ZooKeeper" : "Paddock";
            try (RawClient c = RawClient.open(port)) {
                c.connect();
                for (String path : List.of("/c20-in-multi", "/c20")) {
                    assertThat(c.call(1, OpCode.CREATE_CONTAINER, new CreateRequest(path, new byte[0], Acl.READ_ACL_UNSAFE,
                        CreateMode.CONTAINER.toFlag())).err()).isZero();
                }
                outcomes.put(server + " multi", reply(c.call(2, OpCode.MULTI, new MultiRequest(List.of(
                    new MultiRequest.Op(OpCode.DELETE_CONTAINER, new DeleteRequest("/c20-in-multi", -1))))))
                    + ", exists: " + reply(c.call(3, OpCode.EXISTS, new ExistsRequest("/c20-in-multi", false))));
                outcomes.put(server, reply(c.call(4, OpCode.DELETE_CONTAINER, new DeleteRequest("/c20", -1))));
            }
            try (RawClient c = RawClient.open(port)) {
                c.connect();
                outcomes.put(server + " after", reply(c.call(5, OpCode.EXISTS, new ExistsRequest("/c20", false))));
            }
        }
        String refusedMulti = "reply(xid=2, zxid=last, err=-5, body=0), exists: reply(xid=3, zxid=last, err=0, body=68)";
        assertThat(outcomes).containsExactly(
            Map.entry("ZooKeeper multi", refusedMulti),
            Map.entry("ZooKeeper", "reply(xid=4, zxid=last, err=0, body=0)"),
            Map.entry("ZooKeeper after", "reply(xid=5, zxid=last, err=-101, body=0)"),
            Map.entry("Paddock multi", refusedMulti),
            Map.entry("Paddock", "reply(xid=4, zxid=-1, err=-6, body=0)"),
            Map.entry("Paddock after", "reply(xid=5, zxid=last, err=0, body=68)"));
    }

    @Test
    void fourLetterWordsHaveTheSameShape() throws Exception {
        try (ZooKeeper zkClient = ZkClients.connect(zookeeper.connectString());
             ZooKeeper pdClient = ZkClients.connect(paddock.connectString());
             ZooKeeper bystandersTwin = ZkClients.connect(zookeeper.connectString())) {
            for (ZooKeeper c : List.of(zkClient, pdClient)) {
                c.create("/shape", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                c.getData("/shape", e -> { }, null);
                c.getChildren("/shape", e -> { });
                c.create("/shape-p", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                c.addWatch("/shape-p", e -> { }, AddWatchMode.PERSISTENT);
            }
            SoftAssertions softly = new SoftAssertions();
            int zk = zookeeper.port();
            int pd = paddock.port();
            for (String word : List.of("ruok", "isro")) {
                softly.assertThat(FourLetter.ask(pd, word)).as(word).isEqualTo(FourLetter.ask(zk, word));
            }
            // srvr: the same lines in the same order, the same value formats
            Map<String, String> zkSrvr = FourLetter.srvr(zk);
            Map<String, String> pdSrvr = FourLetter.srvr(pd);
            softly.assertThat(pdSrvr.keySet()).containsExactlyElementsOf(zkSrvr.keySet());
            for (Map.Entry<String, String> e : zkSrvr.entrySet()) {
                softly.assertThat(pdSrvr.get(e.getKey())).as("srvr %s (ZooKeeper: %s)", e.getKey(), e.getValue())
                    .matches(shapeOf(e.getValue()));
            }
            // stat: srvr plus a Clients section with one line per connection. Raw connections of the
            // other tests may still be closing on either server: wait until only the test's client,
            // the bystander (or its twin on ZooKeeper) and the asking connection are left
            Await.until(Duration.ofSeconds(10), "only the test's clients connected",
                () -> FourLetter.connections(zk) == 3 && FourLetter.connections(pd) == 3);
            String zkStat = FourLetter.ask(zk, "stat");
            String pdStat = FourLetter.ask(pd, "stat");
            softly.assertThat(lineShapes(pdStat)).containsExactlyElementsOf(lineShapes(zkStat));
            // mntr: ZooKeeper's basic keys, with values of the same shape
            Map<String, String> zkMntr = FourLetter.mntr(zk);
            Map<String, String> pdMntr = FourLetter.mntr(pd);
            List<String> common = new ArrayList<>(zkMntr.keySet());
            common.retainAll(pdMntr.keySet());
            softly.assertThat(common).containsAll(List.of("zk_version", "zk_server_state", "zk_ephemerals_count",
                "zk_num_alive_connections", "zk_avg_latency", "zk_outstanding_requests", "zk_znode_count",
                "zk_global_sessions", "zk_packets_sent", "zk_packets_received", "zk_watch_count", "zk_min_latency",
                "zk_max_file_descriptor_count", "zk_approximate_data_size", "zk_open_file_descriptor_count",
                "zk_local_sessions", "zk_uptime", "zk_max_latency"));
            // (not compared in ZooKeeper's order: its own order of these keys changes with the other ZooKeeper
            // servers that ran in this JVM before, as its metrics are kept in a JVM-wide map)
            for (String k : common) {
                softly.assertThat(pdMntr.get(k)).as("mntr %s (ZooKeeper: %s)", k, zkMntr.get(k)).matches(shapeOf(zkMntr.get(k)));
            }
            // conf: ZooKeeper's keys first, in its order; Paddock may add its own after them
            List<String> zkConf = new ArrayList<>(FourLetter.parse(FourLetter.ask(zk, "conf"), "=").keySet());
            List<String> pdConf = new ArrayList<>(FourLetter.parse(FourLetter.ask(pd, "conf"), "=").keySet());
            softly.assertThat(pdConf.subList(0, zkConf.size())).containsExactlyElementsOf(zkConf);
            // envi, dirs, cons: the same keys and line shapes
            softly.assertThat(FourLetter.parse(FourLetter.ask(pd, "envi"), "=").keySet())
                .containsExactlyElementsOf(FourLetter.parse(FourLetter.ask(zk, "envi"), "=").keySet());
            softly.assertThat(FourLetter.parse(FourLetter.ask(pd, "dirs"), ": ").keySet())
                .containsExactlyElementsOf(FourLetter.parse(FourLetter.ask(zk, "dirs"), ": ").keySet());
            // watches: a data and a child watch on /shape, a persistent one on /shape-p, listed and counted the same way
            softly.assertThat(pdMntr.get("zk_watch_count")).as("zk_watch_count").isEqualTo(zkMntr.get("zk_watch_count"));
            softly.assertThat(FourLetter.ask(pd, "wchs")).isEqualTo(FourLetter.ask(zk, "wchs"));
            // (ZooKeeper lists them in hash order: compare the lines, not their order)
            for (String word : List.of("wchc", "wchp")) {
                String pdAnswer = FourLetter.ask(pd, word).replace(Long.toHexString(pdClient.getSessionId()), "SID");
                String zkAnswer = FourLetter.ask(zk, word).replace(Long.toHexString(zkClient.getSessionId()), "SID");
                softly.assertThat(pdAnswer.split("\n", -1)).as(word).containsExactlyInAnyOrder(zkAnswer.split("\n", -1));
                softly.assertThat(pdAnswer).as(word).endsWith("\n\n");
            }
            softly.assertThat(FourLetter.ask(pd, "srst")).isEqualTo(FourLetter.ask(zk, "srst"));
            softly.assertAll();
        }
    }

    private static String run(int port, Scenario s) {
        try (RawClient c = RawClient.open(port)) {
            return s.run(c);
        } catch (Throwable t) {
            return "failed: " + t;
        }
    }

    /** A regex for values shaped like {@code example}: digits stay digits, a version stays a version. */
    private static String shapeOf(String example) {
        if (example.matches("\\d+")) {
            return "\\d+";
        }
        if (example.matches("\\d+\\.\\d+")) {
            return "\\d+\\.\\d+";
        }
        if (example.matches("\\d+/\\d+\\.\\d+/\\d+")) {
            return "\\d+/\\d+\\.\\d+/\\d+";
        }
        if (example.matches("0x[0-9a-f]+")) {
            return "0x[0-9a-f]+";
        }
        if (example.matches("\\d+\\.\\d+\\.\\d+-\\S+, built on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC")) {
            return "\\d+\\.\\d+\\.\\d+-\\S+, built on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC";
        }
        return java.util.regex.Pattern.quote(example);
    }

    /** Each line of a stat answer reduced to its shape: numbers and addresses replaced. */
    private static List<String> lineShapes(String answer) {
        List<String> out = new ArrayList<>();
        for (String line : answer.split("\n", -1)) {
            out.add(line.replaceAll("/127\\.0\\.0\\.1:\\d+\\[\\d\\]", "ADDR").replaceAll("0x[0-9a-f]+", "HEX")
                .replaceAll("\\d+\\.\\d+\\.\\d+-\\S+, built on .*", "VERSION").replaceAll("\\d+(\\.\\d+)?", "N"));
        }
        return out;
    }
}
