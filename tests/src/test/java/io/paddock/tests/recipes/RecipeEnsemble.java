package io.paddock.tests.recipes;

import io.paddock.client.ZkClient;
import io.paddock.tests.support.InProcessEnsemble;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One 3-node ensemble (tickTime 500 ms: sessions of 1 to 10 s) shared by a test class, the
 * facade clients its tests open (closed after each test) and the leader kill they all need.
 */
final class RecipeEnsemble implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Long enough for a session to outlive a leader election, short enough for a test to await an expiry. */
    static final Duration SESSION = Duration.ofSeconds(6);

    final InProcessEnsemble ensemble;
    final ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "recipes");
    private final List<ZkClient> clients = new ArrayList<>();

    RecipeEnsemble(Path dir) {
        ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of());
        ensemble.awaitServing(PATIENCE);
    }

    /** A client of the whole ensemble. */
    ZkClient client() throws Exception {
        return client(ensemble.connectString(), SESSION);
    }

    synchronized ZkClient client(String connectString, Duration sessionTimeout) throws Exception {
        ZkClient zk = ZkClient.connect(system, connectString, sessionTimeout).toCompletableFuture()
            .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        clients.add(zk);
        return zk;
    }

    /** Stops the leader; returns its id for {@link #restart}. */
    int killLeader() {
        int leader = ensemble.awaitServing(PATIENCE);
        ensemble.stopNode(leader);
        return leader;
    }

    /** Starts a killed node again and waits until the ensemble serves with all three. */
    void restart(int id) {
        ensemble.startNode(id);
        ensemble.awaitServing(PATIENCE);
    }

    /** After each test: closes the clients it opened, and starts a node it left stopped. */
    synchronized void reset() {
        clients.forEach(zk -> zk.close().toCompletableFuture().join());
        clients.clear();
        for (int id = 1; id <= 3; id++) {
            if (ensemble.node(id) == null) {
                restart(id);
            }
        }
    }

    @Override
    public void close() {
        clients.forEach(zk -> zk.close().toCompletableFuture().join());
        system.terminate();
        ensemble.close();
    }
}
