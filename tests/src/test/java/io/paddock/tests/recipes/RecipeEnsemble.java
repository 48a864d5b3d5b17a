package io.paddock.tests.recipes;

import io.paddock.client.ZkClient;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.PaddockExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One 3-node ensemble (tickTime 500 ms: sessions of 1 to 10 s) shared by a test class, the
 * facade clients its tests open (closed after each test) and the leader kill they all need.
 * Register it as a static extension.
 */
final class RecipeEnsemble implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Long enough for a session to outlive a leader election, short enough for a test to await an expiry. */
    static final Duration SESSION = Duration.ofSeconds(6);

    private final List<ZkClient> clients = new ArrayList<>();
    private Path dir;
    InProcessEnsemble ensemble;
    ActorSystem<Void> system;
    /** A client for a test's own reads, connected before each test. */
    ZkClient admin;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("paddock-" + context.getRequiredTestClass().getSimpleName());
        ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of());
        ensemble.awaitServing(PATIENCE);
        system = ActorSystem.create(Behaviors.empty(), "recipes");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        admin = client();
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

    /** Closes the clients the test opened, and starts a node it left stopped. */
    @Override
    public void afterEach(ExtensionContext context) {
        closeClients();
        for (int id = 1; id <= 3; id++) {
            if (ensemble.node(id) == null) {
                restart(id);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            closeClients();
            system.terminate();
            ensemble.close();
        } finally {
            PaddockExtension.deleteRecursively(dir);
        }
    }

    private synchronized void closeClients() {
        clients.forEach(zk -> zk.close().toCompletableFuture().join());
        clients.clear();
    }
}
