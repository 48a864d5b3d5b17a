package io.paddock.client;

/**
 * The connection can no longer be trusted: the server broke the wire protocol (an impossible
 * frame length, a reply out of order, a record that does not decode) or stopped taking frames.
 * The session drops the connection and reattaches elsewhere.
 */
final class ConnectionFault extends RuntimeException {
    ConnectionFault(String message) {
        super(message, null, false, false);
    }
}
