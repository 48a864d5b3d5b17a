package io.paddock.node.tree;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.data.Stat;
import java.util.List;

/**
 * What applying one txn produced, enough to build the client's reply: an error code, the path
 * created (with its sequence suffix), the stat after the change, or one result per op of a multi.
 */
public record ApplyResult(int err, String path, Stat stat, List<ApplyResult> multi) {
    public static final ApplyResult OK = new ApplyResult(0, null, null, null);

    public static ApplyResult error(int err) {
        return new ApplyResult(err, null, null, null);
    }

    public static ApplyResult of(String path, Stat stat) {
        return new ApplyResult(0, path, stat, null);
    }

    public boolean failed() {
        return err != ErrorCode.OK.code();
    }
}
