package io.paddock.node.cnxn;

/** What the client port's framer cuts from a connection's bytes. */
sealed interface Frame {
    /**
     * Whether it counts against the server's {@link OutstandingLimit}: every request but a ping,
     * which waits for nothing, so that an idle client keeps its session while the server is busy
     * (ZooKeeper does not throttle a connection with nothing outstanding either).
     */
    boolean counts();

    /** One length-prefixed packet, without its length; {@code ping}: a request with opcode ping. */
    record Packet(byte[] bytes, boolean ping) implements Frame {
        @Override
        public boolean counts() {
            return !ping;
        }
    }

    /** A four-letter word sent instead of the first packet's length. */
    record FourLetterWord(String word) implements Frame {
        @Override
        public boolean counts() {
            return false;
        }
    }
}
