package io.paddock.protocol.peer;

/** A server's role as it announces it in election notifications. */
public enum ServerState {
    LOOKING,
    FOLLOWING,
    LEADING,
    OBSERVING
}
