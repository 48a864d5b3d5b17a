package io.paddock.node.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.paddock.config.MetricsProvider;
import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.node.LoopbackPorts;
import io.paddock.protocol.peer.PeerMessage;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * An ensemble of ActorSystems in this JVM, each on 127.0.0.1 with its own free port and its
 * Pekko settings from {@link PekkoSettings#forNode}, plus Artery's test mode (for
 * {@link Partitions}). {@link #close()} terminates every system it started, also after a failure.
 */
final class TestEnsemble implements AutoCloseable {
    /** Generous bound for anything the cluster has to do: tests measure and print, they do not race. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Path dir;
    private final Map<Long, ServerSpec> servers = new TreeMap<>();
    private final Map<Long, Node> running = new LinkedHashMap<>();
    private final List<ActorSystem<?>> everStarted = new ArrayList<>();

    /** One running node: its system, when it became Up, and (when started with one) its directory's probes. */
    static final class Node {
        final long id;
        final ActorSystem<Void> system;
        final long startedAt;
        /** System.nanoTime() when this node saw itself Up. */
        final CompletableFuture<Long> upAt = new CompletableFuture<>();
        /** What the node's PeerDirectory told its listener, stamped with System.nanoTime() on arrival. */
        final BlockingQueue<Stamped> events = new LinkedBlockingQueue<>();
        TestProbe<PeerMessage> endpoint;

        Node(long id, ActorSystem<Void> system, long startedAt) {
            this.id = id;
            this.system = system;
            this.startedAt = startedAt;
            ActorRef<SelfUp> recorder = system.systemActorOf(Behaviors.receive(SelfUp.class)
                .onMessage(SelfUp.class, up -> {
                    upAt.complete(System.nanoTime());
                    return Behaviors.stopped();
                }).build(), "self-up-recorder", Props.empty());
            Cluster.get(system).subscriptions().tell(Subscribe.create(recorder, SelfUp.class));
        }

        Address address() {
            return Cluster.get(system).selfMember().address();
        }

        /** Waits for this node to be Up; returns the ms from its start to Up. */
        long awaitUp() {
            return (awaitUpAt() - startedAt) / 1_000_000;
        }

        /** Waits for this node to be Up; returns the System.nanoTime() when it was. */
        long awaitUpAt() {
            try {
                return upAt.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new AssertionError("node " + id + " not Up within " + PATIENCE + ": " + e, e);
            }
        }

        /** Asserts that this node stays out of any cluster for {@code d} (waits that long). */
        void assertNotUpWithin(Duration d) {
            try {
                upAt.get(d.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError("node " + id + " became Up");
            } catch (TimeoutException expected) {
                // as it should
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        Cluster cluster() {
            return Cluster.get(system);
        }
    }

    /** A directory event and when it arrived (System.nanoTime()). */
    record Stamped(long at, PeerDirectory.Event event) {
    }

    /** {@code voters} voters with ids 1..voters, then {@code observers} observers. */
    TestEnsemble(Path dir, int voters, int observers) {
        this.dir = dir;
        for (long id = 1; id <= voters + observers; id++) {
            servers.put(id, new ServerSpec(id, "127.0.0.1", LoopbackPorts.free(), 0,
                id <= voters ? ServerSpec.Role.PARTICIPANT : ServerSpec.Role.OBSERVER, null));
        }
    }

    NodeConfig config(long id) {
        Path data = dir.resolve("node" + id);
        return new NodeConfig(dir.resolve("node" + id + ".cfg"), id, 2000, 10, 5, data, data,
            new InetSocketAddress("127.0.0.1", 0), 60, 4000, 40000, 100000, 3, 0, Set.of("ruok"), 1048575,
            1000, false, 60000, 10000, 10000, servers, true, false, false, "127.0.0.1", 8080, "/commands", MetricsProvider.NONE, null, false, List.of());
    }

    static Config testSettings(NodeConfig cfg) {
        return ConfigFactory.parseString(String.join("\n",
                // Partitions needs it; it only adds a check per message
                "pekko.remote.artery.advanced.test-mode = on",
                // a node is stopped abruptly, like a crash: no graceful leave
                "pekko.coordinated-shutdown.run-by-actor-system-terminate = off"))
            .withFallback(PekkoSettings.forNode(cfg));
    }

    /** Starts node {@code id} with its joiner at /user/joiner. */
    Node start(long id) {
        return start(id, false);
    }

    /** Starts node {@code id} with its joiner and, when asked, a PeerDirectory with probes as endpoint and listener. */
    Node start(long id, boolean withDirectory) {
        synchronized (this) {
            if (running.containsKey(id)) {
                throw new IllegalStateException("node " + id + " is running");
            }
        }
        NodeConfig cfg = config(id);
        long t0 = System.nanoTime();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ctx.spawn(ClusterJoiner.create(cfg), ClusterJoiner.NAME);
            return Behaviors.empty();
        }), PekkoSettings.SYSTEM_NAME, testSettings(cfg));
        synchronized (this) {
            everStarted.add(system);
        }
        Node node = new Node(id, system, t0);
        if (withDirectory) {
            node.endpoint = TestProbe.create("endpoint-" + id, system);
            ActorRef<PeerDirectory.Event> listener = system.systemActorOf(Behaviors.receive(PeerDirectory.Event.class)
                .onAnyMessage(ev -> {
                    node.events.add(new Stamped(System.nanoTime(), ev));
                    return Behaviors.same();
                }).build(), "listener", Props.empty());
            system.systemActorOf(PeerDirectory.create(cfg, node.endpoint.ref(), listener), "directory", Props.empty());
        }
        synchronized (this) {
            running.put(id, node);
        }
        return node;
    }

    /** Drops a node whose ActorSystem has stopped by itself from the running ones. */
    synchronized void forget(long id) {
        running.remove(id);
    }

    synchronized Node node(long id) {
        return running.get(id);
    }

    Address address(long id) {
        return PeerAddresses.address(servers.get(id));
    }

    synchronized List<Node> running() {
        return List.copyOf(running.values());
    }

    /**
     * Stops node {@code id} as a crash would look to the others: everything between it and the
     * running nodes is dropped first (no goodbye reaches them), then its system is terminated.
     * The survivors keep dropping its address until {@link #readmit(long)}.
     */
    synchronized void crash(long id) {
        Node victim = running.remove(id);
        for (Node other : running.values()) {
            Partitions.cut(other.system, victim.address());
            Partitions.cut(victim.system, other.address());
        }
        long t0 = System.nanoTime();
        terminate(victim.system);
        System.out.printf("[cluster] crashed node %d: its ActorSystem terminated in %d ms%n", id, msSince(t0));
    }

    /**
     * Lets the running nodes ({@code from}, or all when none is given) talk to {@code id}'s address
     * again, before starting its next incarnation.
     */
    synchronized void readmit(long id, long... from) {
        for (Node other : running.values()) {
            if (from.length == 0 || java.util.Arrays.stream(from).anyMatch(f -> f == other.id)) {
                Partitions.heal(other.system, address(id));
            }
        }
    }

    /** Cuts every link between group {@code a} and group {@code b} (both directions, both sides). */
    void partition(List<Long> a, List<Long> b) {
        forPairs(a, b, true);
    }

    void heal(List<Long> a, List<Long> b) {
        forPairs(a, b, false);
    }

    private void forPairs(List<Long> a, List<Long> b, boolean cut) {
        for (long x : a) {
            for (long y : b) {
                for (long[] pair : new long[][] {{x, y}, {y, x}}) {
                    Node n = running.get(pair[0]);
                    if (n != null) {
                        if (cut) {
                            Partitions.cut(n.system, address(pair[1]));
                        } else {
                            Partitions.heal(n.system, address(pair[1]));
                        }
                    }
                }
            }
        }
    }

    /** True when node {@code id} sees exactly {@code ids} as Up members, all reachable. */
    boolean seesUp(long id, Set<Long> ids) {
        NodeConfig cfg = config(id);
        var state = running.get(id).cluster().state();
        Set<Long> up = new java.util.TreeSet<>();
        for (var m : state.getMembers()) {
            if (m.status() == MemberStatus.up()) {
                PeerAddresses.serverId(cfg, m.address()).ifPresent(up::add);
            }
        }
        return up.equals(new java.util.TreeSet<>(ids)) && state.getUnreachable().isEmpty();
    }

    @Override
    public synchronized void close() {
        for (ActorSystem<?> s : everStarted) {
            s.terminate();
        }
        for (ActorSystem<?> s : everStarted) {
            terminate(s);
        }
        running.clear();
    }

    static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ActorSystem " + system + " did not terminate", e);
        }
    }

    static long msSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
