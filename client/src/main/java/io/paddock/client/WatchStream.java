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
    /** The session or a removeWatches ended the watch itself. */
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The queue was completed or failed. */
    private final AtomicBoolean finished = new AtomicBoolean();

    WatchStream(BoundedSourceQueue<WatchEvent> queue) {
        this.queue = queue;
    }

    @Override
    public void fire(WatchEvent event) {
        if (event.type() == EventType.PERSISTENT_WATCH_REMOVED) {
            ended.set(true);
            end(null);
        } else if (!finished.get() && queue.offer(event) == QueueOfferResult.dropped()) {
            end(new BufferOverflowException("watch stream buffer of " + queue.size() + " events is full"));
        }
    }

    @Override
    public void sessionEnded(SessionEvent.State state) {
        ended.set(true);
        end(state == SessionEvent.State.CLOSED ? null : KeeperException.create(state.failureCode()));
    }

    /** Ends the stream with {@code failure}: its watch could not be set. */
    void fail(Throwable failure) {
        end(failure);
    }

    /**
     * Completes the stream (failure null) or fails it, once. The queue refuses a second end, and
     * one its consumer cancelled: an exception here would stop the session actor that tells it.
     */
    private void end(Throwable failure) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            if (failure == null) {
                queue.complete();
            } else {
                queue.fail(failure);
            }
        } catch (IllegalStateException cancelled) {
            // the consumer cancelled the stream first: nothing left to end
        }
    }

    /** True when the session ended the stream, or a removeWatches did: its watch is gone, nothing to remove. */
    boolean ended() {
        return ended.get();
    }
}
