package io.paddock.node.zab.sim;

import io.paddock.protocol.Zxid;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The safety properties of ZAB, checked whenever the state they speak of changes (so after every
 * step of the simulation):
 * <ul>
 *   <li>at most one leader establishes per epoch;</li>
 *   <li>committed prefixes agree: whatever a server applies as committed up to a zxid is exactly
 *       the txns every other server applied up to it (no gap, no other txn);</li>
 *   <li>a txn acknowledged to a client is durable on a quorum when acknowledged, and in the log of
 *       every leader that establishes later.</li>
 * </ul>
 * A violation throws, naming it.
 */
final class Checker {
    private final io.paddock.node.zab.QuorumVerifier voters;
    private final Map<Long, Long> leaderOfEpoch = new HashMap<>();
    /** Every txn any server applied as committed, by zxid: its identity. */
    private final NavigableMap<Long, String> committed = new TreeMap<>();
    /** Txns acknowledged to clients, by zxid. */
    private final NavigableMap<Long, String> acked = new TreeMap<>();

    Checker(io.paddock.node.zab.QuorumVerifier voters) {
        this.voters = voters;
    }

    /** What a txn is: its zxid and data (Txn's own equality compares arrays by reference). */
    static String identity(Txn txn) {
        byte[] data = ((TxnOp.SetDataTxn) txn.op()).data();
        return Zxid.toHex(txn.zxid()) + "=" + new String(data, StandardCharsets.UTF_8);
    }

    void established(long server, long epoch, List<Txn> log) {
        Long other = leaderOfEpoch.putIfAbsent(epoch, server);
        if (other != null && other != server) {
            throw new AssertionError("servers " + other + " and " + server + " both established epoch " + epoch);
        }
        for (Map.Entry<Long, String> a : acked.entrySet()) {
            Txn t = SimServer.find(log, a.getKey());
            if (t == null || !identity(t).equals(a.getValue())) {
                throw new AssertionError("server " + server + " established epoch " + epoch + " without the acknowledged txn "
                    + a.getValue() + " in its log (it has " + (t == null ? "nothing" : identity(t)) + " there)");
            }
        }
    }

    /**
     * Server {@code server} applied {@code tree[from..]} as committed (its tree below {@code from}
     * was checked before): it must agree with what every server committed, with no gap.
     */
    void committed(long server, List<Txn> tree, int from) {
        if (tree.isEmpty() || from >= tree.size()) {
            return;
        }
        long low = from == 0 ? 0 : tree.get(from - 1).zxid();
        long high = tree.get(tree.size() - 1).zxid();
        for (int i = from; i < tree.size(); i++) {
            Txn t = tree.get(i);
            String id = identity(t);
            String before = committed.putIfAbsent(t.zxid(), id);
            if (before != null && !before.equals(id)) {
                throw new AssertionError("server " + server + " committed " + id + " where another committed " + before);
            }
        }
        int known = committed.subMap(low, false, high, true).size();
        if (known != tree.size() - from) {
            throw new AssertionError("server " + server + " committed up to " + Zxid.toHex(high) + " but lacks "
                + (known - (tree.size() - from)) + " txn(s) others committed in (" + Zxid.toHex(low) + ", "
                + Zxid.toHex(high) + "]");
        }
    }

    /** A client's write is acknowledged: its txn must be durable on a quorum of voters right now. */
    void acked(Txn txn, Collection<SimServer> servers) {
        int copies = 0;
        for (SimServer s : servers) {
            if (!voters.isVoter(s.id)) {
                continue; // an observer's copy is no vote
            }
            Txn t = SimServer.find(s.durableLog(), txn.zxid());
            if (t != null && identity(t).equals(identity(txn))) {
                copies++;
            }
        }
        if (copies < voters.quorumSize()) {
            throw new AssertionError("txn " + identity(txn) + " was acknowledged with " + copies + " durable copies"
                + " on voters; a quorum is " + voters.quorumSize());
        }
        acked.put(txn.zxid(), identity(txn));
    }

    int ackedCount() {
        return acked.size();
    }

    int epochs() {
        return leaderOfEpoch.size();
    }
}
