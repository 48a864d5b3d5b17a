package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.data.Stat;

/** The outcome of one op of a multi, in the order of the ops. */
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

    /**
     * The multi was rolled back. As in ZooKeeper, every op then reports a code: {@code OK} for
     * the ops before the one that failed, that op's own code, and {@code RUNTIMEINCONSISTENCY}
     * for the ops after it, which were never tried.
     */
    record Error(ErrorCode code) implements OpResult {
    }
}
