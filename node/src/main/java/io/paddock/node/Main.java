package io.paddock.node;

import io.paddock.config.ConfigException;
import io.paddock.config.ConfigLoader;
import io.paddock.config.NodeConfig;
import io.paddock.node.server.PaddockServer;
import io.paddock.node.server.StartupException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        CountDownLatch stopped = new CountDownLatch(1);
        boolean[] requested = {false};
        Thread hook = new Thread(() -> {
            requested[0] = true;
            log.info("shutting down");
            server.close();
            stopped.countDown();
        }, "paddock-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        server.whenTerminated().thenRun(stopped::countDown);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!requested[0]) {
            log.error("the node stopped on its own; see the errors above");
            return 1;
        }
        return 0;
    }
}
