package io.paddock.tests.compat.differential;

import static io.paddock.tests.compat.differential.Differential.compare;

import io.paddock.tests.compat.differential.Run.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.MultiResponse;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** multi and multiRead against ZooKeeper's own server. */
class MultiDifferentialTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void multiResultsAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client b = run.connect("b");
            b.zk.exists("/m", b.watcher);
            b.zk.getChildren("/", b.watcher);
            run.op(a, "multi success", () -> a.zk.multi(List.of(
                Op.create("/m", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/m/a", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/m/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.create("/m/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL),
                Op.create("/m/cont", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER),
                Op.create("/m/ttl", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_WITH_TTL, 60_000),
                Op.setData("/m", "two".getBytes(StandardCharsets.UTF_8), 0),
                Op.check("/m", 1),
                Op.setData("/m/a", DATA, -1),
                Op.delete("/m/a", 1))));
            run.settle();
            run.op(a, "exists /m", () -> a.zk.exists("/m", false));
            run.op(a, "getChildren /m", () -> a.zk.getChildren("/m", false));
            run.op(a, "multi empty", () -> a.zk.multi(List.of()));
            for (int failAt = 0; failAt < 3; failAt++) {
                int f = failAt;
                run.op(a, "multi failing at " + f, () -> a.zk.multi(List.of(
                    f == 0 ? Op.setData("/nothing", DATA, -1) : Op.create("/f1", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT),
                    f == 1 ? Op.check("/m", 7) : Op.create("/f2", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                    f == 2 ? Op.delete("/m", -1) : Op.create("/f3", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT))));
                run.op(a, "exists /f1", () -> a.zk.exists("/f1", false));
            }
            run.op(a, "multi dependent ops", () -> a.zk.multi(List.of(
                Op.create("/d", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.setData("/d", DATA, 0),
                Op.check("/d", 1),
                Op.delete("/d", 1),
                Op.create("/d", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL),
                Op.create("/d/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));
            run.op(a, "multi create existing, then more", () -> a.zk.multi(List.of(
                Op.create("/m", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/m2", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))));
            run.op(a, "multi sequential numbering after failure", () -> a.zk.multi(List.of(
                Op.create("/m/seq-", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL))));
            run.op(a, "multi bad ACL", () -> a.zk.multi(List.of(
                Op.create("/acl", DATA, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT))));
            run.op(a, "exists /m", () -> a.zk.exists("/m", false));
            run.settle();
        });
    }

    /** Ops and paths the client would not send, in a raw multi. */
    @Test
    void rawMultiAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            a.zk.create("/r", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (String path : List.of("a/b", "//b", "/r/.", "", "/r/nul\u0000", "/", "/zookeeper", "/missing/c", "/r")) {
                String q = path.replace("\u0000", "\\0");
                rawMulti(run, a, "check '" + q + "'", Op.check(path, -1));
                rawMulti(run, a, "setData '" + q + "'", Op.setData(path, DATA, -1));
                rawMulti(run, a, "delete '" + q + "'", Op.delete(path, -1));
                rawMulti(run, a, "create '" + q + "'", Op.create(path, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT));
            }
            rawMulti(run, a, "check+create", Op.check("/r", 0), Op.create("/r/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT));
            rawMulti(run, a, "check wrong version + create", Op.check("/r", 3), Op.create("/r/y", DATA,
                ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
        });
    }

    @Test
    void multiReadAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            a.zk.create("/r", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            a.zk.create("/r/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            a.zk.create("/locked", DATA, new ArrayList<>(List.of(new org.apache.zookeeper.data.ACL(ZooDefs.Perms.WRITE,
                ZooDefs.Ids.ANYONE_ID_UNSAFE))), CreateMode.PERSISTENT);
            run.op(a, "multiRead", () -> a.zk.multi(List.of(
                Op.getData("/r"),
                Op.getChildren("/r"),
                Op.getData("/missing"),
                Op.getChildren("/missing"),
                Op.getData("/locked"),
                Op.getChildren("/locked"),
                Op.getData("/r/c"))));
            run.op(a, "multiRead empty", () -> a.zk.multi(List.of()));
            rawMultiRead(run, a, "multiRead bad paths", Op.getData("a/b"), Op.getChildren("//b"), Op.getData(""),
                Op.getData("/r"));
        });
    }

    private static void rawMulti(Run run, Client c, String label, Op... ops) throws InterruptedException {
        MultiResponse rsp = new MultiResponse();
        org.apache.zookeeper.proto.ReplyHeader h = c.zk.submit(OpCode.multi, new MultiOperationRecord(List.of(ops)), rsp);
        run.transcript().add("[" + c.name + "] raw multi " + label + " -> err " + h.getErr() + " "
            + (h.getErr() == 0 ? run.transcript().render(rsp.getResultList()) : "") + " @" + run.transcript().zxid(h.getZxid()));
    }

    private static void rawMultiRead(Run run, Client c, String label, Op... ops) throws InterruptedException {
        MultiResponse rsp = new MultiResponse();
        org.apache.zookeeper.proto.ReplyHeader h = c.zk.submit(OpCode.multiRead, new MultiOperationRecord(List.of(ops)),
            rsp);
        run.transcript().add("[" + c.name + "] raw " + label + " -> err " + h.getErr() + " "
            + (h.getErr() == 0 ? run.transcript().render(rsp.getResultList()) : "") + " @" + run.transcript().zxid(h.getZxid()));
    }
}
