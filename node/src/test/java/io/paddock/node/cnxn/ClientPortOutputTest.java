package io.paddock.node.cnxn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The output queue of a client connection pauses the reading of requests on its packet count as
 * well as on its bytes. Found by the multi-process leader-kill test: a tree dump pipelining
 * 34,000 small reads was disconnected ("the client is not reading its replies (output queue
 * full)") although it was reading, because small replies never reached the byte bound and the
 * queue's packet bound (16,384) was hit first.
 */
class ClientPortOutputTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        testKit.shutdownTestKit();
    }

    @Test
    void manySmallRepliesPauseTheReadingLongBeforeTheQueueIsFull() throws Exception {
        Materializer mat = Materializer.matFromSystem(testKit.system());
        ClientPort.Output output = new ClientPort.Output(mat);
        ByteString reply = ByteString.fromArray(new byte[88]); // an exists() reply: header, stat, frame
        int offered = 0;
        while (!output.congested()) {
            assertThat(output.offer(reply)).isEqualTo(QueueOfferResult.enqueued());
            offered++;
        }
        assertThat(offered).as("replies queued before the reading pauses")
            .isEqualTo(ClientPort.PAUSE_READING_AT_PACKETS + 1);
        assertThat(output.backlogBytes()).isLessThan(ClientPort.PAUSE_READING_AT);
        // what is already under way still fits: up to maxOutstanding requests started before the pause
        for (int i = 0; i < ClientPort.MAX_OUTSTANDING; i++) {
            assertThat(output.offer(reply)).isEqualTo(QueueOfferResult.enqueued());
        }
        offered += ClientPort.MAX_OUTSTANDING;

        CompletableFuture<Void> drained = output.whenDrained();
        // the client reads, one reply at a time (a buffer of one: at most one more is taken than read)
        SinkQueueWithCancel<ByteString> client = output.source()
            .runWith(Sink.<ByteString>queue().withAttributes(Attributes.inputBuffer(1, 1)), mat);
        int aboveResume = offered - ClientPort.RESUME_READING_AT_PACKETS;
        for (int i = 0; i < aboveResume - 2; i++) {
            assertThat(client.pull().toCompletableFuture().get(5, TimeUnit.SECONDS)).isPresent();
        }
        assertThat(drained).as("still paused above the resume mark").isNotDone();
        for (int i = 0; i < 2; i++) {
            client.pull().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        drained.get(5, TimeUnit.SECONDS);
        assertThat(output.congested()).isFalse();
        client.cancel();
    }
}
