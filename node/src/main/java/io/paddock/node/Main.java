package io.paddock.node;

import io.paddock.config.ConfigException;
import io.paddock.config.ConfigLoader;
import io.paddock.config.NodeConfig;
import io.paddock.node.inspect.ServerVersion;
import io.paddock.node.launch.PidFile;
import io.paddock.node.launch.Status;
import io.paddock.node.logging.LogDirectory;
import io.paddock.node.logging.NodeThreads;
import io.paddock.node.server.PaddockServer;
import io.paddock.node.server.StartupException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code paddock server CONFIG}: runs one node in the foreground until Ctrl-C or SIGTERM;
 * {@code paddock ensemble CONFIG...} runs several in this one process (a local ensemble to try
 * Paddock out; in production each node is its own process).
 * Exit codes: 0 after a requested stop, 1 when the node failed, 2 for bad usage or config.
 * {@code paddock status CONFIG} asks a running node ({@link Status}); {@code paddock version}
 * prints the version; {@code locate CONFIG} tells bin/paddock where a node's pid file and log go.
 */
public final class Main {
    private Main() {
    }

    /**
     * Not a static field: the first logger starts logback, which must not start before the
     * configs are read and {@code paddock.log.dir} is set from them ({@link LogDirectory}).
     */
    private static Logger log() {
        return LoggerFactory.getLogger(Main.class);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 1 && args[0].equals("version")) {
            System.out.println("Paddock, version " + ServerVersion.FULL);
            return 0;
        }
        if (args.length == 2 && (args[0].equals("status") || args[0].equals("locate"))) {
            NodeConfig cfg;
            try {
                cfg = ConfigLoader.load(Path.of(args[1]));
            } catch (ConfigException e) {
                System.err.println("paddock: " + e.getMessage());
                return 2;
            }
            if (args[0].equals("status")) {
                return Status.run(cfg, System.out);
            }
            // for bin/paddock start and stop, one per line: where the pid file goes, where the log goes, where it serves
            InetSocketAddress client = Status.reachable(cfg.clientAddress());
            System.out.println(cfg.dataDir().toAbsolutePath().normalize().resolve(PidFile.NAME));
            System.out.println(LogDirectory.of(List.of(cfg.dataDir())).toAbsolutePath().normalize());
            System.out.println(client.getHostString() + ":" + client.getPort());
            return 0;
        }
        boolean one = args.length == 2 && args[0].equals("server");
        boolean several = args.length >= 2 && args[0].equals("ensemble");
        if (one || several) {
            // Completed with the signal's name when asked to stop, with null when a node stopped on its own.
            // Handled from the start: a SIGTERM that comes while the node starts (its admin port, say) stops it cleanly too.
            CompletableFuture<String> stop = new CompletableFuture<>();
            boolean termHandled = handleSignal("TERM", stop);
            handleSignal("INT", stop); // not possible when started in the background with SIGINT ignored; fine
            try {
                List<PaddockServer> servers = start(List.of(args).subList(1, args.length));
                if (several) {
                    printEnsemble(servers);
                }
                return runUntilStopped(servers, stop, termHandled);
            } catch (StartFailed e) {
                System.err.println("paddock: " + e.getMessage());
                return e.exitCode;
            }
        }
        System.err.println("usage: paddock server CONFIG | paddock ensemble CONFIG... | paddock status CONFIG | paddock version"
            + "  (CONFIG: a zoo.cfg-style .cfg or a HOCON .conf file; ensemble runs several nodes in this one process, a local"
            + " ensemble to try)");
        return 2;
    }

    /** Nothing was started; {@code exitCode} is 2 for a config problem, 1 for a start-up problem. */
    private static final class StartFailed extends Exception {
        final int exitCode;

        StartFailed(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** Loads every config, then starts the nodes together; if any fails, the others are stopped. */
    private static List<PaddockServer> start(List<String> files) throws StartFailed {
        List<NodeConfig> configs = new ArrayList<>();
        for (String file : files) {
            try {
                configs.add(ConfigLoader.load(Path.of(file)));
            } catch (ConfigException e) {
                throw new StartFailed(2, e.getMessage());
            }
        }
        LogDirectory.set(configs.stream().map(NodeConfig::dataDir).toList());
        if (configs.size() == 1) {
            NodeThreads.setProcessServerId(configs.get(0).serverId());
        }
        for (NodeConfig cfg : configs) {
            for (String warning : cfg.warnings()) {
                log().warn("{}: {}", cfg.sourceFile(), warning);
            }
        }
        // an ensemble's nodes start at once: each waits for the others to form the cluster
        List<CompletableFuture<PaddockServer>> starting = new ArrayList<>();
        for (NodeConfig cfg : configs) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return PaddockServer.start(cfg);
                } catch (StartupException e) {
                    throw new CompletionException(e);
                }
            }));
        }
        List<PaddockServer> servers = new ArrayList<>();
        String failure = null;
        for (CompletableFuture<PaddockServer> f : starting) {
            try {
                servers.add(f.join());
            } catch (CompletionException e) {
                failure = failure != null ? failure : e.getCause().getMessage();
            }
        }
        if (failure != null) {
            servers.forEach(PaddockServer::close);
            throw new StartFailed(1, failure);
        }
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
        for (PaddockServer server : servers) {
            log().info("Paddock node {} listening for clients on {} ({} ms after the JVM started)",
                server.context().config().serverId(), server.clientAddress(), uptime);
        }
        return servers;
    }

    private static void printEnsemble(List<PaddockServer> servers) {
        StringBuilder b = new StringBuilder("\nPaddock ensemble of ").append(servers.size()).append(" nodes\n  connect string: ");
        b.append(servers.stream().map(s -> "127.0.0.1:" + s.clientAddress().getPort()).collect(Collectors.joining(",")));
        b.append("\n  try:            bin/zkcli -server ").append("127.0.0.1:" + servers.get(0).clientAddress().getPort());
        for (PaddockServer s : servers) {
            String url = s.managementUrl();
            if (url != null) {
                b.append("\n  node ").append(s.context().config().serverId()).append(" admin:      ").append(url);
            }
        }
        System.out.println(b.append("\n  stop:           Ctrl-C\n"));
    }

    private static int runUntilStopped(List<PaddockServer> servers, CompletableFuture<String> stop, boolean termHandled) {
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeOnce = () -> {
            if (closed.compareAndSet(false, true)) {
                servers.forEach(PaddockServer::close);
            }
        };
        // Any other way the JVM goes down (SIGHUP, or where signals could not be handled) still closes the node,
        // but the JVM then exits with 128 + the signal's number.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!closed.get()) {
                log().info("the JVM is shutting down: stopping the node");
            }
            closeOnce.run();
        }, "paddock-shutdown"));
        if (!termHandled) {
            log().warn("SIGTERM cannot be handled here; it will still close the node cleanly, but the exit code "
                + "will be 143 instead of 0");
        }
        // one node stopping on its own ends the process: a supervisor (or the user) starts it again
        servers.forEach(server -> server.whenTerminated().thenRun(() -> stop.complete(null)));
        String signal = stop.join();
        if (signal == null) {
            log().error("the node stopped on its own; see the errors above");
            closeOnce.run();
            return 1;
        }
        long asked = System.nanoTime();
        log().info("SIG{} received: shutting down", signal);
        closeOnce.run();
        log().info("stopped ({} ms after SIG{} was received)", (System.nanoTime() - asked) / 1_000_000, signal);
        return 0;
    }

    /**
     * Turns SIGTERM or SIGINT into a requested stop, so that {@code main} closes the node and
     * exits with 0; left to the JVM, the signal would run the shutdown hooks and exit with 143
     * (or 130). False when the signal cannot be handled (the JVM runs with -Xrs, say).
     */
    private static boolean handleSignal(String name, CompletableFuture<String> stop) {
        try {
            Signal.handle(new Signal(name), sig -> stop.complete(name));
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // logged by the caller, once logging is set up
            return false;
        }
    }
}
