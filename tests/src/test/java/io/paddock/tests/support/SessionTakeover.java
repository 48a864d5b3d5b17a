package io.paddock.tests.support;

import io.paddock.protocol.proto.ConnectResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * What a client can do with another session's id alone, which every ephemeral shows as its
 * ephemeralOwner: ask a server to resume that session with each password derivable from the id.
 * A server must refuse them all; only the password the session was given resumes it.
 */
public final class SessionTakeover {
    /** ZooKeeper 3.9's ZooKeeperServer.superSecret: its passwords are 16 bytes of java.util.Random(id ^ this). */
    private static final long ZOOKEEPER_SUPER_SECRET = 0xB3415C00L;

    private SessionTakeover() {
    }

    /** Every password derivable from {@code sessionId} alone, by how it was derived. */
    public static Map<String, byte[]> passwordsFromId(long sessionId) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("Paddock's former SHA-256(\"paddock-session\", id)", formerPaddockPassword(sessionId));
        byte[] zk = new byte[16];
        new Random(sessionId ^ ZOOKEEPER_SUPER_SECRET).nextBytes(zk);
        out.put("ZooKeeper's Random(id ^ 0xB3415C00)", zk);
        out.put("16 zero bytes", new byte[16]);
        out.put("no bytes", new byte[0]);
        return out;
    }

    private static byte[] formerPaddockPassword(long sessionId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("paddock-session".getBytes(StandardCharsets.US_ASCII));
            sha.update(ByteBuffer.allocate(8).putLong(sessionId).array());
            return Arrays.copyOf(sha.digest(), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Tries every password derivable from {@code sessionId} on every port; returns the attempts a
     * server accepted, e.g. "port 2181, ZooKeeper's ...: resumed" (empty when all were refused).
     */
    public static List<String> resumedWithDerivedPasswords(long sessionId, List<Integer> ports) {
        List<String> accepted = new ArrayList<>();
        for (int port : ports) {
            passwordsFromId(sessionId).forEach((how, passwd) -> {
                ConnectResponse r = resume(port, sessionId, passwd);
                if (r.timeOut() != 0 || r.sessionId() == sessionId) {
                    accepted.add("port " + port + ", " + how + ": resumed with timeout " + r.timeOut());
                }
            });
        }
        return accepted;
    }

    /** Resumes the session on {@code port} with {@code passwd}, or fails saying {@code where} it was refused. */
    public static void assertResumes(int port, long sessionId, byte[] passwd, String where) {
        ConnectResponse r = resume(port, sessionId, passwd);
        if (r.sessionId() != sessionId || r.timeOut() <= 0 || !Arrays.equals(r.passwd(), passwd)) {
            throw new AssertionError("the session's own password did not resume it " + where + ": got session 0x"
                + Long.toHexString(r.sessionId()) + ", timeout " + r.timeOut());
        }
    }

    /**
     * Waits until the victim's session still works (its client reconnects when a resume took its
     * connection) and another client sees {@code ephemeral} still owned by it.
     */
    public static void awaitAlive(ZooKeeper victim, ZooKeeper observer, String ephemeral, Duration patience) {
        long id = victim.getSessionId();
        Await.until(patience, "the victim writes in its session",
            () -> victim.setData(ephemeral, "still held".getBytes(StandardCharsets.UTF_8), -1) != null);
        Await.until(patience, "another client sees " + ephemeral + " owned by the victim", () -> {
            Stat s = observer.exists(ephemeral, false);
            return s != null && s.getEphemeralOwner() == id;
        });
    }

    /** Asks the server on {@code port} to resume the session; a refusal has timeout 0 and session id 0. */
    public static ConnectResponse resume(int port, long sessionId, byte[] passwd) {
        try (RawClient client = RawClient.open(port)) {
            return client.connect(0, sessionId, passwd, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
