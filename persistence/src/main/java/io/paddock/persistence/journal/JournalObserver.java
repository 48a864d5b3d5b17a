package io.paddock.persistence.journal;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Who hears of the journal's fsyncs, per ActorSystem (the journal plugin is created by Pekko,
 * so the node cannot hand it a listener): a node's metrics record each fsync's duration and how
 * many journal writes it made durable.
 */
public final class JournalObserver implements Extension {
    /** Told after each fsync of a journal append, on the journal's thread: must be quick. */
    public interface Listener {
        void fsynced(int writes, long nanos);
    }

    private static final Id ID = new Id();
    private static final Listener NONE = (writes, nanos) -> { };

    private volatile Listener listener = NONE;

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

    private static final class Id extends AbstractExtensionId<JournalObserver> {
        @Override
        public JournalObserver createExtension(ExtendedActorSystem system) {
            return new JournalObserver();
        }
    }
}
