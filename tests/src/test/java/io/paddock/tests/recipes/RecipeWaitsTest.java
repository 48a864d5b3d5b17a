package io.paddock.tests.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.client.ZkClient;
import io.paddock.client.recipes.DistributedQueue;
import io.paddock.client.recipes.DoubleBarrier;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.tests.support.InProcessServer;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a recipe's wait ends when a look fails for good. */
class RecipeWaitsTest {
    @TempDir
    Path dir;

    @Test
    void aWaitWhoseLookFailsLeavesNoListenerBehind() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "waits");
        try (InProcessServer server = InProcessServer.start(dir)) {
            ZkClient zk = ZkClient.connect(system, server.connectString(), Duration.ofSeconds(4))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
            // a node nobody may list: a queue's take and a double barrier's leave fail there with NOAUTH
            zk.create("/private", new byte[0], List.of(new Acl(Perms.CREATE | Perms.DELETE, Id.ANYONE)),
                CreateMode.PERSISTENT).toCompletableFuture().get(10, TimeUnit.SECONDS);
            int before = listeners(zk);
            assertFails(new DistributedQueue(zk, "/private").take(), KeeperException.NoAuthException.class);
            assertFails(new DoubleBarrier(zk, "/private", 2).leave(), KeeperException.NoAuthException.class);
            assertThat(listeners(zk)).as("the client's listeners after the failed waits").isEqualTo(before);
            zk.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            system.terminate();
        }
    }

    private static void assertFails(CompletionStage<?> wait, Class<? extends KeeperException> failure) {
        try {
            wait.toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw new AssertionError("the wait did not fail");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(failure);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** How many watch and session listeners the client holds: no public API counts them. */
    private static int listeners(ZkClient zk) throws ReflectiveOperationException {
        int count = 0;
        for (String name : List.of("watchListeners", "sessionListeners")) {
            Field f = ZkClient.class.getDeclaredField(name);
            f.setAccessible(true);
            count += ((List<?>) f.get(zk)).size();
        }
        return count;
    }
}
