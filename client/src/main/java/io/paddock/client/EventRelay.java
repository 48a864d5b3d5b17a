package io.paddock.client;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The facade's listener for one session: it takes both the session's watch events and its
 * session events, so listeners see them in the order the session produced them, and calls the
 * registered consumers one event at a time. It outlives a session that expired when the facade
 * renews it, and stops after relaying the client's last session event.
 */
final class EventRelay {
    private EventRelay() {
    }

    /**
     * {@code before} takes each session event before the listeners, {@code after} after them,
     * and says whether it was the client's last.
     */
    static Behavior<Object> create(Consumer<SessionEvent> before, Predicate<SessionEvent> after, List<Consumer<? super WatchEvent>> watchListeners,
                                   List<Consumer<? super SessionEvent>> sessionListeners) {
        return Behaviors.setup(context -> Behaviors.receive(Object.class)
            .onMessage(WatchEvent.class, event -> {
                notifyAll(context, watchListeners, event);
                return Behaviors.same();
            })
            .onMessage(Run.class, run -> {
                notifyAll(context, List.of(run.watcher()), run.event());
                return Behaviors.same();
            })
            .onMessage(SessionEvent.class, event -> {
                before.accept(event);
                notifyAll(context, sessionListeners, event);
                return after.test(event) ? Behaviors.stopped() : Behaviors.same();
            })
            .build());
    }

    private static <T> void notifyAll(ActorContext<Object> context, List<Consumer<? super T>> listeners, T event) {
        for (Consumer<? super T> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) { // one bad listener must not starve the others
                context.getLog().warn("listener {} failed on {}", listener, event, e);
            }
        }
    }

    /** A per-request callback's turn: sent by the session right after the event itself, so it runs after the listeners. */
    record Run(Consumer<? super WatchEvent> watcher, WatchEvent event) {
    }

    /** A listener that forwards to an actor; a record, so that an equal one removes it. */
    record ForwardTo<T>(ActorRef<T> target) implements Consumer<T> {
        @Override
        public void accept(T event) {
            target.tell(event);
        }
    }
}
