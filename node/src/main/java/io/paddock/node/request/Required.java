package io.paddock.node.request;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;

/** A path or list a request must carry but may arrive as null (a length of -1 on the wire). */
final class Required {
    private Required() {
    }

    /** {@code value}, or MARSHALLINGERROR when it is null: ZooKeeper 3.9.5's answer (its processors catch the NullPointerException). */
    static <T> T present(T value) throws KeeperException {
        if (value == null) {
            throw new KeeperException(ErrorCode.MARSHALLINGERROR);
        }
        return value;
    }
}
