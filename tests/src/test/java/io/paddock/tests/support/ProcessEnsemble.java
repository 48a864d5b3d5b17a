package io.paddock.tests.support;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * An ensemble of Paddock nodes (or, for comparisons, Apache ZooKeeper servers), each in its own JVM ({@link ServerProcess}), for tests that kill
 * a real process with SIGKILL or stop it with SIGTERM. Every node has its own directory (config, data, {@code server.log});
 * a killed node restarts on the same data. Always {@link #close()} it: every process it started is
 * killed.
 *
 * <p>{@link #create} writes zoo.cfg files with {@code server.N} lines on free loopback ports and a
 * myid file per node; {@link #of} takes config files someone else wrote (HOCON with myid inline,
 * say). Which node leads is asked of the nodes themselves ({@code srvr}'s "Mode:" line).
 */
public final class ProcessEnsemble implements AutoCloseable {
    private final Map<Integer, ServerProcess> nodes = new LinkedHashMap<>();
    private final Map<Integer, Integer> clientPorts = new LinkedHashMap<>();

    private ProcessEnsemble(Map<Integer, Path> configs, Map<Integer, Integer> clientPorts,
                            BiFunction<Path, Integer, ServerProcess> server) {
        configs.forEach((id, cfg) -> {
            this.clientPorts.put(id, clientPorts.get(id));
            nodes.put(id, server.apply(cfg, clientPorts.get(id)));
        });
    }

    /**
     * Writes a zoo.cfg per node under {@code dir/node<N>} (ZooKeeper's defaults: tickTime 2000,
     * initLimit 10, syncLimit 5, unless {@code extra} says otherwise) and its {@code data/myid};
     * starts nothing.
     */
    public static ProcessEnsemble create(Path dir, int size, Map<String, String> extra) {
        return create(dir, size, extra, ServerProcess::new);
    }

    /** The same ensemble of Paddock nodes started with {@code home/bin/paddock} ({@link ServerProcess#packaged}). */
    public static ProcessEnsemble packaged(Path dir, int size, Map<String, String> extra, Path home) {
        return create(dir, size, extra, (cfg, port) -> ServerProcess.packaged(home, cfg, port));
    }

    /** The same ensemble of Apache ZooKeeper 3.9.5 servers, for comparisons. */
    public static ProcessEnsemble zookeeper(Path dir, int size, Map<String, String> extra) {
        return create(dir, size, extra, ServerProcess::zookeeper);
    }

    private static ProcessEnsemble create(Path dir, int size, Map<String, String> extra,
                                          BiFunction<Path, Integer, ServerProcess> server) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("tickTime", "2000");
        keys.putAll(extra);
        ServerConfigs.Ensemble files = ServerConfigs.ensemble(dir, size, 0, keys);
        return new ProcessEnsemble(files.configs(), files.clientPorts(), server);
    }

    /** Nodes from ready-made config files (each in its own directory: the log goes next to it), by server id. */
    public static ProcessEnsemble of(Map<Integer, Path> configs, Map<Integer, Integer> clientPorts) {
        return new ProcessEnsemble(configs, clientPorts, ServerProcess::new);
    }

    /** Extra JVM options for every node's later starts. */
    public ProcessEnsemble withJvmArgs(String... args) {
        nodes.values().forEach(n -> n.withJvmArgs(args));
        return this;
    }

    /**
     * Starts every node that is not running, side by side (a JVM takes seconds to start), and waits
     * until each answers ruok.
     */
    public ProcessEnsemble startAll(Duration timeout) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int id : nodes.keySet()) {
            if (!nodes.get(id).isAlive()) {
                starts.add(CompletableFuture.runAsync(() -> start(id, timeout)));
            }
        }
        try {
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return this;
    }

    /** Starts one node's JVM (again) on its data and waits until it answers ruok (not until it serves). */
    public void start(int id, Duration timeout) {
        nodes.get(id).start(timeout);
    }

    /** SIGKILL to one node. */
    public void kill9(int id) throws InterruptedException {
        nodes.get(id).kill9();
    }

    /** Starts a killed node again on the same data and waits until it serves as a learner or leader. */
    public void restart(int id, Duration timeout) {
        start(id, timeout);
        Await.until(timeout, "node " + id + " serves again", () -> serves(id));
    }

    /** Whether a node serves clients now: as leader, follower or observer. */
    public boolean serves(int id) {
        return serving(mode(id));
    }

    /**
     * As {@link #serves(int)}, giving up on an answer after {@code readTimeout}: ZooKeeper 3.9.5
     * leaves a four-letter word's connection open while it loads its data, so a caller that times
     * a start-up asks often with a short timeout rather than wait out the default 5 s.
     */
    public boolean serves(int id, Duration readTimeout) {
        String srvr = nodes.get(id).isAlive()
            ? ServerProcess.fourLetterWord("127.0.0.1", clientPorts.get(id), "srvr", readTimeout) : "";
        return serving(mode(srvr));
    }

    public ServerProcess process(int id) {
        return nodes.get(id);
    }

    public List<Integer> ids() {
        return List.copyOf(nodes.keySet());
    }

    public int clientPort(int id) {
        return clientPorts.get(id);
    }

    public String connectString(int id) {
        return "127.0.0.1:" + clientPorts.get(id);
    }

    /** Every node's client address, running or not, as a client would be configured. */
    public String connectString() {
        return nodes.keySet().stream().map(this::connectString).collect(Collectors.joining(","));
    }

    /** Every node's client address, for clients built with their own host provider. */
    public List<InetSocketAddress> addresses() {
        return nodes.keySet().stream().map(id -> new InetSocketAddress("127.0.0.1", clientPorts.get(id))).toList();
    }

    /** A node's answer to {@code srvr} ("" when it is down or closed the connection). */
    public String srvr(int id) {
        return nodes.get(id).isAlive() ? ServerProcess.fourLetterWord("127.0.0.1", clientPorts.get(id), "srvr") : "";
    }

    /** The "Mode:" a node reports (leader, follower, observer, looking, ...), or "down". */
    public String mode(int id) {
        return mode(srvr(id));
    }

    private static String mode(String srvr) {
        for (String line : srvr.split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring("Mode: ".length()).trim();
            }
        }
        return "down";
    }

    private static boolean serving(String mode) {
        return mode.equals("leader") || mode.equals("follower") || mode.equals("observer");
    }

    /** The node that reports itself leader, if exactly one does. */
    public Optional<Integer> leader() {
        List<Integer> leaders = nodes.keySet().stream().filter(id -> mode(id).equals("leader")).toList();
        return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
    }

    /** Waits until one running node leads and every other running node follows (or observes); returns the leader. */
    public int awaitServing(Duration timeout) {
        int[] leader = new int[1];
        try {
            Await.until(timeout, "one leader and every running node serving", () -> {
                Map<Integer, String> modes = modes();
                List<Integer> leaders = modes.entrySet().stream().filter(e -> e.getValue().equals("leader"))
                    .map(Map.Entry::getKey).toList();
                boolean allServe = modes.entrySet().stream()
                    .filter(e -> nodes.get(e.getKey()).isAlive())
                    .allMatch(e -> serving(e.getValue()));
                if (leaders.size() == 1 && allServe) {
                    leader[0] = leaders.get(0);
                    return true;
                }
                return false;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; modes now " + modes(), e);
        }
        return leader[0];
    }

    /** CPU time all nodes' JVMs have used so far. */
    public Duration cpu() {
        return nodes.values().stream().map(ServerProcess::cpu).reduce(Duration.ZERO, Duration::plus);
    }

    /** Every node's mode, by id. */
    public Map<Integer, String> modes() {
        Map<Integer, String> modes = new LinkedHashMap<>();
        nodes.keySet().forEach(id -> modes.put(id, mode(id)));
        return modes;
    }

    /** Kills every node still running. */
    @Override
    public void close() throws InterruptedException {
        InterruptedException interrupted = null;
        for (ServerProcess p : nodes.values()) {
            try {
                p.close();
            } catch (InterruptedException e) {
                interrupted = e;
            }
        }
        if (interrupted != null) {
            throw interrupted;
        }
    }
}
