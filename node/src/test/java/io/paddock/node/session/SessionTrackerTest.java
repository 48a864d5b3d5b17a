package io.paddock.node.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionTrackerTest {
    /** The tracker's clock, driven by the test. */
    private final AtomicLong clock = new AtomicLong();

    private SessionTracker tracker(long serverId) {
        return new SessionTracker(serverId, 1_000, clock::get);
    }

    @Test
    void sessionExpiresOnceSilentForItsTimeout() {
        SessionTracker t = tracker(3);
        long id = t.nextSessionId();
        t.add(id, 4000);
        clock.set(3999);
        assertThat(t.expired()).isEmpty();
        clock.set(3000);
        assertThat(t.touch(id)).isTrue();
        clock.set(6999);
        assertThat(t.expired()).isEmpty();
        clock.set(7000);
        assertThat(t.expired()).containsExactly(id);
        assertThat(t.startClosing(id)).isTrue();
        clock.set(100_000);
        assertThat(t.expired()).isEmpty();
        assertThat(t.touch(id)).isFalse();
        assertThat(t.startClosing(id)).isFalse();
    }

    /**
     * ZOOKEEPER-1366: a wall clock set forward expired every session. A node gives its tracker
     * the monotonic clock, which a change of the wall clock does not move.
     */
    @Test
    void aNodesTrackerRunsOnTheMonotonicClock() {
        SessionTracker t = new SessionTracker(1, System.currentTimeMillis(), SessionTracker::monotonicMillis);
        long before = System.nanoTime() / 1_000_000;
        long now = t.now();
        assertThat(now).isBetween(before, System.nanoTime() / 1_000_000);
    }

    /**
     * A follower knew the sessions of other servers' clients only from their createSession, so
     * when it becomes leader its record of them is as old as their creation: found in the
     * multi-process leader-kill test, where the new leader expired live sessions on its first tick.
     */
    @Test
    void aNewLeaderGivesEveryCommittedSessionAFullTimeoutAndForgetsTheRest() {
        SessionTracker t = tracker(2);
        t.add(11, 10_000);        // another server's client: never touched here
        t.add(12, 10_000);
        t.startClosing(12);       // a close proposed by this node, never committed
        t.add(13, 10_000);        // created by a proposal that never committed
        clock.set(20_000);
        assertThat(t.expired()).containsExactlyInAnyOrder(11L, 13L);

        t.resetTo(java.util.Map.of(11L, 10_000, 12L, 4_000));

        clock.set(23_999);
        assertThat(t.expired()).isEmpty();
        clock.set(24_000);
        assertThat(t.expired()).containsExactly(12L);
        assertThat(t.isActive(12)).isTrue();
        assertThat(t.get(12).timeout()).isEqualTo(4_000);
        assertThat(t.get(13)).isNull();
        clock.set(30_000);
        assertThat(t.expired()).containsExactlyInAnyOrder(11L, 12L);
    }

    @Test
    void idsCarryTheServerIdInTheTopByte() {
        SessionTracker t = tracker(5);
        long a = t.nextSessionId();
        assertThat(a >>> 56).isEqualTo(5);
        assertThat(t.nextSessionId()).isEqualTo(a + 1);
    }

    @Test
    void passwordsDependOnTheSecretAndTheId() {
        byte[] secret = SessionTracker.newSecret();
        byte[] other = SessionTracker.newSecret();
        assertThat(secret).hasSize(32).isNotEqualTo(other);
        long a = 0x0500_0000_0000_0001L;
        byte[] password = SessionTracker.password(secret, a);
        assertThat(password).as("ZooKeeper's length").hasSize(16).isEqualTo(SessionTracker.password(secret.clone(), a));
        assertThat(SessionTracker.password(secret, a + 1)).isNotEqualTo(password);
        assertThat(SessionTracker.password(other, a)).as("another ensemble's secret").isNotEqualTo(password);
        assertThatThrownBy(() -> SessionTracker.password(null, a)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no session secret");
    }

    /** RFC 4231's first HMAC-SHA256 test vector, cut to 16 bytes: the derivation is the standard one. */
    @Test
    void passwordIsHmacSha256OfTheIdCutTo16Bytes() {
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0x0b);
        long hiThere = 0x4869205468657265L; // "Hi There" as 8 big-endian bytes
        assertThat(java.util.HexFormat.of().formatHex(SessionTracker.password(key, hiThere)))
            .isEqualTo("b0344c61d8db38535ca8afceaf0bf12b");
    }

    @Test
    void aPasswordIsCheckedOnlyWhereTheSecretAndTheSessionAreKnown() {
        SessionTracker t = tracker(1);
        byte[] secret = SessionTracker.newSecret();
        long id = t.nextSessionId();
        byte[] own = SessionTracker.password(secret, id);
        assertThat(t.resume(secret, id, own)).as("a session not known here").isEqualTo(SessionTracker.Resume.UNKNOWN);
        assertThat(t.resume(secret, id, new byte[16])).isEqualTo(SessionTracker.Resume.UNKNOWN);

        t.add(id, 10_000);
        assertThat(t.resume(null, id, own)).as("no secret applied here yet").isEqualTo(SessionTracker.Resume.UNKNOWN);
        assertThat(t.resume(secret, id, own)).isEqualTo(SessionTracker.Resume.RESUME);
        for (byte[] wrong : new byte[][] {new byte[16], new byte[0], null, SessionTracker.password(secret, id + 1),
            java.util.Arrays.copyOf(own, 15), SessionTracker.password(SessionTracker.newSecret(), id)}) {
            assertThat(t.resume(secret, id, wrong)).isEqualTo(SessionTracker.Resume.WRONG_PASSWORD);
        }

        t.startClosing(id);
        assertThat(t.resume(secret, id, own)).as("a closing session").isEqualTo(SessionTracker.Resume.UNKNOWN);
    }

    /**
     * A client resuming its session is alive, as in ZooKeeper, whose revalidation touches the
     * session. The leader answers a resumption only after a sync, which waits while it has no
     * quorum: a client that reconnected to it then expired after one timeout (RollingRestartTest,
     * with two of three servers down), and a leader re-elected later committed that expiry.
     */
    @Test
    void aRevalidationWithTheRightPasswordIsTheSessionsActivity() {
        SessionTracker t = tracker(1);
        byte[] secret = SessionTracker.newSecret();
        long resumed = t.nextSessionId();
        long guessed = t.nextSessionId();
        t.add(resumed, 4000);
        t.add(guessed, 4000);
        clock.set(3000);
        t.revalidate(secret, resumed, SessionTracker.password(secret, resumed), 7);
        t.revalidate(secret, guessed, new byte[16], 8);
        clock.set(4000);
        assertThat(t.expired()).as("a wrong password is no one's activity").containsExactly(guessed);
        clock.set(6999);
        assertThat(t.expired()).containsExactly(guessed);
        clock.set(7000);
        assertThat(t.expired()).containsExactlyInAnyOrder(resumed, guessed);
    }
}
