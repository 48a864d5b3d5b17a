package io.paddock.node.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
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
    void foreignBytesAreRejected() {
        assertThatThrownBy(() -> TreeSnapshot.read(new byte[] {1, 2, 3, 4, 5}, new WatchManager()))
            .isInstanceOf(MalformedRecordException.class);
    }
}
