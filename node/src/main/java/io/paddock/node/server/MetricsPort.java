package io.paddock.node.server;

import io.paddock.config.MetricsProvider;
import io.paddock.config.NodeConfig;
import io.paddock.node.metrics.NodeMetrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper's metrics port: with {@code metricsProvider.className} naming ZooKeeper's
 * PrometheusMetricsProvider, the node's metrics at {@code /metrics} on
 * {@code metricsProvider.httpHost:httpPort}, served by Prometheus' own HTTP server. A port that
 * cannot be bound is logged and the node serves on without it, as with the admin port.
 */
final class MetricsPort {
    private static final Logger log = LoggerFactory.getLogger(MetricsPort.class);

    private MetricsPort() {
    }

    /** The running server, or null when none is configured or it could not start. */
    static HTTPServer start(NodeConfig cfg, NodeMetrics metrics) {
        MetricsProvider p = cfg.metricsProvider();
        if (!p.prometheus()) {
            return null;
        }
        try {
            HTTPServer server = HTTPServer.builder().hostname(p.httpHost()).port(p.httpPort())
                .registry(metrics.registry()).buildAndStart();
            log.info("metrics at http://{}:{}/metrics", p.httpHost(), server.getPort());
            return server;
        } catch (IOException | RuntimeException e) {
            log.warn("the metrics port {}:{} could not be opened ({}); the node serves on without it",
                p.httpHost(), p.httpPort(), e.getMessage());
            return null;
        }
    }
}
