package io.paddock.node.admin;

import io.paddock.node.context.ServerContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * pekko-management's readiness check ({@code /ready}): the node serves clients. That is, it
 * leads a quorum or follows a leader it has synced with (or it is standalone); it is false while
 * the node recovers, looks for a leader or syncs, and from the moment it stops serving because
 * it lost its quorum or its leader.
 */
public final class ServingCheck implements Supplier<CompletionStage<Boolean>> {
    private final AdminContext admin;

    public ServingCheck(ActorSystem system) {
        this.admin = AdminContext.get(system);
    }

    @Override
    public CompletionStage<Boolean> get() {
        ServerContext server = admin.server();
        return CompletableFuture.completedFuture(server != null && server.serving());
    }
}
