package io.paddock.persistence;

import io.paddock.protocol.Zxid;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.txn.EphemeralType;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;

/** Sample txns of every kind, with zxids in epoch 1. */
public final class Txns {
    private Txns() {
    }

    public static long zxid(long counter) {
        return Zxid.make(1, counter);
    }

    public static Txn txn(long counter) {
        return txn(counter, "");
    }

    /** @param variant changes the content but not the zxid, as a different leader's proposal would */
    public static Txn txn(long counter, String variant) {
        long zxid = zxid(counter);
        String path = "/node-" + counter + variant;
        byte[] data = ("data-" + counter + variant).getBytes(StandardCharsets.UTF_8);
        TxnOp op = switch ((int) (counter % 5)) {
            case 0 -> new TxnOp.CreateTxn(path, data, Acl.OPEN_ACL_UNSAFE, 0, (int) counter);
            case 1 -> new TxnOp.SetDataTxn(path, data, (int) counter);
            case 2 -> new TxnOp.MultiTxn(List.of(
                new TxnOp.CreateTxn(path + "/a", data, List.of(new Acl(31, new Id("digest", "u:h"))),
                    EphemeralType.ttl(5000), 1),
                new TxnOp.CheckVersionTxn(path, 3),
                new TxnOp.DeleteTxn(path + "/b")));
            case 3 -> new TxnOp.CloseSessionTxn(List.of(path, path + "/e"));
            default -> new TxnOp.ErrorTxn(-101);
        };
        return new Txn(zxid, 0x1000L + counter, (int) counter, 1_700_000_000_000L + counter, op);
    }

    public static List<Txn> txns(long fromCounter, long toCounter) {
        return LongStream.rangeClosed(fromCounter, toCounter).mapToObj(Txns::txn).toList();
    }
}
