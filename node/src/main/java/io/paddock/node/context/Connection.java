package io.paddock.node.context;

import java.net.InetSocketAddress;

/**
 * A client connection as the node's shared state knows it: the session it serves, what cons
 * and stat show of it, and how to end it. The client port implements it; the roles close
 * connections and the inspection commands read them without knowing the port.
 */
public interface Connection {
    /** The session this connection carries; 0 before it has one. */
    long sessionId();

    /** The client's address. */
    InetSocketAddress remote();

    /** When it opened, wall clock ms. */
    long established();

    /** The negotiated session timeout, ms; 0 before a session. */
    int timeout();

    /** Requests received and not yet answered. */
    int outstanding();

    /** Its counters; crst resets them. */
    ConnectionStats stats();

    /** Closes the connection once what is enqueued is sent; the session lives on. Idempotent. */
    void close();
}
