package io.paddock.client.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.paddock.client.MultiResult;
import io.paddock.client.OpResult;
import io.paddock.client.ZkClient;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

public class OpsExample {
    public static void main(String[] args) {
        String servers = args.length > 0 ? args[0] : "127.0.0.1:2181";
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "example");
        // everything below /app, which need not exist yet: "/" is /app itself
        ZkClient zk = ZkClient.connect(system, servers + "/app").toCompletableFuture().join();
        zk.create("/", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture().join();

        MultiResult tx = zk.transaction()
            .create("/config", "v1".getBytes(UTF_8), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
            .create("/workers", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
            .create("/workers/w-", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL)
            .setData("/config", "v2".getBytes(UTF_8), 0)
            .commit().toCompletableFuture().join();
        System.out.println("committed " + tx.committed() + ": " + tx.results());

        List<OpResult> reads = zk.multiRead().getData("/config").getChildren("/workers").getData("/missing")
            .execute().toCompletableFuture().join();
        System.out.println(reads.get(1) + ", " + reads.get(2)); // ChildrenRead[children=[w-0000000000]], Error[code=NONODE]

        System.out.println(zk.getEphemerals().toCompletableFuture().join());          // [/workers/w-0000000000]
        System.out.println(zk.getAllChildrenNumber("/").toCompletableFuture().join()); // 3
        zk.getData("/config", true).toCompletableFuture().join();
        zk.checkWatches("/config", WatcherType.DATA).toCompletableFuture().join();    // fails if no such watch
        zk.close().thenRun(system::terminate);
    }
}
