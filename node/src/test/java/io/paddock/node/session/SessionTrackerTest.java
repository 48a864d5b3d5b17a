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
