package io.paddock.protocol.peer;

import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;
import java.util.List;

/**
 * What fits in one message between nodes. Artery drops a message larger than its frame
 * ({@code maximum-frame-size}, set from jute.maxbuffer), and a learner session takes the loss for
 * a gap: the learner re-syncs and would be sent the same message again, for ever. So a message that
 * carries a list (txns, forwarded requests, session touches) is cut by its items' encoded sizes
 * ({@link io.paddock.protocol.Batches}), and no single item may be larger than {@link #itemLimit}:
 * a write whose txn would be is refused before it is logged.
 *
 * <p>Sizes are upper bounds of the jackson-cbor encoding the messages travel in: a txn is one
 * binary value in {@link TxnCodec}'s encoding, so its size is exact up to the value's header.
 */
public final class PeerFrames {
    /** Room for what a message holds besides its items: its own fields, field names and headers, Artery's envelope. */
    private static final int ENVELOPE = 64 * 1024;
    /** Artery's default frame size: never less. */
    private static final int MIN_FRAME = 256 * 1024;
    /** The most a CBOR header (of a number, a byte or text string, an array) takes. */
    private static final int CBOR_HEADER = 9;
    /** A {@link LearnerMessage.Forwarded} besides its body and ids: six field names and values, the map's markers. */
    private static final int FORWARDED = 96;
    /** An {@link Id} besides its two strings: two field names, two string headers, the map's markers. */
    private static final int ID = 32;

    /** A session id in a {@link LearnerMessage.LearnerPing}. */
    public static final long SESSION_TOUCH = CBOR_HEADER;

    private PeerFrames() {
    }

    /**
     * Artery's frame size for a node: twice the largest client packet, with room for the envelope.
     * The config bounds jute.maxbuffer (16 MiB): Artery keeps direct buffers of this size per peer.
     */
    public static long frameSize(int maxBuffer) {
        return Math.max(MIN_FRAME, 2L * maxBuffer + ENVELOPE);
    }

    /** The largest item (a txn, a forwarded write) that one message may carry, alone. */
    public static long itemLimit(int maxBuffer) {
        return frameSize(maxBuffer) - ENVELOPE;
    }

    /** The largest txn, as {@link TxnCodec#size} counts it, that one message can carry. */
    public static long txnLimit(int maxBuffer) {
        return itemLimit(maxBuffer) - CBOR_HEADER;
    }

    /** Items go in messages of at most this many bytes (a larger item alone): as a SNAP is cut in parts. */
    public static long batchBudget(int maxBuffer) {
        return maxBuffer;
    }

    public static long size(Txn txn) {
        return CBOR_HEADER + TxnCodec.size(txn);
    }

    public static long size(LearnerMessage.Forwarded f) {
        return forwardedSize(f.body().length, f.authInfo());
    }

    /** A forwarded write of {@code bodyLength} bytes from a session with these auth ids. */
    public static long forwardedSize(int bodyLength, List<Id> authInfo) {
        long n = FORWARDED + bodyLength;
        for (Id id : authInfo) {
            n += ID + JuteOutput.utf8Length(id.scheme()) + JuteOutput.utf8Length(id.id());
        }
        return n;
    }
}
