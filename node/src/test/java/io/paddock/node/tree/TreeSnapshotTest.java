package io.paddock.node.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.node.watch.WatchManager;
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
}
