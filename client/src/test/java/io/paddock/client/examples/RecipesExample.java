package io.paddock.client.examples;

import io.paddock.client.ZkClient;
import io.paddock.client.recipes.DistributedLock;
import io.paddock.client.recipes.LeaderLatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

public class RecipesExample {
    public static void main(String[] args) {
        String servers = args.length > 0 ? args[0] : "127.0.0.1:2181";
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "example");
        ZkClient zk = ZkClient.connect(system, servers, Duration.ofSeconds(10)).toCompletableFuture().join();

        // a lock: fair, re-entrant per object, compatible with Curator's InterProcessMutex on the same path
        DistributedLock lock = new DistributedLock(zk, "/app/locks/report");
        lock.addLostListener(() -> System.out.println("lock lost: stop writing the report"));
        if (lock.acquire(Duration.ofSeconds(5)).toCompletableFuture().join()) {
            try {
                System.out.println("holding the lock");
            } finally {
                lock.release().toCompletableFuture().join();
            }
        }

        // leader election: listeners hear when this participant leads and when it stops
        LeaderLatch latch = new LeaderLatch(zk, "/app/leader", "worker-1");
        CompletableFuture<Void> leading = new CompletableFuture<>();
        latch.addListener(new LeaderLatch.Listener() {
            @Override
            public void isLeader() {
                System.out.println("leading");
                leading.complete(null);
            }

            @Override
            public void notLeader() {
                System.out.println("not leading");
            }
        });
        latch.start()
            .thenCompose(joined -> leading) // the only participant: it leads at once
            .thenCompose(led -> latch.close()) // gives leadership up
            .thenCompose(done -> lock.close())
            .thenCompose(done -> zk.close())
            .whenComplete((done, failure) -> system.terminate())
            .toCompletableFuture().join();
    }
}
