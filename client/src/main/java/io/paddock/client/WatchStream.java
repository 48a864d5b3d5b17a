package io.paddock.client;

import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * The watcher behind a {@code Source} of a persistent watch: it offers each event to the
 * stream's bounded queue. A full queue fails the stream (a consumer that fell behind has lost
 * events, and a gap in a stream of changes must not pass silently). A removeWatches that takes
 * the watch away completes the stream. The session's end completes
 * the stream when the client closed it and fails it otherwise: after an expiry the server has
 * dropped the watch, so the events stop without the consumer having asked.
 */
final class WatchStream implements Watcher {
    private final BoundedSourceQueue<WatchEvent> queue;
    private final AtomicBoolean ended = new AtomicBoolean();

    WatchStream(BoundedSourceQueue<WatchEvent> queue) {
        this.queue = queue;
    }

    @Override
    public void fire(WatchEvent event) {
        if (event.type() == EventType.PERSISTENT_WATCH_REMOVED) {
            if (ended.compareAndSet(false, true)) {
                queue.complete();
            }
        } else if (queue.offer(event) == QueueOfferResult.dropped()) {
            queue.fail(new BufferOverflowException("watch stream buffer of " + queue.size() + " events is full"));
        }
    }

    @Override
    public void sessionEnded(SessionEvent.State state) {
        if (ended.compareAndSet(false, true)) {
            if (state == SessionEvent.State.CLOSED) {
                queue.complete();
            } else {
                queue.fail(KeeperException.create(state.failureCode()));
            }
        }
    }

    /** Ends the stream with {@code failure}: its watch could not be set. */
    void fail(Throwable failure) {
        queue.fail(failure);
    }

    /** True when the session ended the stream, or a removeWatches did: its watch is gone, nothing to remove. */
    boolean ended() {
        return ended.get();
    }
}
