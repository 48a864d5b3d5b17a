package io.paddock.node.cnxn;

/** What the client port's framer cuts from a connection's bytes. */
sealed interface Frame {
    /** One length-prefixed packet, without its length. */
    record Packet(byte[] bytes) implements Frame {
    }

    /** A four-letter word sent instead of the first packet's length. */
    record FourLetterWord(String word) implements Frame {
    }
}
