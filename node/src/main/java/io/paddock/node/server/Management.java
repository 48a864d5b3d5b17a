package io.paddock.node.server;

import io.paddock.config.NodeConfig;
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

    static void start(ActorSystem<?> system, NodeConfig cfg) {
        if (!cfg.adminEnableServer()) {
            return;
        }
        PekkoManagement.get(system.classicSystem()).start().whenComplete((uri, failure) -> {
            if (failure != null) {
                log.warn("the admin port {}:{} could not be opened ({}); the node serves on without it",
                    cfg.adminServerAddress(), cfg.adminServerPort(), failure.getMessage());
            } else {
                log.info("admin port at {}/paddock/status", uri);
            }
        });
    }

    /** Where the management routes are, for people to open. */
    static String url(NodeConfig cfg) {
        String host = cfg.adminServerAddress().equals("0.0.0.0") ? "127.0.0.1" : cfg.adminServerAddress();
        return "http://" + host + ":" + cfg.adminServerPort() + "/paddock/status";
    }
}
