package io.paddock.node.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.watch.WatchManager;
import io.paddock.node.watch.Watcher;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataTreeTest {
    final DataTree tree = new DataTree(new WatchManager());

    /** Observed on ZooKeeper 3.9.5: its config node gets its ACL by a setACL with version -1. */
    @Test
    void builtInNodesHaveZooKeepersStats() {
        assertThat(tree.getNode("/zookeeper/config").stat()).isEqualTo(new Stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0));
        assertThat(tree.getNode("/zookeeper/config").acl()).isEqualTo(Acl.READ_ACL_UNSAFE);
        assertThat(tree.getNode("/zookeeper/quota").stat()).isEqualTo(new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(tree.getNode("/zookeeper").stat().numChildren()).isEqualTo(2);
        assertThat(tree.getNode("/").stat().cversion()).as("built-in children are not counted as creations").isEqualTo(-1);
    }

    /** Observed on a ZooKeeper 3.9.5 ensemble: version -1, aversion -1, mtime the server's start, nothing else moved. */
    @Test
    void theEnsembleConfigIsWrittenAsZooKeepersServersWriteIt() {
        long sizeBefore = tree.approximateDataSize();
        byte[] text = "server.1=127.0.0.1:2888:3888:participant\nversion=0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        tree.setEnsembleConfig(text, 1_796_610_372_460L);
        assertThat(tree.getNode("/zookeeper/config").stat())
            .isEqualTo(new Stat(0, 0, 0, 1_796_610_372_460L, -1, 0, -1, 0, text.length, 0, 0));
        assertThat(tree.getNode("/zookeeper/config").data()).isEqualTo(text);
        assertThat(tree.approximateDataSize()).isEqualTo(sizeBefore + text.length);
        assertThat(tree.lastProcessedZxid()).isZero();
    }

    /**
     * Identical ACL lists share one instance, and a list no znode holds any more is not kept: a
     * client that sets a new ACL again and again (each with a megabyte of digest id, say) used to
     * grow the cache, on every server, for the server's life. ZooKeeper counts references and
     * purges unused lists.
     */
    @Test
    void anAclListNoZnodeHoldsIsNotKept() {
        long z = 0x100000001L;
        tree.apply(new Txn(z++, 1, 1, 10, new TxnOp.CreateTxn("/a", new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1)));
        tree.apply(new Txn(z++, 1, 2, 10, new TxnOp.CreateTxn("/b", new byte[0], List.copyOf(Acl.OPEN_ACL_UNSAFE), 0, 2)));
        assertThat(tree.getNode("/b").acl()).as("shared").isSameAs(tree.getNode("/a").acl());
        int before = tree.aclListsKept(); // the open list and the built-in nodes' own
        for (int i = 0; i < 1000; i++) {
            List<Acl> acl = List.of(new Acl(31, new io.paddock.protocol.data.Id("digest", "user" + i + ":hash")));
            tree.apply(new Txn(z++, 1, 3 + i, 11, new TxnOp.SetAclTxn("/a", acl, i)));
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (tree.aclListsKept() > before + 1 && System.nanoTime() < deadline) {
            System.gc(); // what forgets them: each call returns after a collection, then the count is probed again
        }
        assertThat(tree.aclListsKept()).as("the ACL lists no znode holds are forgotten, /a's last one kept")
            .isEqualTo(before + 1);
        assertThat(tree.getNode("/b").acl()).isEqualTo(Acl.OPEN_ACL_UNSAFE);
    }

    /**
     * getAllChildrenNumber of a chain of znodes deeper than a thread's stack allows recursion for:
     * the count comes back, where a StackOverflowError (an Error Pekko ends the JVM for) came.
     * A thread with a 64 KiB stack stands for a chain of tens of thousands on a normal one.
     */
    @Test
    void countingTheDescendantsOfADeepChainNeedsNoDeepStack() throws Exception {
        long z = 0x100000001L;
        StringBuilder path = new StringBuilder();
        for (int depth = 1; depth <= 3000; depth++) {
            path.append("/d");
            tree.apply(new Txn(z++, 1, depth, 10, new TxnOp.CreateTxn(path.toString(), new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1)));
        }
        int[] counted = new int[2];
        Throwable[] failed = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                counted[0] = tree.countDescendants("/d");
                counted[1] = tree.countDescendants("/");
            } catch (Throwable e) {
                failed[0] = e;
            }
        }, "small-stack", 64 * 1024);
        small.start();
        small.join();
        assertThat(failed[0]).isNull();
        assertThat(counted[0]).isEqualTo(2999);
        assertThat(counted[1]).isEqualTo(tree.nodeCount() - 1);
    }

    /** ZooKeeper hands back null for data written as null, with dataLength 0. */
    @Test
    void nullDataStaysNull() {
        long sizeBefore = tree.approximateDataSize();
        tree.apply(new Txn(0x100000001L, 1, 1, 10, new TxnOp.CreateTxn("/n", null, Acl.OPEN_ACL_UNSAFE, 0, 1)));
        assertThat(tree.getNode("/n").data()).isNull();
        assertThat(tree.getNode("/n").stat().dataLength()).isZero();
        tree.apply(new Txn(0x100000002L, 1, 2, 11, new TxnOp.SetDataTxn("/n", "abc".getBytes(), 1)));
        assertThat(tree.getNode("/n").stat().dataLength()).isEqualTo(3);
        tree.apply(new Txn(0x100000003L, 1, 3, 12, new TxnOp.SetDataTxn("/n", null, 2)));
        assertThat(tree.getNode("/n").data()).isNull();
        assertThat(tree.approximateDataSize()).isEqualTo(sizeBefore + "/n".length());
        tree.apply(new Txn(0x100000004L, 1, 4, 13, new TxnOp.DeleteTxn("/n")));
        assertThat(tree.approximateDataSize()).isEqualTo(sizeBefore);
    }

    @Test
    void theSessionSecretIsHeldOnceApplied() {
        assertThat(tree.sessionSecret()).as("a new tree").isNull();
        byte[] secret = "thirty-two bytes of a secret key".getBytes();
        int nodes = tree.nodeCount();
        assertThat(tree.apply(new Txn(0x100000001L, 0, 0, 10, new TxnOp.SessionSecretTxn(secret))).failed()).isFalse();
        assertThat(tree.sessionSecret()).isEqualTo(secret);
        assertThat(tree.lastProcessedZxid()).isEqualTo(0x100000001L);
        assertThat(tree.nodeCount()).isEqualTo(nodes);
        assertThat(tree.sessions()).isEmpty();
    }

    /** A session 7 with ephemerals under /a and /b, and a persistent node of its own. */
    private static DataTree withEphemerals(WatchManager watches) {
        DataTree t = new DataTree(watches);
        long z = 0x100000001L;
        t.apply(new Txn(z++, 7, 0, 10, new TxnOp.CreateSessionTxn(4000)));
        t.apply(new Txn(z++, 8, 0, 10, new TxnOp.CreateSessionTxn(4000)));
        t.apply(new Txn(z++, 7, 1, 11, new TxnOp.CreateTxn("/a", new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1)));
        t.apply(new Txn(z++, 7, 2, 11, new TxnOp.CreateTxn("/b", new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 2)));
        for (String path : List.of("/a/e3", "/b/e1", "/a/e1", "/a/e2")) {
            t.apply(new Txn(z++, 7, 3, 12, new TxnOp.CreateTxn(path, new byte[0], Acl.OPEN_ACL_UNSAFE, 7, 1)));
        }
        t.apply(new Txn(z++, 8, 1, 12, new TxnOp.CreateTxn("/a/other", new byte[0], Acl.OPEN_ACL_UNSAFE, 8, 4)));
        return t;
    }

    /**
     * A close names no ephemerals: it deletes those the tree holds at its zxid, as a plain close does
     * (parents' pzxid and child counts, every watch), and in path order, so every replica fires the
     * watches in the same order, whatever order its index holds them in (a tree read from a
     * snapshot indexes them anew).
     */
    @Test
    void aCloseDeletesTheSessionsEphemeralsAsTheTreeHoldsThemInPathOrder() {
        List<String> events = new ArrayList<>();
        WatchManager watches = new WatchManager();
        DataTree t = withEphemerals(watches);
        Watcher w = (type, path, zxid) -> events.add(type + " " + path + " " + Long.toHexString(zxid));
        for (String path : List.of("/a/e1", "/a/e2", "/a/e3", "/b/e1")) {
            watches.addDataWatch(path, w);
        }
        long closeZxid = 0x100000010L;
        t.apply(new Txn(closeZxid, 7, 9, 20, new TxnOp.CloseSessionTxn(List.of())));

        assertThat(t.ephemeralsOf(7)).isEmpty();
        assertThat(t.sessions()).containsOnlyKeys(8L);
        assertThat(t.getNode("/a").stat().numChildren()).isEqualTo(1);
        assertThat(t.getNode("/a").stat().pzxid()).isEqualTo(closeZxid);
        assertThat(t.getNode("/b").stat().numChildren()).isZero();
        assertThat(t.getNode("/b").stat().pzxid()).isEqualTo(closeZxid);
        assertThat(t.getNode("/a/other")).isNotNull();
        assertThat(events).containsExactly("NODE_DELETED /a/e1 100000010", "NODE_DELETED /a/e2 100000010",
            "NODE_DELETED /a/e3 100000010", "NODE_DELETED /b/e1 100000010");

        DataTree restored = TreeSnapshot.read(TreeSnapshot.write(withEphemerals(new WatchManager())), new WatchManager());
        restored.apply(new Txn(closeZxid, 7, 9, 20, new TxnOp.CloseSessionTxn(List.of())));
        assertThat(TreeSnapshot.write(restored)).as("the same close on a tree read from a snapshot")
            .isEqualTo(TreeSnapshot.write(t));
    }

    /** Logs written before the close stopped listing ephemerals still apply: the listed ones, then the rest. */
    @Test
    void aCloseFromAnOlderLogThatListsEphemeralsStillApplies() {
        DataTree t = withEphemerals(new WatchManager());
        DataTree expected = withEphemerals(new WatchManager());
        long closeZxid = 0x100000010L;
        t.apply(new Txn(closeZxid, 7, 9, 20, new TxnOp.CloseSessionTxn(List.of("/b/e1", "/a/e3", "/gone"))));
        expected.apply(new Txn(closeZxid, 7, 9, 20, new TxnOp.CloseSessionTxn(List.of())));
        assertThat(TreeSnapshot.write(t)).isEqualTo(TreeSnapshot.write(expected));
        assertThat(t.ephemeralsOf(7)).isEmpty();
    }
}
