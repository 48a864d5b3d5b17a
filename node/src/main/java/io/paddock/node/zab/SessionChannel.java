package io.paddock.node.zab;

import io.paddock.protocol.peer.LearnerMessage;

/**
 * Numbering for one learner session, one direction each. ZAB assumes a FIFO channel without
 * gaps, as ZooKeeper's TCP connection between leader and learner gives it. The session's link is
 * such a connection, but a link may drop what it queued when it ends, and a session's messages
 * went over Artery before, which is ordered but may drop a message (a full send queue, a broken
 * connection) without telling anyone. So every
 * learner message carries the session id the learner chose for this connection attempt and a
 * per-direction sequence number from 1: the sender stamps them with {@link Outgoing}, the
 * receiver checks them with {@link Incoming}, and anything but the next expected number of the
 * same session ends the session (the learner then syncs again) instead of silently leaving a
 * hole in a replica's log.
 */
public final class SessionChannel {
    private SessionChannel() {
    }

    /** Stamps this side's messages of one session with 1, 2, 3, ... */
    public static final class Outgoing {
        private final long session;
        private long lastSeq;

        public Outgoing(long session) {
            this.session = session;
        }

        public long session() {
            return session;
        }

        /** The sequence number of the next message sent; call once per message, in sending order. */
        public long next() {
            return ++lastSeq;
        }
    }

    /**
     * Accepts the other side's messages of one session only in order and without gaps. A rejected
     * message does not advance the expected number: the session is broken and its owner ends it.
     */
    public static final class Incoming {
        private final long session;
        private long expectedSeq = 1;

        public Incoming(long session) {
            this.session = session;
        }

        public long session() {
            return session;
        }

        public long expectedSeq() {
            return expectedSeq;
        }

        public Verdict accept(LearnerMessage message) {
            return accept(message.session(), message.seq());
        }

        public Verdict accept(long session, long seq) {
            if (session != this.session) {
                return new ForeignSession(this.session, session);
            }
            if (seq != expectedSeq) {
                return new Gap(expectedSeq, seq);
            }
            expectedSeq++;
            return Accepted.INSTANCE;
        }
    }

    /** What {@link Incoming#accept} found. */
    public sealed interface Verdict {
        /** True only for the next message of this session. */
        default boolean accepted() {
            return false;
        }
    }

    /** The next message of this session: process it. */
    public enum Accepted implements Verdict {
        INSTANCE;

        @Override
        public boolean accepted() {
            return true;
        }
    }

    /**
     * A message of this session out of order: {@code received > expected} means messages were
     * lost in between, {@code received < expected} that one arrived twice. Either way the log
     * the learner builds could have a hole, so the session ends.
     */
    public record Gap(long expected, long received) implements Verdict {
    }

    /**
     * A message of another session: a late message of an earlier connection attempt, or a new
     * attempt the learner started while this side still held the old one. It must never be
     * processed as part of this session.
     */
    public record ForeignSession(long expected, long received) implements Verdict {
    }
}
