package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.data.Stat;
import java.util.List;

/** The outcome of one op of a multi or a multiRead, in the order of the ops. */
public sealed interface OpResult {

    /** A node was created; {@code stat} is null for plain creates (the server sends none for them). */
    record Created(String path, Stat stat) implements OpResult {
    }

    record Deleted() implements OpResult {
    }

    record DataSet(Stat stat) implements OpResult {
    }

    record Checked() implements OpResult {
    }

    /** A multiRead's getData. */
    record DataRead(byte[] data, Stat stat) implements OpResult {
    }

    /** A multiRead's getChildren. */
    record ChildrenRead(List<String> children) implements OpResult {
    }

    /**
     * In a multi: the multi was rolled back. As in ZooKeeper, every op then reports a code:
     * {@code OK} for the ops before the one that failed, that op's own code, and
     * {@code RUNTIMEINCONSISTENCY} for the ops after it, which were never tried. In a multiRead:
     * this read failed (e.g. NONODE), the others stand.
     */
    record Error(ErrorCode code) implements OpResult {
    }
}
