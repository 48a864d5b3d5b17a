package io.paddock.node.zab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SilenceTest {
    /** Ticks every 250 ms; one tick adds at most 300 ms. */
    private final Silence silence = new Silence(0, 300);

    @Test
    void aPeerHeardFromSinceTheLastTickIsNotSilent() {
        assertThat(silence.tick(250)).isZero();
        silence.heard();
        assertThat(silence.tick(500)).isZero();
        assertThat(silence.tick(750)).isEqualTo(250);
        assertThat(silence.tick(1000)).isEqualTo(500);
        silence.heard();
        assertThat(silence.tick(1250)).isZero();
    }

    @Test
    void silenceGrowsWithTheTicksOfAPeerNeverHeardFrom() {
        long t = 0;
        for (int i = 0; i < 10; i++) {
            silence.tick(t += 250);
        }
        assertThat(silence.silent()).isEqualTo(9 * 250);
    }

    /**
     * Seen under load: a node that did not run for seconds woke to a late timer and ended a session
     * with a leader whose messages were waiting, unread, in its own socket buffers.
     */
    @Test
    void aStallOfThisNodeCountsAsOneTickAtMost() {
        silence.tick(250);
        assertThat(silence.tick(3_250)).as("the tick after a 3 s stall").isEqualTo(300);
        silence.heard();
        assertThat(silence.tick(3_500)).isZero();
    }

    @Test
    void aClockThatSeemsToGoBackAddsNothing() {
        silence.tick(250);
        silence.tick(500);
        assertThat(silence.tick(400)).isEqualTo(250);
    }
}
