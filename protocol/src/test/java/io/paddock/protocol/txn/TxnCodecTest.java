package io.paddock.protocol.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.MalformedRecordException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxnCodecTest {
    private static final List<Acl> DIGEST = List.of(new Acl(31, new Id("digest", "u:h")), new Acl(1, Id.ANYONE));

    static List<TxnOp> everyOp() {
        List<TxnOp> ops = new ArrayList<>(List.of(
            new TxnOp.CreateTxn("/a", new byte[] {1, 2, 3}, DIGEST, 0x1234L, 7),
            new TxnOp.CreateTxn("/empty", new byte[0], Acl.OPEN_ACL_UNSAFE, 0, 0),
            new TxnOp.CreateTxn("/null-data", null, Acl.READ_ACL_UNSAFE, EphemeralType.ttl(5000), 1),
            new TxnOp.DeleteTxn("/a/b"),
            new TxnOp.SetDataTxn("/a", new byte[] {(byte) 0xff}, 3),
            new TxnOp.SetDataTxn("/a", null, 4),
            new TxnOp.SetAclTxn("/a", DIGEST, 2),
            new TxnOp.CheckVersionTxn("/a", -1),
            new TxnOp.CreateSessionTxn(30_000),
            new TxnOp.CloseSessionTxn(List.of("/e1", "/e2")),
            new TxnOp.CloseSessionTxn(List.of()),
            new TxnOp.ErrorTxn(-101),
            new TxnOp.SessionSecretTxn(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, -2, -3, -4, -5, -6})));
        ops.add(new TxnOp.MultiTxn(List.copyOf(ops)));
        ops.add(new TxnOp.MultiTxn(List.of(new TxnOp.ErrorTxn(0), new TxnOp.ErrorTxn(-101))));
        ops.add(new TxnOp.MultiTxn(List.of()));
        return ops;
    }

    @Test
    void everyOpSurvivesARoundTrip() {
        long zxid = 0x5_0000_0001L;
        for (TxnOp op : everyOp()) {
            Txn txn = new Txn(zxid++, 0x1000_0000_0abcL, 42, 1_700_000_000_123L, op);
            byte[] bytes = TxnCodec.encode(txn);
            Txn back = TxnCodec.decode(bytes);
            assertThat(back).as(op.toString()).usingRecursiveComparison().isEqualTo(txn);
            assertThat(TxnCodec.encode(back)).as("encoding is stable").isEqualTo(bytes);
        }
    }

    /** The size peer messages and journal batches are cut by is the encoding's length, without encoding. */
    @Test
    void sizeIsTheEncodedLengthForEveryOp() {
        List<TxnOp> ops = new ArrayList<>(everyOp());
        // UTF-8 of 1, 2, 3 and 4 bytes per character, and a lone surrogate (encoded as '?')
        ops.add(new TxnOp.CreateTxn("/a\u00e9\u4e2d\ud83d\ude00", new byte[5],
            List.of(new Acl(31, new Id("digest", "\u00fcser:h\ud800"))), 0, 1));
        ops.add(new TxnOp.CloseSessionTxn(List.of("/\ud800x", "/\udc00")));
        ops.add(new TxnOp.CreateTxn("/null-acl", new byte[0], null, 0, 0));
        ops.add(new TxnOp.MultiTxn(List.of(new TxnOp.MultiTxn(List.copyOf(ops)))));
        for (TxnOp op : ops) {
            Txn txn = new Txn(1, 2, 3, 4, op);
            assertThat(TxnCodec.size(txn)).as(op.toString()).isEqualTo(TxnCodec.encode(txn).length);
        }
    }

    @Test
    void theSessionSecretTravelsWhole() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0x5a);
        Txn txn = new Txn(0x7_0000_0001L, 0, 0, 1_700_000_000_000L, new TxnOp.SessionSecretTxn(secret));
        byte[] bytes = TxnCodec.encode(txn);
        assertThat(((TxnOp.SessionSecretTxn) TxnCodec.decode(bytes).op()).secret()).isEqualTo(secret);
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> TxnCodec.decode(cut)).as("a secret cut short").isInstanceOf(MalformedRecordException.class);
        for (byte[] none : new byte[][] {null, new byte[0]}) {
            byte[] empty = TxnCodec.encode(new Txn(1, 0, 0, 0, new TxnOp.SessionSecretTxn(none)));
            assertThatThrownBy(() -> TxnCodec.decode(empty)).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("without a secret");
        }
    }

    @Test
    void trailingBytesAndUnknownOpsAreRejected() {
        byte[] bytes = TxnCodec.encode(new Txn(1, 2, 3, 4, new TxnOp.DeleteTxn("/x")));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> TxnCodec.decode(longer)).isInstanceOf(MalformedRecordException.class)
            .hasMessageContaining("1 bytes after the end");
        byte[] unknownTag = bytes.clone();
        unknownTag[8 + 8 + 4 + 8 + 3] = 99; // the op tag's low byte
        assertThatThrownBy(() -> TxnCodec.decode(unknownTag)).isInstanceOf(MalformedRecordException.class)
            .hasMessageContaining("unknown txn op tag 99");
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 2);
        assertThatThrownBy(() -> TxnCodec.decode(truncated)).isInstanceOf(MalformedRecordException.class);
    }
}
