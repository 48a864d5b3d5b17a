package io.paddock.client.examples;

import io.paddock.client.ChildrenResult;
import io.paddock.client.CreateResult;
import io.paddock.client.SessionEvent;
import io.paddock.client.WatchEvent;
import io.paddock.client.ZkClientSettings;
import io.paddock.client.ZkRequest;
import io.paddock.client.ZkSession;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.data.Acl;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Joins a group (an ephemeral node under /members) and prints the group whenever it changes. */
public final class Member {
    public sealed interface Msg {}
    private record SessionChanged(SessionEvent event) implements Msg {}
    private record Watched(WatchEvent event) implements Msg {}
    private record Created(CreateResult result, Throwable failure) implements Msg {}
    private record Listed(ChildrenResult result, Throwable failure) implements Msg {}

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

    public static Behavior<Msg> create(String servers, String name) {
        return Behaviors.setup(ctx -> {
            ZkClientSettings settings = ZkClientSettings.create(ctx.getSystem()).withSessionTimeout(Duration.ofSeconds(10));
            ActorRef<ZkSession.Command> zk = ctx.spawn(ZkSession.create(servers, settings,
                ctx.messageAdapter(WatchEvent.class, Watched::new),
                ctx.messageAdapter(SessionEvent.class, SessionChanged::new)), "zk");
            return Behaviors.receive(Msg.class)
                .onMessage(SessionChanged.class, m -> {
                    System.out.println(name + ": session " + m.event().state());
                    if (m.event().state() == SessionEvent.State.CONNECTED) {
                        // a new session (RECONNECTED keeps the old one); parent first, NODEEXISTS on it is fine
                        create(ctx, zk, new ZkRequest.Create("/members", new byte[0], Acl.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT, 0));
                        create(ctx, zk, new ZkRequest.Create("/members/" + name, new byte[0], Acl.OPEN_ACL_UNSAFE,
                            CreateMode.EPHEMERAL, 0));
                    }
                    return m.event().state().isTerminal() ? Behaviors.stopped() : Behaviors.same();
                })
                .onMessage(Created.class, m -> {
                    if (m.result() != null && m.result().path().startsWith("/members/")) {
                        list(ctx, zk); // joined: look at the group, and watch it
                    }
                    return Behaviors.same();
                })
                .onMessage(Watched.class, m -> {
                    list(ctx, zk); // a child watch fires once: list again, which sets it again
                    return Behaviors.same();
                })
                .onMessage(Listed.class, m -> {
                    if (m.result() != null) {
                        System.out.println(name + ": members " + m.result().children());
                    }
                    return Behaviors.same();
                })
                .build();
        });
    }

    private static void create(ActorContext<Msg> ctx, ActorRef<ZkSession.Command> zk, ZkRequest.Create request) {
        ctx.askWithStatus(CreateResult.class, zk, ASK_TIMEOUT,
            replyTo -> new ZkSession.Execute<>(request, replyTo), Created::new);
    }

    private static void list(ActorContext<Msg> ctx, ActorRef<ZkSession.Command> zk) {
        ctx.askWithStatus(ChildrenResult.class, zk, ASK_TIMEOUT,
            replyTo -> new ZkSession.Execute<>(new ZkRequest.GetChildren("/members", true), replyTo), Listed::new);
    }

    public static void main(String[] args) {
        ActorSystem.create(Member.create(args.length > 0 ? args[0] : "127.0.0.1:2181", args.length > 1 ? args[1] : "alice"), "member");
    }
}
