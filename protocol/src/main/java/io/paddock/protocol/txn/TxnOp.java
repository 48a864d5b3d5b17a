package io.paddock.protocol.txn;

import io.paddock.protocol.data.Acl;
import java.util.List;

/** The change a {@link Txn} makes. Failed writes are logged too, as {@link ErrorTxn}, because they consume a zxid. */
public sealed interface TxnOp {

    /**
     * Creates {@code path} (its final name, sequence suffix included).
     *
     * @param ephemeralOwner  the owning session for an ephemeral, or ZooKeeper's encoding of a
     *                        container or TTL node; 0 for a plain persistent node
     * @param parentCVersion  the parent's child-creation count after this create
     */
    record CreateTxn(String path, byte[] data, List<Acl> acl, long ephemeralOwner, int parentCVersion)
        implements TxnOp {
    }

    record DeleteTxn(String path) implements TxnOp {
    }

    /** @param version the node's data version after the change */
    record SetDataTxn(String path, byte[] data, int version) implements TxnOp {
    }

    /** @param version the node's ACL version after the change */
    record SetAclTxn(String path, List<Acl> acl, int version) implements TxnOp {
    }

    /** A successful version check inside a multi (or alone); changes nothing. */
    record CheckVersionTxn(String path, int version) implements TxnOp {
    }

    record CreateSessionTxn(int timeOut) implements TxnOp {
    }

    /**
     * Ends a session and deletes every ephemeral it owns, as the tree holds them at this txn's
     * zxid: the same on every replica, since each applies the same txns in order and a snapshot is
     * always taken between two txns. Unlike ZooKeeper's (which lists the ephemerals for replay over
     * its fuzzy snapshots, ZOOKEEPER-3145), the txn stays small whatever the session owns: listed,
     * 40,000 long names would not fit in a peer message (ZOOKEEPER-4306).
     *
     * @param ephemerals empty; logs written before Paddock stopped listing them may hold some, which
     *                   are deleted first
     */
    record CloseSessionTxn(List<String> ephemerals) implements TxnOp {
    }

    /** A write that failed validation; it changes nothing but still takes its zxid. */
    record ErrorTxn(int err) implements TxnOp {
    }

    /**
     * Gives the ensemble the secret its session passwords are derived from: proposed once, by the
     * first leader whose tree has none, before it serves, so that every createSession follows it.
     */
    record SessionSecretTxn(byte[] secret) implements TxnOp {
    }

    /** All ops of a multi, applied atomically under one zxid; a failed multi holds only ErrorTxns. */
    record MultiTxn(List<TxnOp> ops) implements TxnOp {
    }
}
