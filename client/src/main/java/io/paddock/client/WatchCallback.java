package io.paddock.client;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The facade's per-request callback. It runs on the facade's relay actor, like the session-wide
 * listeners and after them, never on the session's thread. Equal when the consumer is the same
 * object, so one consumer set twice on a path is called once.
 */
record WatchCallback(Consumer<? super WatchEvent> consumer, ActorRef<Object> relay) implements Watcher {
    @Override
    public void fire(WatchEvent event) {
        relay.tell(new EventRelay.Run(consumer, event));
    }
}
