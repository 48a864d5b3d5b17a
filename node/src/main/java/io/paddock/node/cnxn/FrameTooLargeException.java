package io.paddock.node.cnxn;

/** A client announced a packet longer than jute.maxbuffer (or a negative length): the connection is dropped. */
final class FrameTooLargeException extends RuntimeException {
    FrameTooLargeException(int length, int max) {
        super("packet length " + length + " is outside 0.." + max + " (jute.maxbuffer)", null, false, false);
    }
}
