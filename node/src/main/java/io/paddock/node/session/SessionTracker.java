package io.paddock.node.session;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The leader's runtime view of sessions: when each was last heard from and whether it is
 * closing. Connections touch sessions from their own threads; the leader asks for expired ones
 * once per tick.
 *
 * <p>A session expires once {@code timeout} ms have passed since its last packet; checked
 * every tickTime, it expires between timeout and timeout + tickTime, as in ZooKeeper. Time comes
 * from the clock passed in: a monotonic one in a node (System.nanoTime), so that a jump of the
 * wall clock expires nothing (ZooKeeper's ZOOKEEPER-1366: a clock set forward expired every
 * session); a manual one in tests.
 *
 * <p>A session's password is derived from its id and the ensemble's secret, which is replicated
 * state (a txn the first leader proposes, held by the tree and its snapshots).
 */
public final class SessionTracker {
    /** One live session. */
    public static final class Session {
        final long id;
        volatile int timeout;
        volatile long lastSeenMillis;
        volatile boolean closing;
        /** The client connection that created or last resumed it ({@link #claim}); the leader's thread alone. */
        long owner = NO_OWNER;

        Session(long id, int timeout, long now) {
            this.id = id;
            this.timeout = timeout;
            this.lastSeenMillis = now;
        }

        public long id() {
            return id;
        }

        public int timeout() {
            return timeout;
        }

        public boolean closing() {
            return closing;
        }

        /** When it was last heard from, on the tracker's clock. */
        public long lastSeenMillis() {
            return lastSeenMillis;
        }
    }

    /** No connection owns the session (connections are random tokens, never 0). */
    private static final long NO_OWNER = 0;
    private static final String HMAC = "HmacSHA256";
    private static final int SECRET_BYTES = 32;
    private static final int PASSWORD_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentHashMap<Long, Session> sessions = new ConcurrentHashMap<>();
    /** Sessions heard from since the last {@link #drainTouched()}: a learner reports them to the leader, which expires sessions. */
    private final Set<Long> touched = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextId;
    private final LongSupplier clock;

    /**
     * Session ids carry the server id in the top byte and the start time (wall clock, ms) below, as
     * ZooKeeper's do; {@code clock} tells the time in ms for timeouts, from any fixed origin.
     */
    public SessionTracker(long serverId, long startMillis, LongSupplier clock) {
        this.nextId = new AtomicLong(((startMillis << 24) >>> 8) | (serverId << 56));
        this.clock = clock;
    }

    /** A monotonic clock in ms: System.nanoTime, which a change of the wall clock does not move. */
    public static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** The time on this tracker's clock, ms: for liveness decisions made alongside session expiry. */
    public long now() {
        return clock.getAsLong();
    }

    public long nextSessionId() {
        return nextId.incrementAndGet();
    }

    public void add(long id, int timeout) {
        sessions.put(id, new Session(id, timeout, now()));
    }

    /** Learns of a session created elsewhere (a replica applying its createSession); one already known is kept as it is. */
    public void addIfAbsent(long id, int timeout) {
        sessions.putIfAbsent(id, new Session(id, timeout, now()));
    }

    /**
     * A new leader's sessions: exactly the ones the committed tree holds, each given a full timeout
     * from now, none closing. As in ZooKeeper, a new leader cannot know when its predecessor
     * last heard from a session (a replica saw only the activity of its own clients, so its record
     * of the others is as old as their creation), and a close that was proposed but never committed
     * did not happen.
     */
    public void resetTo(java.util.Map<Long, Integer> live) {
        long now = now();
        sessions.keySet().retainAll(live.keySet());
        live.forEach((id, timeout) -> sessions.put(id, new Session(id, timeout, now)));
    }

    public Session get(long id) {
        return sessions.get(id);
    }

    /** Records activity; false when the session is unknown or closing. */
    public boolean touch(long id) {
        Session s = sessions.get(id);
        if (s == null || s.closing) {
            return false;
        }
        s.lastSeenMillis = now();
        touched.add(id);
        return true;
    }

    /** The sessions touched since the last call, to report to the leader. */
    public List<Long> drainTouched() {
        List<Long> out = new ArrayList<>(touched);
        touched.removeAll(out);
        return out;
    }

    /** A session that may still issue requests. */
    public boolean isActive(long id) {
        Session s = sessions.get(id);
        return s != null && !s.closing;
    }

    public void setTimeout(long id, int timeout) {
        Session s = sessions.get(id);
        if (s != null) {
            s.timeout = timeout;
        }
    }

    /** Marks the session closing; false if it was unknown or already closing. */
    public boolean startClosing(long id) {
        Session s = sessions.get(id);
        if (s == null || s.closing) {
            return false;
        }
        s.closing = true;
        return true;
    }

    public void remove(long id) {
        sessions.remove(id);
    }

    public int size() {
        return sessions.size();
    }

    /** Every session held, in no particular order. */
    public List<Session> all() {
        return List.copyOf(sessions.values());
    }

    /** Sessions silent for at least their timeout, not yet closing. */
    public List<Long> expired() {
        long now = now();
        List<Long> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (!s.closing && now - s.lastSeenMillis >= s.timeout) {
                out.add(s.id);
            }
        }
        return out;
    }

    /**
     * ZooKeeper's session owner, kept by the leader: true when a write of the session may come
     * through client connection {@code connection}. The connection that created or last resumed
     * the session owns it; a write through any other was sent on a connection the client has left,
     * and applied now it could land after the writes the client made since (SESSIONMOVED). The
     * first connection to write claims a session nobody owns (a new leader knows no owners, as in
     * ZooKeeper). True for a session this tracker lacks: its expiry is judged elsewhere. Called on
     * the leader's thread only, as {@link #revalidate}.
     */
    public boolean claim(long id, long connection) {
        Session s = sessions.get(id);
        if (s == null) {
            return true;
        }
        if (s.owner == NO_OWNER) {
            s.owner = connection;
        }
        return s.owner == connection;
    }

    /**
     * A client resumed the session on {@code connection}: with the session's password, its writes
     * come from there now, and the resumption is the session's activity.
     */
    public void revalidate(byte[] secret, long id, byte[] passwd, long connection) {
        Session s = sessions.get(id);
        if (s != null && resume(secret, id, passwd) == Resume.RESUME) {
            s.owner = connection;
            touch(id); // as ZooKeeper's revalidation: the client is alive, though its answer may wait for a quorum
        }
    }

    /** What a server may do with a client that asks to resume a session. */
    public enum Resume {
        /** The password is the session's: resume it. */
        RESUME,
        /** This server knows the secret and the session, and the password is not the session's: refuse. */
        WRONG_PASSWORD,
        /** This server lacks the secret or does not know the session: catch up with the leader, then ask again. */
        UNKNOWN
    }

    /**
     * Checks a password only where it can be checked: against {@code secret} (the tree's; null until
     * applied) and a session this server knows is active.
     */
    public Resume resume(byte[] secret, long sessionId, byte[] passwd) {
        if (secret == null || !isActive(sessionId)) {
            return Resume.UNKNOWN;
        }
        return passwd != null && MessageDigest.isEqual(password(secret, sessionId), passwd) ? Resume.RESUME
            : Resume.WRONG_PASSWORD;
    }

    /** A new ensemble secret, from a SecureRandom: the leader makes it once and the log carries it to every server. */
    public static byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /**
     * The session's password: HMAC-SHA256 of its id under the ensemble's secret, cut to 16 bytes
     * (the length ZooKeeper's clients expect). Every server holds the secret, so any of them can
     * check a reconnecting client; without it the password cannot be derived from the id, which is
     * public (every ephemeral's ephemeralOwner).
     */
    public static byte[] password(byte[] secret, long sessionId) {
        if (secret == null) {
            throw new IllegalStateException("no session secret applied yet: a session cannot have a password");
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(8).putLong(sessionId).array()), PASSWORD_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is required", e);
        }
    }
}
