package io.paddock.tests.support;

import io.paddock.config.ConfigLoader;
import io.paddock.node.cluster.Partitions;
import io.paddock.node.context.ServerStats;
import io.paddock.node.server.PaddockServer;
import io.paddock.node.server.StartupException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * An ensemble of Paddock nodes in this JVM (one ActorSystem each), on loopback ports, with
 * each node's data in its own directory; nodes can be stopped and started again on the same
 * data. Servers 1..voters are participants, the rest observers. Always {@link #close()} it.
 */
public final class InProcessEnsemble implements AutoCloseable {
    private final Path dir;
    private final int size;
    private final Map<Integer, Path> configs = new LinkedHashMap<>();
    private final Map<Integer, Integer> clientPorts = new LinkedHashMap<>();
    private final Map<Integer, PaddockServer> running = new LinkedHashMap<>();
    private final Map<Integer, Integer> adminPorts = new LinkedHashMap<>();

    /**
     * ZooKeeper's default tickTime (2 s, so syncLimit is 10 s) instead of the tests' 500 ms: for
     * tests that move many megabytes through one JVM on a shared machine, where a CPU-starved second
     * could end a learner session, which is not what they test.
     */
    public static final Map<String, String> ZOOKEEPER_TICK = Map.of("tickTime", "2000");

    private InProcessEnsemble(Path dir, int voters, int observers, Map<String, String> extra, boolean admin) {
        this.dir = dir;
        this.size = voters + observers;
        ServerConfigs.Ensemble files = ServerConfigs.ensemble(dir, voters, observers, extra);
        configs.putAll(files.configs());
        clientPorts.putAll(files.clientPorts());
        if (admin) {
            adminPorts.putAll(ServerConfigs.enableAdmin(configs));
        }
    }

    /** Starts {@code voters} participants and {@code observers} observers, all at once. */
    public static InProcessEnsemble start(Path dir, int voters, int observers, Map<String, String> extraConfig) {
        return start(new InProcessEnsemble(dir, voters, observers, extraConfig, false));
    }

    /** As {@link #start(Path, int, int, Map)}, with every node's admin port open ({@link #adminPort}). */
    public static InProcessEnsemble startWithAdmin(Path dir, int voters, Map<String, String> extraConfig) {
        return start(new InProcessEnsemble(dir, voters, 0, extraConfig, true));
    }

    /** Node {@code id}'s admin port (pekko-management and Paddock's routes); only with {@link #startWithAdmin}. */
    public int adminPort(int id) {
        return adminPorts.get(id);
    }

    private static InProcessEnsemble start(InProcessEnsemble e) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int id = 1; id <= e.size; id++) {
            int node = id;
            starts.add(CompletableFuture.runAsync(() -> e.startNode(node)));
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /** The config files of {@code voters} participants, written and none started: a test puts data in place first. */
    public static InProcessEnsemble prepare(Path dir, int voters, Map<String, String> extraConfig) {
        return new InProcessEnsemble(dir, voters, 0, extraConfig, false);
    }

    /** Node {@code id}'s config file. */
    public Path config(int id) {
        return configs.get(id);
    }

    public static InProcessEnsemble start(Path dir, int voters) {
        return start(dir, voters, 0, Map.of());
    }

    public synchronized void startNode(int id) {
        try {
            PaddockServer server = PaddockServer.start(ConfigLoader.load(configs.get(id)));
            synchronized (this) {
                running.put(id, server);
            }
        } catch (StartupException e) {
            throw new IllegalStateException("node " + id + " did not start: " + e.getMessage(), e);
        }
    }

    /** Stops a node (its clients see a disconnect); its data stays for {@link #startNode}. */
    public void stopNode(int id) {
        PaddockServer s;
        synchronized (this) {
            s = running.remove(id);
        }
        if (s != null) {
            s.close();
        }
    }

    public synchronized PaddockServer node(int id) {
        return running.get(id);
    }

    public int clientPort(int id) {
        return clientPorts.get(id);
    }

    public String connectString(int id) {
        return "127.0.0.1:" + clientPorts.get(id);
    }

    /** Every running node's client address. */
    public synchronized String connectString() {
        return running.keySet().stream().map(this::connectString).collect(Collectors.joining(","));
    }

    /** The mode a node reports (leader, follower, observer, looking ...). */
    public synchronized String mode(int id) {
        PaddockServer s = running.get(id);
        return s == null ? "down" : s.context().mode();
    }

    public synchronized Optional<Integer> leader() {
        return running.entrySet().stream().filter(e -> e.getValue().context().mode().equals("leader"))
            .map(Map.Entry::getKey).findFirst();
    }

    /** Waits until one running node leads and every other running node serves. */
    public int awaitServing(Duration timeout) {
        Await.until(timeout, "a leader and every running node serving", () -> {
            synchronized (this) {
                return leader().isPresent() && running.values().stream().allMatch(s -> s.context().serving());
            }
        });
        return leader().orElseThrow();
    }

    /** The learner syncs (DIFF, TRUNC and SNAP) a running node has run as leader: a learner whose session ended syncs again. */
    public synchronized long learnerSyncs(int id) {
        ServerStats stats = running.get(id).context().stats();
        long n = 0;
        for (ServerStats.SyncKind kind : ServerStats.SyncKind.values()) {
            n += stats.learnerSyncs(kind);
        }
        return n;
    }

    public Path dir() {
        return dir;
    }

    /** The ids of the nodes running now, in order. */
    public synchronized List<Integer> runningIds() {
        return new ArrayList<>(running.keySet());
    }

    /** Every configured server id, running or not. */
    public List<Integer> ids() {
        return new ArrayList<>(configs.keySet());
    }

    /** Each running node's mode, for failure messages. */
    public synchronized Map<Integer, String> modes() {
        Map<Integer, String> out = new LinkedHashMap<>();
        running.forEach((id, s) -> out.put(id, s.context().mode()));
        return out;
    }

    public InetSocketAddress clientAddress(int id) {
        return new InetSocketAddress("127.0.0.1", clientPorts.get(id));
    }

    /** Every configured server's client address, in id order (for a connect string that lists them all). */
    public List<InetSocketAddress> clientAddresses() {
        return clientPorts.keySet().stream().map(this::clientAddress).toList();
    }

    /**
     * Cuts every link between the running nodes in {@code side} and the other running nodes, in
     * both directions (Artery's test-mode blackhole: everything is dropped, cluster heartbeats
     * included, until {@link #heal()}).
     */
    public synchronized void partition(Set<Integer> side) {
        forEachPair((a, b) -> {
            if (side.contains(a) != side.contains(b)) {
                Partitions.cut(running.get(a).system(), running.get(b).system().address());
            }
        });
    }

    /** Undoes every cut between running nodes. */
    public synchronized void heal() {
        forEachPair((a, b) -> Partitions.heal(running.get(a).system(), running.get(b).system().address()));
    }

    private void forEachPair(java.util.function.BiConsumer<Integer, Integer> action) {
        for (int a : running.keySet()) {
            for (int b : running.keySet()) {
                if (a != b) {
                    action.accept(a, b);
                }
            }
        }
    }

    @Override
    public void close() {
        List<Integer> ids;
        synchronized (this) {
            ids = new ArrayList<>(running.keySet());
        }
        for (int id : ids) {
            stopNode(id);
        }
    }
}
