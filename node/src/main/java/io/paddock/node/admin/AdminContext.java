package io.paddock.node.admin;

import io.paddock.node.context.ServerContext;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * The node an ActorSystem runs, for the admin routes and checks that pekko-management creates
 * from their class names (several nodes can share a JVM, so a static would not do).
 */
public final class AdminContext implements Extension {
    private static final Id ID = new Id();

    private volatile ServerContext server;

    private AdminContext() {
    }

    public static AdminContext get(ClassicActorSystemProvider system) {
        return ID.get(system.classicSystem());
    }

    /** This ActorSystem runs the node whose shared state is {@code server}. */
    public void attach(ServerContext server) {
        this.server = server;
    }

    /** The node, or null before it was attached. */
    public ServerContext server() {
        return server;
    }

    private static final class Id extends AbstractExtensionId<AdminContext> {
        @Override
        public AdminContext createExtension(ExtendedActorSystem system) {
            return new AdminContext();
        }
    }
}
