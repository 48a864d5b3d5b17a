package io.paddock.node;

import io.paddock.config.ConfigException;
import io.paddock.config.ConfigLoader;
import io.paddock.config.NodeConfig;
import io.paddock.node.server.PaddockServer;
import io.paddock.node.server.StartupException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code paddock server CONFIG}: runs one node in the foreground until Ctrl-C or SIGTERM.
 * Exit codes: 0 after a requested stop, 1 when the node failed, 2 for bad usage or config.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length != 2 || !args[0].equals("server")) {
            System.err.println("usage: paddock server CONFIG   (CONFIG: a zoo.cfg-style .cfg file or a HOCON .conf file)");
            return 2;
        }
        NodeConfig cfg;
        try {
            cfg = ConfigLoader.load(Path.of(args[1]));
        } catch (ConfigException e) {
            System.err.println("paddock: " + e.getMessage());
            return 2;
        }
        for (String warning : cfg.warnings()) {
            log.warn("{}: {}", cfg.sourceFile(), warning);
        }
        PaddockServer server;
        try {
            server = PaddockServer.start(cfg);
        } catch (StartupException e) {
            System.err.println("paddock: " + e.getMessage());
            return 1;
        }
        log.info("Paddock node {} serving clients on {} ({})", cfg.serverId(), server.clientAddress(), server.context().mode());
        // Completed with the signal's name when asked to stop, with null when the node stopped on its own.
        CompletableFuture<String> stop = new CompletableFuture<>();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeOnce = () -> {
            if (closed.compareAndSet(false, true)) {
                server.close();
            }
        };
        boolean termHandled = handleSignal("TERM", stop);
        handleSignal("INT", stop); // not possible when started in the background with SIGINT ignored; fine
        // Any other way the JVM goes down (SIGHUP, or where signals could not be handled) still closes the node,
        // but the JVM then exits with 128 + the signal's number.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!closed.get()) {
                log.info("the JVM is shutting down: stopping the node");
            }
            closeOnce.run();
        }, "paddock-shutdown"));
        if (!termHandled) {
            log.warn("SIGTERM cannot be handled here; it will still close the node cleanly, but the exit code "
                + "will be 143 instead of 0");
        }
        server.whenTerminated().thenRun(() -> stop.complete(null));
        String signal = stop.join();
        if (signal == null) {
            log.error("the node stopped on its own; see the errors above");
            closeOnce.run();
            return 1;
        }
        log.info("SIG{} received: shutting down", signal);
        closeOnce.run();
        log.info("stopped");
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
            log.debug("cannot handle SIG{}: {}", name, e.toString());
            return false;
        }
    }
}
