package io.paddock.node.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.ByteParts;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.MalformedRecordException;
import io.paddock.protocol.txn.EphemeralType;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeSnapshotTest {
    @Test
    void imageRestoresEveryNodeSessionAndStat() {
        DataTree tree = new DataTree(new WatchManager());
        long z = 0x100000001L;
        List<Acl> digest = List.of(new Acl(31, new Id("digest", "u:hash")));
        byte[] secret = "thirty-two bytes of a secret key".getBytes();
        tree.apply(new Txn(z++, 0, 0, 9, new TxnOp.SessionSecretTxn(secret)));
        tree.apply(new Txn(z++, 7, 0, 10, new TxnOp.CreateSessionTxn(4000)));
        tree.apply(new Txn(z++, 7, 1, 11, new TxnOp.CreateTxn("/a", "x".getBytes(), Acl.OPEN_ACL_UNSAFE, 0, 1)));
        tree.apply(new Txn(z++, 7, 2, 12, new TxnOp.CreateTxn("/a/e", new byte[0], digest, 7, 1)));
        tree.apply(new Txn(z++, 7, 3, 13, new TxnOp.CreateTxn("/c", new byte[0], Acl.OPEN_ACL_UNSAFE, EphemeralType.CONTAINER, 2)));
        tree.apply(new Txn(z++, 7, 4, 14, new TxnOp.CreateTxn("/t", new byte[0], Acl.OPEN_ACL_UNSAFE, EphemeralType.ttl(500), 3)));
        tree.apply(new Txn(z++, 7, 5, 15, new TxnOp.SetDataTxn("/a", "yz".getBytes(), 1)));
        tree.apply(new Txn(z++, 7, 6, 16, new TxnOp.CreateTxn("/zookeeper/mine", new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 1)));
        tree.apply(new Txn(z++, 7, 7, 17, new TxnOp.CreateTxn("/null", null, Acl.OPEN_ACL_UNSAFE, 0, 4)));

        DataTree copy = TreeSnapshot.read(TreeSnapshot.write(tree), new WatchManager());

        assertThat(copy.lastProcessedZxid()).isEqualTo(tree.lastProcessedZxid());
        assertThat(copy.sessionSecret()).as("the session secret").isEqualTo(secret);
        assertThat(copy.sessions()).isEqualTo(tree.sessions());
        assertThat(copy.nodeCount()).isEqualTo(tree.nodeCount());
        for (String path : tree.pathsDepthFirst()) {
            DataNode a = tree.getNode(path);
            DataNode b = copy.getNode(path);
            assertThat(b.stat()).as(path).isEqualTo(a.stat());
            assertThat(b.data()).as(path).isEqualTo(a.data());
            assertThat(b.acl()).as(path).isEqualTo(a.acl());
            assertThat(b.children()).as(path).isEqualTo(a.children());
        }
        assertThat(copy.getNode("/null").data()).as("null data stays null").isNull();
        assertThat(copy.ephemeralsOf(7)).containsExactly("/a/e");
        assertThat(copy.containers()).containsExactly("/c");
        assertThat(copy.ttlNodes()).containsExactly("/t");
        assertThat(copy.approximateDataSize()).isEqualTo(tree.approximateDataSize());
    }

    @Test
    void aTreeWithoutASecretReadsBackWithout() {
        DataTree tree = new DataTree(new WatchManager());
        tree.apply(new Txn(0x100000001L, 7, 0, 10, new TxnOp.CreateSessionTxn(4000)));
        DataTree copy = TreeSnapshot.read(TreeSnapshot.write(tree), new WatchManager());
        assertThat(copy.sessionSecret()).isNull();
        assertThat(copy.sessions()).containsEntry(7L, 4000);
    }

    /** Written by builds before the session secret ("PDK1", no secret field): such a node still starts, without a secret. */
    @Test
    void anImageFromBeforeTheSecretReadsWithoutOne() {
        JuteOutput out = new JuteOutput();
        out.writeInt(0x50444b31).writeLong(0x300000005L);
        out.writeInt(1).writeLong(7).writeInt(4000);
        out.writeInt(1).writeString("/a").writeBuffer("x".getBytes());
        Acl.writeList(out, Acl.OPEN_ACL_UNSAFE);
        out.writeLong(0x300000002L).writeLong(0x300000004L).writeLong(20).writeLong(40)
            .writeInt(2).writeInt(0).writeInt(0).writeLong(0).writeLong(0x300000002L);

        DataTree tree = TreeSnapshot.read(out.toByteArray(), new WatchManager());

        assertThat(tree.sessionSecret()).isNull();
        assertThat(tree.lastProcessedZxid()).isEqualTo(0x300000005L);
        assertThat(tree.sessions()).containsExactly(java.util.Map.entry(7L, 4000));
        assertThat(tree.getNode("/a").data()).isEqualTo("x".getBytes());
        assertThat(tree.getNode("/a").stat().mzxid()).isEqualTo(0x300000004L);
        assertThat(tree.getNode("/a").stat().version()).isEqualTo(2);
    }

    @Test
    void foreignBytesAreRejected() {
        assertThatThrownBy(() -> TreeSnapshot.read(new byte[] {1, 2, 3, 4, 5}, new WatchManager()))
            .isInstanceOf(MalformedRecordException.class);
    }

    /** Txns that touch every kind of change a view must see through: data, ACL, children, deletes, sessions. */
    private static List<Txn> history(long first, int count) {
        List<Txn> txns = new java.util.ArrayList<>();
        long z = first;
        txns.add(new Txn(z++, 7, 0, 1, new TxnOp.CreateSessionTxn(4000)));
        for (int i = 0; i < count; i++) {
            String dir = "/d" + (i % 7);
            if (i < 7) {
                txns.add(new Txn(z++, 7, i, 2, new TxnOp.CreateTxn(dir, new byte[0], Acl.OPEN_ACL_UNSAFE, 0, i + 1)));
            }
            String path = dir + "/n" + i;
            txns.add(new Txn(z++, 7, i, 3, new TxnOp.CreateTxn(path, ("v" + i).getBytes(), Acl.OPEN_ACL_UNSAFE,
                i % 5 == 0 ? 7 : 0, i + 1)));
            txns.add(new Txn(z++, 7, i, 4, new TxnOp.SetDataTxn(dir, ("w" + i).getBytes(), i + 1)));
            if (i % 3 == 0) {
                txns.add(new Txn(z++, 7, i, 5, new TxnOp.DeleteTxn(dir + "/n" + (i / 2))));
            }
            if (i % 4 == 0) {
                txns.add(new Txn(z++, 7, i, 6, new TxnOp.SetAclTxn(path, Acl.READ_ACL_UNSAFE, 1)));
            }
            if (i % 11 == 10) {
                txns.add(new Txn(z++, 7, i, 7, new TxnOp.CloseSessionTxn(List.of())));
                txns.add(new Txn(z++, 7, i, 8, new TxnOp.CreateSessionTxn(5000 + i)));
            }
        }
        return txns;
    }

    /** A learner reads a SNAP as its parts came, cut anywhere (inside a path, a length, a value). */
    @Test
    void anImageInPartsReadsAsTheWholeImage() {
        DataTree tree = treeOf(history(0x100000001L, 2_000));
        byte[] whole = TreeSnapshot.write(tree);
        DataTree fromWhole = TreeSnapshot.read(whole, new WatchManager());
        for (int size : new int[] {5, 1000, whole.length}) {
            DataTree fromParts = TreeSnapshot.read(ByteParts.recut(List.of(whole), size), new WatchManager());
            assertThat(TreeSnapshot.write(fromParts)).as("parts of " + size + " bytes").isEqualTo(whole);
            assertThat(fromParts.nodeCount()).isEqualTo(fromWhole.nodeCount());
        }
    }

    private static DataTree treeOf(List<Txn> txns) {
        DataTree tree = new DataTree(new WatchManager());
        txns.forEach(tree::apply);
        return tree;
    }

    /**
     * A large tree's image comes in parts of one size (the last one shorter), never as one array
     * (a fresh array of hundreds of MB holds off the JVM's safepoints); together they are the image.
     */
    @Test
    void aLargeImageIsWrittenInPartsThatTogetherAreTheImage() {
        DataTree tree = treeOf(history(0x100000001L, 20_000));
        byte[] whole = TreeSnapshot.write(tree);
        int partBytes = 64 << 10;
        List<byte[]> parts = TreeSnapshot.begin(tree).writeParts(partBytes);

        assertThat(parts).hasSize((whole.length + partBytes - 1) / partBytes).hasSizeGreaterThan(3);
        assertThat(parts.subList(0, parts.size() - 1)).allSatisfy(part -> assertThat(part).hasSize(partBytes));
        assertThat(ByteParts.join(parts)).isEqualTo(whole);
        assertThat(TreeSnapshot.PART_BYTES).as("one G1 region less an array's header, or 1 MiB").isGreaterThan(1 << 19);
    }

    /**
     * An image begun between two txns is the tree at that zxid, whatever the applier changes
     * before it is written: the tree replayed up to there gives the same bytes.
     */
    @Test
    void anImageShowsTheTreeWhenItBeganNotTheChangesAfter() {
        List<Txn> txns = history(0x100000001L, 200);
        int cut = txns.size() / 2;
        DataTree tree = treeOf(txns.subList(0, cut));
        byte[] expected = TreeSnapshot.write(treeOf(txns.subList(0, cut)));

        TreeSnapshot.Pending pending = TreeSnapshot.begin(tree);
        txns.subList(cut, txns.size()).forEach(tree::apply);
        byte[] image = pending.write();

        assertThat(pending.zxid()).isEqualTo(txns.get(cut - 1).zxid());
        assertThat(image).isEqualTo(expected);
        assertThat(TreeSnapshot.write(tree)).as("the tree itself went on")
            .isEqualTo(TreeSnapshot.write(treeOf(txns)));
    }

    /** The same with the image written on another thread while this one applies, as the node does. */
    @Test
    void anImageWrittenWhileTheApplierRunsIsTheTreeWhenItBegan() throws Exception {
        List<Txn> txns = history(0x100000001L, 20_000);
        int cut = txns.size() / 4;
        DataTree tree = treeOf(txns.subList(0, cut));
        byte[] expected = TreeSnapshot.write(treeOf(txns.subList(0, cut)));

        TreeSnapshot.Pending pending = TreeSnapshot.begin(tree);
        java.util.concurrent.CompletableFuture<byte[]> image =
            java.util.concurrent.CompletableFuture.supplyAsync(pending::write);
        java.util.concurrent.locks.Lock lock = tree.writeLock();
        for (Txn txn : txns.subList(cut, txns.size())) {
            lock.lock();
            try {
                tree.apply(txn);
            } finally {
                lock.unlock();
            }
        }

        assertThat(image.get()).isEqualTo(expected);
        assertThat(TreeSnapshot.write(tree)).isEqualTo(TreeSnapshot.write(treeOf(txns)));
    }
}
