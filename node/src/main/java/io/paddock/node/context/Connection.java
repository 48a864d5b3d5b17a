package io.paddock.node.context;

/**
 * A client connection as the node's shared state knows it: the session it serves, and how to end
 * it. The client port implements it; the roles close connections through it without knowing the port.
 */
public interface Connection {
    /** The session this connection carries; 0 before it has one. */
    long sessionId();

    /** Closes the connection once what is enqueued is sent; the session lives on. Idempotent. */
    void close();
}
