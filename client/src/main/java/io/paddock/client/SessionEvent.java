package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A change of the session's state. {@code negotiatedTimeout} is the timeout the server granted
 * (zero before the first connection); {@code server} is the server involved, or null when none is.
 */
public record SessionEvent(State state, long sessionId, Duration negotiatedTimeout, InetSocketAddress server) {

    public enum State {
        /** Connected to a server with a new session (the first connection, or after a renewal). */
        CONNECTED,
        /** The same session connected again after DISCONNECTED; its watches and ephemerals are intact. */
        RECONNECTED,
        /** The connection was lost; the session tries the next server and may still be alive. */
        DISCONNECTED,
        /** The server says the session is gone. Terminal: ephemerals and watches are lost. */
        EXPIRED,
        /** The session was closed by the client. Terminal. */
        CLOSED,
        /** The server rejected a credential given with addAuth. Terminal, as in ZooKeeper's client. */
        AUTH_FAILED;

        public boolean isTerminal() {
            return this == EXPIRED || this == CLOSED || this == AUTH_FAILED;
        }

        /** What requests fail with once this terminal state ended the session, as ZooKeeper's client answers them. */
        public ErrorCode failureCode() {
            return this == AUTH_FAILED ? ErrorCode.AUTHFAILED : ErrorCode.SESSIONEXPIRED;
        }
    }
}
