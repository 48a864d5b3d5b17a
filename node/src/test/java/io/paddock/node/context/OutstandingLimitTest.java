package io.paddock.node.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutstandingLimitTest {
    final List<String> admitted = new ArrayList<>();

    private OutstandingLimit.Waiter ask(OutstandingLimit limit, String name, long size) {
        OutstandingLimit.Waiter w = limit.admit(size, () -> admitted.add(name));
        if (w == null) {
            admitted.add(name);
        }
        return w;
    }

    @Test
    void requestsBeyondTheLimitWaitAndAreAdmittedInOrderAsOthersAreAnswered() {
        OutstandingLimit limit = new OutstandingLimit(2, 1000);
        ask(limit, "a", 10);
        ask(limit, "b", 10);
        ask(limit, "c", 10);
        ask(limit, "d", 10);
        assertThat(admitted).containsExactly("a", "b");
        assertThat(limit.waiting()).isEqualTo(2);
        limit.release(10);
        assertThat(admitted).containsExactly("a", "b", "c");
        limit.release(10);
        limit.release(10);
        assertThat(admitted).containsExactly("a", "b", "c", "d");
        assertThat(limit.requests()).isEqualTo(1);
        assertThat(limit.peakRequests()).isEqualTo(2);
    }

    @Test
    void bytesAreBoundedTooAndABigRequestIsNotOvertakenBySmallOnes() {
        OutstandingLimit limit = new OutstandingLimit(100, 100);
        ask(limit, "a", 60);
        ask(limit, "big", 50);
        ask(limit, "small", 10); // would fit, but must not overtake the one waiting before it
        assertThat(admitted).containsExactly("a");
        limit.release(60);
        assertThat(admitted).containsExactly("a", "big", "small");
        assertThat(limit.bytes()).isEqualTo(60);
        assertThat(limit.peakBytes()).isEqualTo(60);
    }

    @Test
    void aRequestLargerThanTheByteBoundIsAdmittedAlone() {
        OutstandingLimit limit = new OutstandingLimit(100, 100);
        ask(limit, "a", 10);
        ask(limit, "huge", 500);
        assertThat(admitted).containsExactly("a");
        limit.release(10);
        assertThat(admitted).containsExactly("a", "huge");
        ask(limit, "b", 1);
        assertThat(admitted).containsExactly("a", "huge");
        limit.release(500);
        assertThat(admitted).containsExactly("a", "huge", "b");
    }

    @Test
    void aWithdrawnWaiterIsNeverAdmittedAndAnAdmittedOneCannotBeWithdrawn() {
        OutstandingLimit limit = new OutstandingLimit(1, 100);
        ask(limit, "a", 1);
        OutstandingLimit.Waiter gone = ask(limit, "gone", 1);
        OutstandingLimit.Waiter late = ask(limit, "late", 1);
        assertThat(limit.withdraw(gone)).isTrue();
        limit.release(1);
        assertThat(admitted).containsExactly("a", "late");
        assertThat(limit.withdraw(late)).as("admitted already: its room must be released").isFalse();
        limit.release(1);
        assertThat(limit.requests()).isZero();
        assertThat(limit.bytes()).isZero();
    }
}
