package io.paddock.node.zab;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.zab.SessionChannel.Accepted;
import io.paddock.node.zab.SessionChannel.ForeignSession;
import io.paddock.node.zab.SessionChannel.Gap;
import io.paddock.protocol.peer.LearnerMessage.Ack;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionChannelTest {
    @Test
    void outgoingNumbersFromOne() {
        SessionChannel.Outgoing out = new SessionChannel.Outgoing(42);
        assertThat(out.session()).isEqualTo(42);
        assertThat(out.next()).isEqualTo(1);
        assertThat(out.next()).isEqualTo(2);
        assertThat(out.next()).isEqualTo(3);
    }

    @Test
    void incomingAcceptsTheNextNumberOfItsSession() {
        SessionChannel.Incoming in = new SessionChannel.Incoming(42);
        assertThat(in.accept(42, 1)).isEqualTo(Accepted.INSTANCE);
        assertThat(in.accept(new Ack(3, 42, 2, 7)).accepted()).isTrue();
        assertThat(in.expectedSeq()).isEqualTo(3);
    }

    @Test
    void aLostMessageIsAGap() {
        SessionChannel.Incoming in = new SessionChannel.Incoming(42);
        in.accept(42, 1);
        SessionChannel.Verdict v = in.accept(42, 3);
        assertThat(v).isEqualTo(new Gap(2, 3));
        assertThat(v.accepted()).isFalse();
        assertThat(in.expectedSeq()).as("a rejected message does not move the channel on").isEqualTo(2);
    }

    @Test
    void aRepeatedMessageIsAGapToo() {
        SessionChannel.Incoming in = new SessionChannel.Incoming(42);
        in.accept(42, 1);
        in.accept(42, 2);
        assertThat(in.accept(42, 2)).isEqualTo(new Gap(3, 2));
    }

    @Test
    void aMessageOfAnotherSessionIsForeignWhateverItsNumber() {
        SessionChannel.Incoming in = new SessionChannel.Incoming(42);
        SessionChannel.Verdict v = in.accept(41, 1);
        assertThat(v).isEqualTo(new ForeignSession(42, 41));
        assertThat(v.accepted()).isFalse();
        assertThat(in.accept(42, 1)).isEqualTo(Accepted.INSTANCE);
    }

    @Test
    void theFirstLostMessageOfAStreamIsTheOneReported() {
        for (long seed = 0; seed < 100; seed++) {
            Random r = new Random(seed);
            SessionChannel.Outgoing out = new SessionChannel.Outgoing(seed);
            SessionChannel.Incoming in = new SessionChannel.Incoming(seed);
            long firstLost = -1;
            for (int i = 0; i < 1000; i++) {
                long seq = out.next();
                if (r.nextInt(100) == 0) {
                    // Artery dropped it
                    firstLost = firstLost < 0 ? seq : firstLost;
                    continue;
                }
                SessionChannel.Verdict v = in.accept(seed, seq);
                if (firstLost < 0) {
                    assertThat(v).isEqualTo(Accepted.INSTANCE);
                } else {
                    assertThat(v).as("seed %d", seed).isEqualTo(new Gap(firstLost, seq));
                    break;
                }
            }
        }
    }
}
