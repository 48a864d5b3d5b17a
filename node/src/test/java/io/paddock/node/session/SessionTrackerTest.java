package io.paddock.node.session;

import static org.assertj.core.api.Assertions.assertThat;

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
    void idsCarryTheServerIdAndPasswordsAreDerivedFromTheId() {
        SessionTracker t = tracker(5);
        long a = t.nextSessionId();
        long b = t.nextSessionId();
        assertThat(a >>> 56).isEqualTo(5);
        assertThat(b).isEqualTo(a + 1);
        assertThat(SessionTracker.password(a)).hasSize(16).isEqualTo(SessionTracker.password(a));
        assertThat(SessionTracker.checkPassword(a, SessionTracker.password(a))).isTrue();
        assertThat(SessionTracker.checkPassword(a, SessionTracker.password(b))).isFalse();
        assertThat(SessionTracker.checkPassword(a, null)).isFalse();
    }
}
