package io.paddock.client.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.data.Acl;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

public class FacadeExample {
    public static void main(String[] args) {
        String servers = args.length > 0 ? args[0] : "127.0.0.1:2181";
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "example");
        ZkClient zk = ZkClient.connect(system, servers, Duration.ofSeconds(10)).toCompletableFuture().join();
        zk.addWatchListener(event -> System.out.println("watch: " + event));

        zk.create("/greeting", "hello".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
            .thenCompose(created -> zk.getData(created.path(), true)) // read it and watch it
            .thenCompose(data -> zk.setData("/greeting", "hi".getBytes(UTF_8), data.stat().version()))
            .thenAccept(stat -> System.out.println("now at version " + stat.version()))
            .exceptionally(failure -> {
                // failures are CompletionExceptions around a KeeperException subclass, one per error code
                Throwable e = failure instanceof CompletionException ? failure.getCause() : failure;
                if (!(e instanceof KeeperException.NodeExistsException)) {
                    throw new CompletionException(e);
                }
                System.out.println("/greeting was already there");
                return null;
            })
            .thenCompose(done -> zk.delete("/greeting", -1))
            .thenCompose(done -> zk.close())
            .whenComplete((done, failure) -> system.terminate())
            .toCompletableFuture().join();
    }
}
