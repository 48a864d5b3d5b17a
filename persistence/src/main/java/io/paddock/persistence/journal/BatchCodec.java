package io.paddock.persistence.journal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload of one journal record: one whole AtomicWrite, laid out as
 * {@code int32 count, then count × (int64 seqNr, int32 length, bytes)}. Sequence numbers sit
 * outside the serialized bytes so that a scan or a ranged replay need not deserialize anything.
 */
final class BatchCodec {
    private BatchCodec() {
    }

    static byte[] encode(List<StoredEvent> events) {
        int size = 4;
        for (StoredEvent e : events) {
            size += 12 + e.bytes().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(events.size());
        for (StoredEvent e : events) {
            out.putLong(e.seqNr()).putInt(e.bytes().length).put(e.bytes());
        }
        return out.array();
    }

    static List<StoredEvent> decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        int count = count(in);
        List<StoredEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seqNr = in.getLong();
            byte[] bytes = new byte[length(in)];
            in.get(bytes);
            events.add(new StoredEvent(seqNr, bytes));
        }
        return events;
    }

    /** The first and last sequence number of a payload, checking its structure on the way. */
    static long[] seqNrRange(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        int count = count(in);
        long first = 0;
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long seqNr = in.getLong();
            if (seqNr <= previous) {
                throw new IllegalArgumentException("sequence numbers out of order: " + seqNr + " after " + previous);
            }
            if (i == 0) {
                first = seqNr;
            }
            previous = seqNr;
            int length = length(in);
            in.position(in.position() + length);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " stray bytes after " + count + " events");
        }
        return new long[] {first, previous};
    }

    private static int count(ByteBuffer in) {
        if (in.remaining() < 4) {
            throw new IllegalArgumentException("payload too short");
        }
        int count = in.getInt();
        if (count <= 0 || count > in.remaining() / 12) {
            throw new IllegalArgumentException("invalid event count " + count);
        }
        return count;
    }

    private static int length(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("invalid event length " + length);
        }
        return length;
    }
}
