package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import java.util.List;

/** The per-op results of a multi. A multi that failed is rolled back and every result is an {@link OpResult.Error}. */
public record MultiResult(List<OpResult> results) {

    /** True when all ops were applied. */
    public boolean committed() {
        return results.stream().noneMatch(r -> r instanceof OpResult.Error);
    }

    /** The code of the op that made the multi fail, or {@code OK} when it committed. */
    public ErrorCode error() {
        for (OpResult r : results) {
            if (r instanceof OpResult.Error e && e.code() != ErrorCode.OK) {
                return e.code();
            }
        }
        return ErrorCode.OK;
    }
}
