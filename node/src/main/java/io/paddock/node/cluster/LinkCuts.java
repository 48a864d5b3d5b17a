package io.paddock.node.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Simulated network partitions of the {@link LearnerLink}s, per ActorSystem: the tests cut Artery
 * with its test-mode blackhole, which never sees the links, and cut the links here at the same
 * time. A cut link drops what it would write and what it reads, and no new link opens across the
 * cut, as a partition leaves a TCP connection open but silent. Empty, and so free, outside tests.
 */
public final class LinkCuts implements Extension {
    private static final Id ID = new Id();

    private final Set<Address> cut = ConcurrentHashMap.newKeySet();

    private LinkCuts() {
    }

    public static LinkCuts get(ClassicActorSystemProvider system) {
        return ID.get(system.classicSystem());
    }

    /** From now on nothing passes between this system and the server whose cluster address is {@code peer}. */
    public void cut(Address peer) {
        cut.add(peer);
    }

    public void heal(Address peer) {
        cut.remove(peer);
    }

    boolean isCut(Address peer) {
        return !cut.isEmpty() && cut.contains(peer);
    }

    private static final class Id extends AbstractExtensionId<LinkCuts> {
        @Override
        public LinkCuts createExtension(ExtendedActorSystem system) {
            return new LinkCuts();
        }
    }
}
