package io.paddock.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.paddock.protocol.EventType;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher behind a watch stream is told of events and of the session's end on the session
 * actor's thread: whatever the stream's consumer did first, it must not throw there, or the
 * session actor stops and every later request of the client times out.
 */
class WatchStreamTest {
    private final ActorTestKit testKit = ActorTestKit.create();

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aStreamItsConsumerCancelledTakesTheSessionsEndQuietly() throws Exception {
        BoundedSourceQueue<WatchEvent> queue = Source.<WatchEvent>queue(4).toMat(Sink.cancelled(), Keep.left())
            .run(testKit.system());
        // a cancelled queue answers offers with a Failure
        Await.until("the consumer's cancel reaches the queue",
            () -> queue.offer(event()) instanceof QueueOfferResult.Failure);
        WatchStream stream = new WatchStream(queue);
        assertThatCode(() -> stream.sessionEnded(SessionEvent.State.CLOSED)).doesNotThrowAnyException();
        assertThatCode(() -> stream.fire(new WatchEvent(EventType.PERSISTENT_WATCH_REMOVED, "/a", 1)))
            .doesNotThrowAnyException();
        assertThat(stream.ended()).as("the session ended the watch").isTrue();
    }

    @Test
    void aStreamThatFailedTakesTheSessionsEndQuietlyAndItsWatchIsStillToBeRemoved() {
        BoundedSourceQueue<WatchEvent> queue = Source.<WatchEvent>queue(4).toMat(Sink.ignore(), Keep.left())
            .run(testKit.system());
        WatchStream stream = new WatchStream(queue);
        stream.fail(new IllegalStateException("its addWatch failed"));
        assertThat(stream.ended()).as("failed by the client: the server's watch may still be there").isFalse();
        assertThatCode(() -> stream.sessionEnded(SessionEvent.State.EXPIRED)).doesNotThrowAnyException();
        assertThatCode(() -> stream.fire(new WatchEvent(EventType.PERSISTENT_WATCH_REMOVED, "/a", 1)))
            .doesNotThrowAnyException();
        assertThat(stream.ended()).isTrue();
    }

    private static WatchEvent event() {
        return new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", 1);
    }
}
