package io.paddock.persistence.journal;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Who hears of the journal's fsyncs, per ActorSystem (the journal plugin is created by Pekko,
 * so the node cannot hand it a listener): a node's metrics record each fsync's duration and how
 * many journal writes it made durable, and a follower acks its proposals from here the moment
 * they are durable.
 */
public final class JournalObserver implements Extension {
    /** Told after each fsync of a journal append, on the journal's thread: must be quick. */
    public interface Listener {
        void fsynced(int writes, long nanos);
    }

    /** Told on the journal's thread once {@code event}, the last of a write for {@code persistenceId}, is durable: must be quick. */
    public interface DurableListener {
        void durable(String persistenceId, Object event);
    }

    private static final Id ID = new Id();
    private static final Listener NONE = (writes, nanos) -> { };

    private volatile Listener listener = NONE;
    private volatile DurableListener durableListener = (persistenceId, event) -> { };

    private JournalObserver() {
    }

    public static JournalObserver get(ClassicActorSystemProvider system) {
        return ID.get(system.classicSystem());
    }

    public void listen(Listener listener) {
        this.listener = listener;
    }

    void fsynced(int writes, long nanos) {
        listener.fsynced(writes, nanos);
    }

    public void listenDurable(DurableListener listener) {
        this.durableListener = listener;
    }

    void durable(String persistenceId, Object event) {
        durableListener.durable(persistenceId, event);
    }

    private static final class Id extends AbstractExtensionId<JournalObserver> {
        @Override
        public JournalObserver createExtension(ExtendedActorSystem system) {
            return new JournalObserver();
        }
    }
}
