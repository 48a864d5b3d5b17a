package io.paddock.tests.compat.differential;

import static io.paddock.tests.compat.differential.Differential.compare;

import io.paddock.tests.compat.differential.Run.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.CreateTTLRequest;
import org.apache.zookeeper.proto.DeleteRequest;
import org.apache.zookeeper.proto.ExistsRequest;
import org.apache.zookeeper.proto.GetACLRequest;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetAllChildrenNumberRequest;
import org.apache.zookeeper.proto.GetAllChildrenNumberResponse;
import org.apache.zookeeper.proto.GetChildren2Request;
import org.apache.zookeeper.proto.GetChildren2Response;
import org.apache.zookeeper.proto.GetChildrenRequest;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.ReconfigRequest;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.SetDataResponse;
import org.apache.zookeeper.proto.SyncRequest;
import org.apache.zookeeper.proto.SyncResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data model against ZooKeeper's own server: built-in nodes, path rules, stats, create modes. */
class TreeDifferentialTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void builtInNodesStartAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            for (String path : List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
                run.op(a, "exists " + path, () -> a.zk.exists(path, false));
                run.op(a, "getData " + path, () -> a.zk.getData(path, false, null));
                run.op(a, "getChildren " + path, () -> a.zk.getChildren(path, false));
                run.op(a, "getACL " + path, () -> a.zk.getACL(path, new Stat()));
                run.op(a, "getAllChildrenNumber " + path, () -> a.zk.getAllChildrenNumber(path));
            }
            run.op(a, "setData /zookeeper/config", () -> a.zk.setData("/zookeeper/config", DATA, -1));
            run.op(a, "create /zookeeper/config/x", () -> a.zk.create("/zookeeper/config/x", DATA,
                ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            run.op(a, "create /zookeeper/x", () -> a.zk.create("/zookeeper/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT));
            run.op(a, "setData /zookeeper/quota", () -> a.zk.setData("/zookeeper/quota", DATA, -1));
            run.op(a, "exists /zookeeper", () -> a.zk.exists("/zookeeper", false));
            for (String path : List.of("/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config")) {
                run.raw(a, "delete " + path, OpCode.delete, new DeleteRequest(path, -1), null);
            }
            run.op(a, "delete /zookeeper/x", () -> {
                a.zk.delete("/zookeeper/x", -1);
                return "OK";
            });
            run.op(a, "getAllChildrenNumber /", () -> a.zk.getAllChildrenNumber("/"));
            run.raw(a, "reconfig", OpCode.reconfig, new ReconfigRequest(null, null, "server.1=127.0.0.1:1:2;3", -1),
                new GetDataResponse());
            run.op(a, "getData /zookeeper/config", () -> a.zk.getData("/zookeeper/config", false, new Stat()));
        });
    }

    /**
     * Every op on every kind of malformed path, sent raw so that the client's own checks do not
     * interfere. A standalone check (opcode 13) is left out: ZooKeeper 3.9.5 answers it
     * UNIMPLEMENTED and drops the connection, where Paddock answers it (see ZooKeeperClientOpsTest).
     */
    @Test
    void pathRulesAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            a.zk.create("/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            List<String> paths = List.of("a/b", "/x//y", "//b", "/.", "/..", "/x/.", "/x/./y", "/x/..", "/zookeeper/",
                "", "/nul\u0000x", "/x/nul\u0000", "/", "/missing/child", "/trailing/", "/ctl\u0001", "/x/ok", "/x/ok");
            for (String p : paths) {
                String q = p.replace("\u0000", "\\0").replace("\u0001", "\\1");
                run.raw(a, "create '" + q + "'", OpCode.create,
                    new CreateRequest(p, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0), new CreateResponse());
                run.raw(a, "create2 '" + q + "'", OpCode.create2,
                    new CreateRequest(p, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 0), new Create2Response());
                run.raw(a, "create seq '" + q + "'", OpCode.create,
                    new CreateRequest(p, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, 2), new CreateResponse());
                run.raw(a, "exists '" + q + "'", OpCode.exists, new ExistsRequest(p, false), new SetDataResponse());
                run.raw(a, "exists+watch '" + q + "'", OpCode.exists, new ExistsRequest(p, true), new SetDataResponse());
                run.raw(a, "getData '" + q + "'", OpCode.getData, new GetDataRequest(p, false), new GetDataResponse());
                run.raw(a, "setData '" + q + "'", OpCode.setData, new SetDataRequest(p, DATA, -1), new SetDataResponse());
                run.raw(a, "getChildren '" + q + "'", OpCode.getChildren, new GetChildrenRequest(p, false),
                    new GetChildrenResponse());
                run.raw(a, "getChildren2 '" + q + "'", OpCode.getChildren2, new GetChildren2Request(p, false),
                    new GetChildren2Response());
                run.raw(a, "getACL '" + q + "'", OpCode.getACL, new GetACLRequest(p), new GetACLResponse());
                run.raw(a, "setACL '" + q + "'", OpCode.setACL, new SetACLRequest(p, ZooDefs.Ids.OPEN_ACL_UNSAFE, -1),
                    new SetACLResponse());
                run.raw(a, "sync '" + q + "'", OpCode.sync, new SyncRequest(p), new SyncResponse());
                run.raw(a, "getAllChildrenNumber '" + q + "'", OpCode.getAllChildrenNumber,
                    new GetAllChildrenNumberRequest(p), new GetAllChildrenNumberResponse());
                run.raw(a, "delete '" + q + "'", OpCode.delete, new DeleteRequest(p, -1), null);
            }
        });
    }

    @Test
    void statsFollowEachChangeAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client b = run.connect("b");
            run.op(a, "create2 /s", () -> create2(a, "/s", CreateMode.PERSISTENT));
            run.op(a, "create2 /s/c1", () -> create2(a, "/s/c1", CreateMode.PERSISTENT));
            run.op(a, "exists /s", () -> a.zk.exists("/s", false));
            run.op(a, "setData /s v0", () -> a.zk.setData("/s", "longer".getBytes(StandardCharsets.UTF_8), 0));
            run.op(a, "setData /s v0 again", () -> a.zk.setData("/s", DATA, 0));
            run.op(a, "setData /s null", () -> a.zk.setData("/s", null, 1));
            run.op(a, "getData /s", () -> a.zk.getData("/s", false, new Stat()));
            run.op(a, "setACL /s v0", () -> a.zk.setACL("/s", ZooDefs.Ids.OPEN_ACL_UNSAFE, 0));
            run.op(a, "setACL /s v0 again", () -> a.zk.setACL("/s", ZooDefs.Ids.OPEN_ACL_UNSAFE, 0));
            run.op(a, "delete /s v7 (not empty)", () -> delete(a, "/s", 7));
            run.op(a, "delete /s any (not empty)", () -> delete(a, "/s", -1));
            run.op(a, "delete /s/c1 v1", () -> delete(a, "/s/c1", 1));
            run.op(a, "delete /s/c1", () -> delete(a, "/s/c1", 0));
            run.op(a, "delete /s/c1 again", () -> delete(a, "/s/c1", -1));
            run.op(a, "exists /s", () -> a.zk.exists("/s", false));
            run.op(a, "create /s/seq-", () -> a.zk.create("/s/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL));
            run.op(a, "create /s/seq- again", () -> a.zk.create("/s/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL));
            run.op(a, "create /s/dup", () -> a.zk.create("/s/dup", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            run.op(a, "create /s/dup again", () -> a.zk.create("/s/dup", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT));
            run.op(a, "create /s/missing/seq-", () -> a.zk.create("/s/missing/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL));
            run.op(a, "create /s/ (sequential, empty name)", () -> a.zk.create("/s/", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL));
            run.op(a, "create /s/seq- third", () -> a.zk.create("/s/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL));
            run.op(a, "getChildren2 /s", () -> {
                Stat st = new Stat();
                return List.of(a.zk.getChildren("/s", false, st), st);
            });
            run.op(a, "getAllChildrenNumber /s", () -> a.zk.getAllChildrenNumber("/s"));
            run.op(a, "getAllChildrenNumber /missing", () -> a.zk.getAllChildrenNumber("/missing"));
            run.op(a, "create2 /e ephemeral", () -> create2(a, "/e", CreateMode.EPHEMERAL));
            run.op(a, "create /e/c", () -> a.zk.create("/e/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            run.op(a, "create /e/c ephemeral", () -> a.zk.create("/e/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL));
            run.op(a, "create /e/missing/c", () -> a.zk.create("/e/missing/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT));
            run.op(a, "create2 /s/eseq-", () -> create2(a, "/s/eseq-", CreateMode.EPHEMERAL_SEQUENTIAL));
            run.op(b, "create2 /s/beph", () -> create2(b, "/s/beph", CreateMode.EPHEMERAL));
            run.op(b, "exists /e", () -> b.zk.exists("/e", false));
            run.op(a, "getEphemerals", () -> a.zk.getEphemerals());
            run.op(a, "getEphemerals /s", () -> a.zk.getEphemerals("/s"));
            run.op(a, "getEphemerals /s/e", () -> a.zk.getEphemerals("/s/e"));
            run.op(a, "getEphemerals /nothing", () -> a.zk.getEphemerals("/nothing"));
            run.op(b, "getEphemerals /", () -> b.zk.getEphemerals("/"));
            run.op(a, "create2 /cont container", () -> create2(a, "/cont", CreateMode.CONTAINER));
            run.op(a, "create /cont/c", () -> a.zk.create("/cont/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT));
            run.op(a, "exists /cont", () -> a.zk.exists("/cont", false));
            run.op(a, "create2 /ttl ttl", () -> {
                Stat st = new Stat();
                return List.of(a.zk.create("/ttl", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL,
                    st, 60_000), st);
            });
            run.op(a, "create2 /ttl/seq- ttl sequential", () -> {
                Stat st = new Stat();
                return List.of(a.zk.create("/ttl/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, st, 60_000), st);
            });
            run.op(a, "exists /ttl", () -> a.zk.exists("/ttl", false));
            run.op(a, "create /s/seq- fourth", () -> a.zk.create("/s/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_SEQUENTIAL));
            run.close(b);
            run.op(a, "exists /s after b closed", () -> a.zk.exists("/s", false));
            run.op(a, "getChildren /s after b closed", () -> a.zk.getChildren("/s", false));
            run.op(a, "exists /", () -> a.zk.exists("/", false));
        });
    }

    /**
     * Create flags, opcodes and TTLs the client would not send, raw. Left out: createTTL with a
     * non-TTL mode and a negative TTL, which ZooKeeper 3.9.5 accepts, logs, and then dies
     * applying (its SyncThread stops the server); Paddock refuses it with BADARGUMENTS.
     */
    @Test
    void createModesAndTtlsAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            int i = 0;
            for (int op : new int[] {OpCode.create, OpCode.create2, OpCode.createContainer}) {
                for (int flags : new int[] {0, 1, 2, 3, 4, 5, 6, 7, -1}) {
                    String path = "/f" + i++;
                    run.raw(a, "op " + op + " flags " + flags + " " + path, op,
                        new CreateRequest(path, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, flags),
                        op == OpCode.create ? new CreateResponse() : new Create2Response());
                }
            }
            for (int flags : new int[] {0, 1, 2, 3, 4, 5, 6, 7}) {
                boolean ttlMode = flags == 5 || flags == 6;
                for (long ttl : ttlMode ? new long[] {-1, 0, 1, 1000, (1L << 40) - 1, 1L << 40} : new long[] {0, 1000}) {
                    String path = "/t" + i++;
                    run.raw(a, "createTTL flags " + flags + " ttl " + ttl + " " + path, OpCode.createTTL,
                        new CreateTTLRequest(path, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, flags, ttl), new Create2Response());
                }
            }
            run.op(a, "getAllChildrenNumber /", () -> a.zk.getAllChildrenNumber("/"));
        });
    }

    private static List<Object> create2(Client c, String path, CreateMode mode) throws Exception {
        Stat st = new Stat();
        String created = c.zk.create(path, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, mode, st);
        return List.of(created, st);
    }

    private static String delete(Client c, String path, int version) throws Exception {
        c.zk.delete(path, version);
        return "OK";
    }
}
