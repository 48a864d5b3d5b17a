package io.paddock.protocol;

/** WatcherEvent.state values. */
public enum KeeperState {
    DISCONNECTED(0),
    SYNC_CONNECTED(3),
    AUTH_FAILED(4),
    CONNECTED_READ_ONLY(5),
    SASL_AUTHENTICATED(6),
    EXPIRED(-112),
    CLOSED(7);

    private final int code;

    KeeperState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static KeeperState of(int code) {
        for (KeeperState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown keeper state " + code);
    }
}
