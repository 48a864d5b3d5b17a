package io.paddock.client;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * Who hears a watch set by one request, as ZooKeeper's per-request {@code Watcher}: an actor
 * ({@link #of}), or, through the facade, a callback or a {@code Source}. A one-shot watcher hears
 * at most one event per request; the same watcher set twice on one path hears it once.
 */
public sealed interface Watcher permits Watcher.Session, Watcher.ActorWatcher, WatchCallback, WatchStream {

    /** A watcher that tells {@code actor} the event. Equal refs are the same watcher. */
    static Watcher of(ActorRef<WatchEvent> actor) {
        return new ActorWatcher(actor);
    }

    /** Delivers a triggered event; called on the session's thread, so it must not block. */
    void fire(WatchEvent event);

    /** The session ended: its watches are gone. Only streams react; the others hear it as a SessionEvent. */
    default void sessionEnded(SessionEvent.State state) {
    }

    /** A watch set with {@code watch = true}: only the session-wide listeners hear it, and they hear every event. */
    enum Session implements Watcher {
        INSTANCE;

        @Override
        public void fire(WatchEvent event) {
        }
    }

    record ActorWatcher(ActorRef<WatchEvent> actor) implements Watcher {
        @Override
        public void fire(WatchEvent event) {
            actor.tell(event);
        }
    }
}
