package io.paddock.client.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.paddock.client.ZkClient;
import io.paddock.client.ZkClientSettings;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.data.Acl;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

public class EventsExample {
    public static void main(String[] args) throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "events");
        ZkClientSettings settings = ZkClientSettings.create(system).withRenewSessionOnExpiry(true);
        ZkClient zk = ZkClient.connect(system, args.length > 0 ? args[0] : "127.0.0.1:2181", settings)
            .toCompletableFuture().join();
        zk.sessionEvents().runWith(Sink.foreach(e -> System.out.println("session " + e.state())), system);
        // what this process owns, made again on every new session after an expiry
        zk.onNewSession(client -> client.create("/app/alive", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));

        zk.create("/app", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture().join();
        zk.create("/app/alive", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL).toCompletableFuture().join();
        zk.watch("/app", AddWatchMode.PERSISTENT_RECURSIVE)           // addWatch when materialized
            .take(2)                                                   // cancelling removes the watch
            .toMat(Sink.foreach(e -> System.out.println("tree " + e)), Keep.left())
            .run(system).toCompletableFuture().join();                // the watch is set
        zk.getData("/app", event -> System.out.println("once " + event)).toCompletableFuture().join();

        zk.setData("/app", "v1".getBytes(UTF_8), -1).toCompletableFuture().join();
        zk.create("/app/job", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture().join();
        zk.close().toCompletableFuture().join();
        system.terminate();
    }
}
