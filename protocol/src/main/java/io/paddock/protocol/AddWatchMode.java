package io.paddock.protocol;

/** AddWatchRequest.mode values. */
public enum AddWatchMode {
    PERSISTENT(0),
    PERSISTENT_RECURSIVE(1);

    private final int code;

    AddWatchMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The mode for a code, or null when the code is unknown. */
    public static AddWatchMode of(int code) {
        for (AddWatchMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        return null;
    }
}
