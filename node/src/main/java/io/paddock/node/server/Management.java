package io.paddock.node.server;

import io.paddock.config.NodeConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pekko-management on every node's admin port (ZooKeeper's admin.serverAddress and
 * admin.serverPort; off with admin.enableServer=false): Paddock's routes
 * ({@code io.paddock.node.admin.PaddockRoutes}), the health checks ({@code /ready}, {@code /alive})
 * and, on an ensemble node, the cluster HTTP routes such as {@code GET /cluster/members}. Like
 * ZooKeeper's AdminServer, a port that cannot be bound is logged and the node serves on without it.
 */
final class Management {
    private static final Logger log = LoggerFactory.getLogger(Management.class);

    private Management() {
    }

    /**
     * Starts the admin port and waits (up to {@code limit}) until it is bound or has failed, so
     * that a node that says it serves answers on its admin port too.
     */
    static void start(ActorSystem<?> system, NodeConfig cfg, Duration limit) {
        if (!cfg.adminEnableServer()) {
            return;
        }
        CompletableFuture<?> bound = PekkoManagement.get(system.classicSystem()).start().whenComplete((uri, failure) -> {
            if (failure != null) {
                log.warn("the admin port {}:{} could not be opened ({}); the node serves on without it",
                    cfg.adminServerAddress(), cfg.adminServerPort(), failure.getMessage());
            } else {
                log.info("admin port at {}/paddock/status", uri);
            }
        }).toCompletableFuture();
        try {
            bound.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // logged above: the node serves without its admin port
        } catch (TimeoutException e) {
            log.warn("the admin port {}:{} is not open after {}; the node serves meanwhile",
                cfg.adminServerAddress(), cfg.adminServerPort(), limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where the management routes are, for people to open. */
    static String url(NodeConfig cfg) {
        String host = cfg.adminServerAddress().equals("0.0.0.0") ? "127.0.0.1" : cfg.adminServerAddress();
        return "http://" + host + ":" + cfg.adminServerPort() + "/paddock/status";
    }
}
