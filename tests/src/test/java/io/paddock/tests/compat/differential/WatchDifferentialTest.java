package io.paddock.tests.compat.differential;

import io.paddock.client.TcpProxy;
import static io.paddock.tests.compat.differential.Differential.compare;

import io.paddock.tests.compat.differential.Run.Client;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.proto.AddWatchRequest;
import org.apache.zookeeper.proto.CheckWatchesRequest;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.RemoveWatchesRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch event sequences (types, paths, zxids in order) for scripted changes, against ZooKeeper's own server. */
class WatchDifferentialTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void oneShotWatchesFireAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client b = run.connect("b");
            run.op(a, "exists /w +watch", () -> a.zk.exists("/w", a.watcher));
            run.op(a, "getChildren / +watch", () -> a.zk.getChildren("/", a.watcher));
            create(run, b, "/w");
            run.settle();
            run.op(a, "getData /w +watch", () -> a.zk.getData("/w", a.watcher, null));
            run.op(a, "getChildren /w +watch", () -> a.zk.getChildren("/w", a.watcher));
            run.op(a, "exists /w/c +watch", () -> a.zk.exists("/w/c", a.watcher));
            create(run, b, "/w/c");
            run.settle();
            run.op(b, "setData /w", () -> b.zk.setData("/w", DATA, -1));
            run.op(b, "setData /w again", () -> b.zk.setData("/w", DATA, -1));
            run.settle();
            run.op(a, "getData /w/c +watch", () -> a.zk.getData("/w/c", a.watcher, null));
            run.op(a, "getChildren /w/c +watch", () -> a.zk.getChildren("/w/c", a.watcher));
            run.op(a, "getChildren /w +watch", () -> a.zk.getChildren("/w", a.watcher));
            run.op(b, "delete /w/c", () -> delete(b, "/w/c"));
            run.settle();
            run.op(a, "getData /w +watch", () -> a.zk.getData("/w", a.watcher, null));
            run.op(a, "getChildren /w +watch", () -> a.zk.getChildren("/w", a.watcher));
            run.op(a, "getChildren / +watch", () -> a.zk.getChildren("/", a.watcher));
            run.op(b, "delete /w", () -> delete(b, "/w"));
            run.settle();
            // a session's own writes fire its own watches
            run.op(a, "exists /own +watch", () -> a.zk.exists("/own", a.watcher));
            create(run, a, "/own");
            run.op(a, "getData /own +watch", () -> a.zk.getData("/own", a.watcher, null));
            run.op(a, "setData /own", () -> a.zk.setData("/own", DATA, -1));
            run.settle();
            // a multi fires everything it changes, with its one zxid
            run.op(a, "exists /mw +watch", () -> a.zk.exists("/mw", a.watcher));
            run.op(a, "getChildren / +watch", () -> a.zk.getChildren("/", a.watcher));
            run.op(a, "getData /own +watch", () -> a.zk.getData("/own", a.watcher, null));
            run.op(b, "multi", () -> b.zk.multi(List.of(
                Op.create("/mw", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.create("/mw/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                Op.delete("/own", -1))));
            run.settle();
            // a failed write fires nothing
            run.op(a, "getData /mw +watch", () -> a.zk.getData("/mw", a.watcher, null));
            run.op(b, "setData /mw bad version", () -> b.zk.setData("/mw", DATA, 9));
            run.op(b, "setData /mw", () -> b.zk.setData("/mw", DATA, 0));
            run.settle();
            // a read that fails sets no watch, except exists on a missing node
            run.op(a, "getData /nope +watch", () -> a.zk.getData("/nope", a.watcher, null));
            run.op(a, "getChildren /nope +watch", () -> a.zk.getChildren("/nope", a.watcher));
            create(run, b, "/nope");
            create(run, b, "/nope/c");
            run.op(b, "create /closed (READ for nobody)", () -> b.zk.create("/closed", DATA, new java.util.ArrayList<>(
                List.of(new org.apache.zookeeper.data.ACL(ZooDefs.Perms.WRITE, ZooDefs.Ids.ANYONE_ID_UNSAFE))),
                CreateMode.PERSISTENT));
            run.op(a, "exists /closed +watch", () -> a.zk.exists("/closed", a.watcher));
            run.op(a, "getData /closed +watch", () -> a.zk.getData("/closed", a.watcher, null));
            run.op(b, "setData /closed", () -> b.zk.setData("/closed", DATA, -1));
            run.settle();
            // every session watching a path gets its own event
            run.op(a, "exists /both +watch", () -> a.zk.exists("/both", a.watcher));
            run.op(b, "exists /both +watch", () -> b.zk.exists("/both", b.watcher));
            create(run, b, "/both");
            run.settle();
        });
    }

    @Test
    void persistentWatchesFireAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client b = run.connect("b");
            run.op(a, "addWatch /p PERSISTENT", () -> addWatch(a, "/p", AddWatchMode.PERSISTENT));
            run.op(a, "addWatch /r PERSISTENT_RECURSIVE", () -> addWatch(a, "/r", AddWatchMode.PERSISTENT_RECURSIVE));
            for (String root : List.of("/p", "/r")) {
                create(run, b, root);
                create(run, b, root + "/x");
                create(run, b, root + "/x/y");
                run.op(b, "setData " + root + "/x/y", () -> b.zk.setData(root + "/x/y", DATA, -1));
                run.op(b, "setData " + root, () -> b.zk.setData(root, DATA, -1));
                run.op(b, "delete " + root + "/x/y", () -> delete(b, root + "/x/y"));
                run.op(b, "delete " + root + "/x", () -> delete(b, root + "/x"));
                run.op(b, "delete " + root, () -> delete(b, root));
                create(run, b, root);
                run.settle();
            }
            // a persistent watch and a one-shot watch on one path: one event, and the persistent one stays
            run.op(a, "getData /p +watch", () -> a.zk.getData("/p", a.watcher, null));
            run.op(b, "setData /p", () -> b.zk.setData("/p", DATA, -1));
            run.op(b, "setData /p again", () -> b.zk.setData("/p", DATA, -1));
            run.settle();
            run.op(a, "addWatch / PERSISTENT_RECURSIVE", () -> addWatch(a, "/", AddWatchMode.PERSISTENT_RECURSIVE));
            create(run, b, "/top");
            run.op(b, "setData /r", () -> b.zk.setData("/r", DATA, -1));
            run.settle();
            run.op(a, "removeWatches / PersistentRecursive", () -> removeWatches(a, "/", WatcherType.PersistentRecursive));
            run.op(a, "removeWatches /p Persistent", () -> removeWatches(a, "/p", WatcherType.Persistent));
            run.op(b, "setData /p", () -> b.zk.setData("/p", DATA, -1));
            run.op(b, "setData /r", () -> b.zk.setData("/r", DATA, -1));
            run.settle();
        });
    }

    @Test
    void removeAndCheckWatchesAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client b = run.connect("b");
            create(run, b, "/w");
            run.op(a, "getData /w +watch", () -> a.zk.getData("/w", a.watcher, null));
            run.op(a, "getChildren /w +watch", () -> a.zk.getChildren("/w", a.watcher));
            run.op(a, "exists /missing +watch", () -> a.zk.exists("/missing", a.watcher));
            run.op(a, "addWatch /pw PERSISTENT", () -> addWatch(a, "/pw", AddWatchMode.PERSISTENT));
            run.op(a, "addWatch /rw PERSISTENT_RECURSIVE", () -> addWatch(a, "/rw", AddWatchMode.PERSISTENT_RECURSIVE));
            // the server's view, asked raw: checkWatches (17) and removeWatches (18) by type
            for (String path : List.of("/w", "/missing", "/pw", "/rw", "/none")) {
                for (int type : new int[] {1, 2, 3, 4, 5}) {
                    run.raw(a, "checkWatches " + path + " type " + type, OpCode.checkWatches,
                        new CheckWatchesRequest(path, type), null);
                }
            }
            run.raw(a, "checkWatches /w type 9", OpCode.checkWatches, new CheckWatchesRequest("/w", 9), null);
            run.raw(a, "removeWatches /w type 9", OpCode.removeWatches, new RemoveWatchesRequest("/w", 9), null);
            run.raw(a, "addWatch /w mode 7", OpCode.addWatch, new AddWatchRequest("/w", 7), new ErrorResponse());
            run.raw(a, "addWatch 'bad//path' mode 0", OpCode.addWatch, new AddWatchRequest("bad//path", 0),
                new ErrorResponse());
            run.raw(b, "checkWatches /w from another session", OpCode.checkWatches, new CheckWatchesRequest("/w", 3), null);
            run.raw(a, "removeWatches /w Data", OpCode.removeWatches, new RemoveWatchesRequest("/w", 2), null);
            run.raw(a, "removeWatches /w Data again", OpCode.removeWatches, new RemoveWatchesRequest("/w", 2), null);
            run.raw(a, "checkWatches /w Any", OpCode.checkWatches, new CheckWatchesRequest("/w", 3), null);
            run.raw(a, "removeWatches /pw Data", OpCode.removeWatches, new RemoveWatchesRequest("/pw", 2), null);
            run.raw(a, "removeWatches /rw Persistent", OpCode.removeWatches, new RemoveWatchesRequest("/rw", 4), null);
            run.raw(a, "removeWatches /rw Any", OpCode.removeWatches, new RemoveWatchesRequest("/rw", 3), null);
            run.raw(a, "checkWatches /rw Any", OpCode.checkWatches, new CheckWatchesRequest("/rw", 3), null);
            run.op(b, "setData /w", () -> b.zk.setData("/w", DATA, -1));
            create(run, b, "/w/c");
            create(run, b, "/rw");
            create(run, b, "/pw");
            run.settle();
            // and through the client API, with local=false
            run.op(a, "getData /w +watch", () -> a.zk.getData("/w", a.watcher, null));
            run.op(a, "removeWatches /w Data", () -> removeWatches(a, "/w", WatcherType.Data));
            run.op(a, "removeWatches /w Data again", () -> removeWatches(a, "/w", WatcherType.Data));
            run.op(a, "removeWatches /w Children", () -> removeWatches(a, "/w", WatcherType.Children));
            run.op(a, "exists /gone +watch", () -> a.zk.exists("/gone", a.watcher));
            run.op(a, "removeAllWatches /gone Any", () -> {
                a.zk.removeAllWatches("/gone", WatcherType.Any, false);
                return "OK";
            });
            run.settle();
        });
    }

    /**
     * Reconnect with setWatches: one session is cut off (through a relay) while another changes
     * what it watches; when it comes back, the one-shot watches whose node changed fire at
     * once, the others and the persistent ones are re-armed.
     */
    @Test
    void setWatchesOnReconnectAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client b = run.connect("b");
            for (String p : List.of("/d1", "/d2", "/d4", "/d5", "/d6", "/p1", "/r1")) {
                b.zk.create(p, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            try (TcpProxy proxy = TcpProxy.start(address(run.target().connectString()).getPort())) {
                Client a = run.connect("a", proxy.address(), 10_000);
                run.op(a, "getData /d1 +watch", () -> a.zk.getData("/d1", a.watcher, null));
                run.op(a, "getData /d2 +watch", () -> a.zk.getData("/d2", a.watcher, null));
                run.op(a, "exists /d3 +watch", () -> a.zk.exists("/d3", a.watcher));
                run.op(a, "getChildren /d4 +watch", () -> a.zk.getChildren("/d4", a.watcher));
                run.op(a, "getData /d5 +watch", () -> a.zk.getData("/d5", a.watcher, null));
                run.op(a, "getChildren /d5 +watch", () -> a.zk.getChildren("/d5", a.watcher));
                run.op(a, "getChildren /d6 +watch", () -> a.zk.getChildren("/d6", a.watcher));
                run.op(a, "exists /d7 +watch", () -> a.zk.exists("/d7", a.watcher));
                run.op(a, "addWatch /p1 PERSISTENT", () -> addWatch(a, "/p1", AddWatchMode.PERSISTENT));
                run.op(a, "addWatch /r1 PERSISTENT_RECURSIVE", () -> addWatch(a, "/r1", AddWatchMode.PERSISTENT_RECURSIVE));
                proxy.refuse(true);
                proxy.dropAll();
                run.awaitEvent(a);
                run.op(b, "setData /d1", () -> b.zk.setData("/d1", DATA, -1));
                create(run, b, "/d3");
                create(run, b, "/d4/x");
                run.op(b, "delete /d5", () -> delete(b, "/d5"));
                run.op(b, "setData /p1", () -> b.zk.setData("/p1", DATA, -1));
                create(run, b, "/r1/x");
                proxy.refuse(false);
                run.awaitEvent(a);
                run.settle();
                run.op(b, "setData /d1", () -> b.zk.setData("/d1", DATA, -1));
                run.op(b, "setData /d2", () -> b.zk.setData("/d2", DATA, -1));
                create(run, b, "/d6/x");
                create(run, b, "/d7");
                run.op(b, "setData /p1", () -> b.zk.setData("/p1", DATA, -1));
                create(run, b, "/r1/y");
                create(run, b, "/d3/x");
                run.settle();
                run.close(a);
            }
        });
    }

    private static InetSocketAddress address(String connectString) {
        String[] hostPort = connectString.split(":");
        return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    private static void create(Run run, Client c, String path) throws InterruptedException {
        run.op(c, "create " + path, () -> c.zk.create(path, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
    }

    private static String delete(Client c, String path) throws Exception {
        c.zk.delete(path, -1);
        return "OK";
    }

    private static String addWatch(Client c, String path, AddWatchMode mode) throws Exception {
        c.zk.addWatch(path, c.watcher, mode);
        return "OK";
    }

    private static String removeWatches(Client c, String path, WatcherType type) throws Exception {
        c.zk.removeWatches(path, c.watcher, type, false);
        return "OK";
    }
}
