package io.paddock.node.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionTrackerTest {
    @Test
    void sessionExpiresOnceSilentForItsTimeout() {
        SessionTracker t = new SessionTracker(3, 1_000);
        long id = t.nextSessionId();
        t.add(id, 4000, 0);
        assertThat(t.expired(3999)).isEmpty();
        assertThat(t.touch(id, 3000)).isTrue();
        assertThat(t.expired(6999)).isEmpty();
        assertThat(t.expired(7000)).containsExactly(id);
        assertThat(t.startClosing(id)).isTrue();
        assertThat(t.expired(100_000)).isEmpty();
        assertThat(t.touch(id, 8000)).isFalse();
        assertThat(t.startClosing(id)).isFalse();
    }

    /**
     * A follower knew the sessions of other servers' clients only from their createSession, so
     * when it becomes leader its record of them is as old as their creation: found in the
     * multi-process leader-kill test, where the new leader expired live sessions on its first tick.
     */
    @Test
    void aNewLeaderGivesEveryCommittedSessionAFullTimeoutAndForgetsTheRest() {
        SessionTracker t = new SessionTracker(2, 1_000);
        t.add(11, 10_000, 0);        // another server's client: never touched here
        t.add(12, 10_000, 0);
        t.startClosing(12);          // a close proposed by this node, never committed
        t.add(13, 10_000, 0);        // created by a proposal that never committed
        assertThat(t.expired(20_000)).containsExactlyInAnyOrder(11L, 13L);

        t.resetTo(java.util.Map.of(11L, 10_000, 12L, 4_000), 20_000);

        assertThat(t.expired(23_999)).isEmpty();
        assertThat(t.expired(24_000)).containsExactly(12L);
        assertThat(t.isActive(12)).isTrue();
        assertThat(t.get(12).timeout()).isEqualTo(4_000);
        assertThat(t.get(13)).isNull();
        assertThat(t.expired(30_000)).containsExactlyInAnyOrder(11L, 12L);
    }

    @Test
    void idsCarryTheServerIdAndPasswordsAreDerivedFromTheId() {
        SessionTracker t = new SessionTracker(5, System.currentTimeMillis());
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
