package io.paddock.persistence;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.paddock.protocol.txn.Txn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The last logged txns, as many as a {@link HistoryWindow} keeps, oldest first: a bounded ring
 * that holds every logged txn with a zxid above {@code floor}. The TxnLog's ring (serialized with
 * its state, changed only by its event handler) and a leader's history for DIFF syncs. Mutable,
 * single-threaded.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class RecentTxns {
    private final ArrayDeque<Txn> txns;
    private long floor;
    /** The encoded size of {@link #txns}; derived, so not serialized. */
    private transient long bytes;

    RecentTxns() {
        this(List.of(), 0);
    }

    /** {@code txns}, in zxid order, all above {@code floor}: every txn above the floor there is. */
    @JsonCreator
    public RecentTxns(@JsonProperty("txns") List<Txn> txns, @JsonProperty("floor") long floor) {
        this.txns = new ArrayDeque<>(txns == null ? List.of() : txns);
        this.floor = floor;
        this.txns.forEach(t -> bytes += HistoryWindow.sizeOf(t));
    }

    /** Adds logged txns and trims to the window, keeping every txn above {@code keepAbove}. */
    void append(List<Txn> logged, HistoryWindow window, long keepAbove) {
        logged.forEach(this::add);
        trim(window, keepAbove);
    }

    /** Adds the next txn, whatever the window: the caller trims. */
    public void add(Txn txn) {
        txns.addLast(txn);
        bytes += HistoryWindow.sizeOf(txn);
    }

    /** Drops the oldest txns while there are more than {@code window} keeps, but none above {@code upTo}. */
    public void trim(HistoryWindow window, long upTo) {
        while (!txns.isEmpty() && window.exceededBy(txns.size(), bytes) && txns.peekFirst().zxid() <= upTo) {
            Txn oldest = txns.removeFirst();
            bytes -= HistoryWindow.sizeOf(oldest);
            floor = oldest.zxid();
        }
    }

    /** Drops the txns above {@code toZxid}; afterwards nothing above it is logged at all. */
    void truncate(long toZxid) {
        while (!txns.isEmpty() && txns.peekLast().zxid() > toZxid) {
            bytes -= HistoryWindow.sizeOf(txns.removeLast());
        }
        floor = Math.min(floor, toZxid);
    }

    /** Forgets everything: a snapshot from elsewhere at {@code zxid} replaces the history. */
    void resetTo(long zxid) {
        txns.clear();
        bytes = 0;
        floor = zxid;
    }

    /** True when every logged txn above {@code zxid} is still here. */
    boolean reachesBack(long zxid) {
        return zxid >= floor;
    }

    /** The txns at or below {@code zxid}, oldest first. */
    public List<Txn> upTo(long zxid) {
        List<Txn> out = new ArrayList<>();
        for (Txn txn : txns) {
            if (txn.zxid() > zxid) {
                break;
            }
            out.add(txn);
        }
        return out;
    }

    /** The txns above {@code zxid}, oldest first. */
    List<Txn> after(long zxid) {
        List<Txn> out = new ArrayList<>();
        for (Iterator<Txn> it = txns.descendingIterator(); it.hasNext(); ) {
            Txn txn = it.next();
            if (txn.zxid() <= zxid) {
                break;
            }
            out.add(txn);
        }
        Collections.reverse(out);
        return out;
    }

    /** Every txn above this zxid is here. */
    public long floor() {
        return floor;
    }

    int size() {
        return txns.size();
    }
}
