package io.paddock.node.tree;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
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
}
