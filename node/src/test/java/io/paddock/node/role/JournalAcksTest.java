package io.paddock.node.role;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.config.ServerSpec;
import io.paddock.node.LoopbackPorts;
import io.paddock.node.cluster.LearnerLink;
import io.paddock.node.zab.SessionChannel;
import io.paddock.protocol.peer.LearnerMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Acks sent from the journal's thread share the learner session's numbering with the role's own
 * messages: over a real link, the leader sees every message of the session in order with no gap,
 * and the acks rising to the last durable zxid, each at most once.
 */
class JournalAcksTest {
    private static final long SESSION = 70;
    private static final int ACKS = 5_000;
    private static final int PINGS = 5_000;

    private final ActorTestKit leader = ActorTestKit.create("leader");
    private final ActorTestKit learner = ActorTestKit.create("learner");
    private final BlockingQueue<LearnerMessage> atLeader = new LinkedBlockingQueue<>();

    @AfterEach
    void shutdown() {
        learner.shutdownTestKit();
        leader.shutdownTestKit();
    }

    @Test
    void acksFromTheJournalsThreadAndTheRolesMessagesKeepOneGaplessOrder() throws Exception {
        LearnerLink.Link link = link();
        SessionChannel.Outgoing out = new SessionChannel.Outgoing(SESSION);
        JournalAcks acks = new JournalAcks();
        acks.durable(1); // not serving yet: nothing goes out
        acks.serve(2, link, out);
        Thread journal = new Thread(() -> {
            for (long zxid = 1; zxid <= ACKS; zxid++) {
                acks.durable(zxid);
                acks.durable(zxid - 1); // the role's LogDurable, later: acked already
            }
        });
        journal.start();
        for (int i = 0; i < PINGS; i++) {
            synchronized (out) { // as Learner.sendNext
                link.send(new LearnerMessage.LearnerPing(2, SESSION, out.next(), List.of()));
            }
        }
        journal.join(30_000);
        acks.stop();
        acks.durable(ACKS + 1);

        SessionChannel.Incoming in = new SessionChannel.Incoming(SESSION);
        long lastAck = 0;
        for (int i = 0; i < ACKS + PINGS; i++) {
            LearnerMessage m = atLeader.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("message %d of %d", i + 1, ACKS + PINGS).isNotNull();
            assertThat(in.accept(m).accepted()).as("message %d, seq %d", i + 1, m.seq()).isTrue();
            if (m instanceof LearnerMessage.Ack a) {
                assertThat(a.upToZxid()).isEqualTo(lastAck + 1);
                lastAck = a.upToZxid();
            }
        }
        assertThat(lastAck).isEqualTo(ACKS);
        assertThat(atLeader.poll(200, TimeUnit.MILLISECONDS)).as("nothing after stop").isNull();
    }

    private LearnerLink.Link link() throws Exception {
        ServerSpec spec = new ServerSpec(1, "127.0.0.1", 1, LoopbackPorts.free(), ServerSpec.Role.PARTICIPANT, null);
        LearnerLink.Listener listener = LearnerLink.listen(leader.system(), spec.host(), spec.electionPort(), 1 << 20,
            id -> new Address("pekko", "paddock", "127.0.0.1", (int) id));
        listener.bound().toCompletableFuture().get(10, TimeUnit.SECONDS);
        listener.receiveWith(new LearnerLink.Receiver() {
            @Override
            public void received(LearnerLink.Link link, LearnerMessage message) {
                atLeader.add(message);
            }

            @Override
            public void lost(LearnerLink.Link link) {
            }
        });
        LearnerLink.Listener learnerSide = LearnerLink.listen(learner.system(), "127.0.0.1", LoopbackPorts.free(), 1 << 20,
            id -> null);
        return learnerSide.connect(spec, 2, SESSION, Duration.ofSeconds(5), m -> { }, () -> { })
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
