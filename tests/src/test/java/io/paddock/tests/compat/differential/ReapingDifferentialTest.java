package io.paddock.tests.compat.differential;

import static io.paddock.tests.compat.differential.Differential.compare;

import io.paddock.tests.compat.differential.Run.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients see when the server reaps containers and TTL nodes (checked every 100 ms on both servers). */
class ReapingDifferentialTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void reapingAsInZooKeeper() throws Exception {
        compare(dir, 100, run -> {
            Client a = run.connect("a");
            Client w = run.connect("w");
            run.op(a, "create /unused container", () -> a.zk.create("/unused", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.CONTAINER));
            run.op(a, "create /used container", () -> a.zk.create("/used", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.CONTAINER));
            run.op(a, "create /used/x", () -> a.zk.create("/used/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT));
            run.op(w, "exists /used +watch", () -> w.zk.exists("/used", w.watcher));
            run.op(w, "getChildren / +watch", () -> w.zk.getChildren("/", w.watcher));
            run.op(a, "delete /used/x", () -> {
                a.zk.delete("/used/x", -1);
                return "OK";
            });
            run.awaitEvent(w);
            run.awaitEvent(w);
            run.op(w, "exists /used", () -> w.zk.exists("/used", false));

            run.op(a, "create /ttl ttl 200", () -> a.zk.create("/ttl", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_WITH_TTL, new Stat(), 200));
            run.op(a, "create /ttl-kept ttl 200", () -> a.zk.create("/ttl-kept", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT_WITH_TTL, new Stat(), 200));
            run.op(a, "create /ttl-kept/x", () -> a.zk.create("/ttl-kept/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT));
            run.op(w, "exists /ttl +watch", () -> w.zk.exists("/ttl", w.watcher));
            run.awaitEvent(w);
            run.op(a, "create /used2 container", () -> a.zk.create("/used2", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.CONTAINER));
            run.op(a, "create /used2/x ephemeral", () -> a.zk.create("/used2/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL));
            run.op(w, "exists /used2 +watch", () -> w.zk.exists("/used2", w.watcher));
            run.close(a);
            run.awaitEvent(w);
            run.op(w, "getChildren /", () -> w.zk.getChildren("/", false));
            run.op(w, "exists /ttl-kept", () -> w.zk.exists("/ttl-kept", false));
        });
    }
}
