package io.paddock.node.admin;

import io.paddock.node.context.ServerContext;
import io.paddock.protocol.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Answers other nodes' {@code /paddock/ensemble} with this node's {@link NodeStatus}. Registered
 * with the Receptionist, so any node finds every reachable node's endpoint; it reads the node's
 * shared state and never asks the role, which may be busy.
 */
public final class AdminEndpoint {
    public static final String NAME = "admin";
    static final ServiceKey<StatusQuery> KEY = ServiceKey.create(StatusQuery.class, "paddock-admin");

    /** Asks a node for its status. */
    public record StatusQuery(ActorRef<NodeStatus> replyTo) implements CborSerializable {
    }

    private AdminEndpoint() {
    }

    public static Behavior<StatusQuery> create(ServerContext server) {
        // a status that cannot be read this once (the asker times out) must not take the node out of
        // every later /paddock/ensemble: the endpoint outlives it
        return Behaviors.supervise(Behaviors.<StatusQuery>setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            return Behaviors.receiveMessage(q -> {
                q.replyTo().tell(NodeStatus.of(server));
                return Behaviors.same();
            });
        })).onFailure(RuntimeException.class, SupervisorStrategy.resume());
    }

    /**
     * The statuses of every node whose endpoint the Receptionist lists (the reachable ones) and
     * that answers within {@code timeout}; a node that does not answer is left out.
     */
    static CompletionStage<List<NodeStatus>> askAll(ActorSystem<?> system, Duration timeout) {
        CompletionStage<Receptionist.Listing> listing = AskPattern.ask(system.receptionist(),
            reply -> Receptionist.find(KEY, reply), timeout, system.scheduler());
        return listing.thenCompose(l -> {
            List<CompletableFuture<NodeStatus>> answers = new ArrayList<>();
            for (ActorRef<StatusQuery> ref : l.getServiceInstances(KEY)) {
                answers.add(AskPattern.<StatusQuery, NodeStatus>ask(ref, StatusQuery::new, timeout, system.scheduler())
                    .toCompletableFuture().exceptionally(failure -> null));
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> answers.stream().map(CompletableFuture::join).filter(s -> s != null).toList());
        });
    }
}
