package io.paddock.protocol;

/**
 * A request failed with a ZooKeeper error code. Thrown by request preparation and by reads;
 * cheap to create because it carries no stack trace.
 */
public final class KeeperException extends Exception {
    private final ErrorCode code;

    public KeeperException(ErrorCode code) {
        this(code, null);
    }

    public KeeperException(ErrorCode code, String path) {
        super(path == null ? code.name() : code.name() + " for " + path, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
