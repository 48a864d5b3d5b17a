package io.paddock.node.context;

import io.paddock.node.metrics.NodeMetrics;
import io.paddock.node.tree.DataTree;
import io.paddock.protocol.Zxid;
import java.lang.management.ManagementFactory;
import java.util.function.ToDoubleFunction;

/**
 * ZooKeeper's gauges, by ZooKeeper's names (those of its PrometheusMetricsProvider, whose help
 * text is the name), read from a node's shared state when scraped. Each one Paddock has a true
 * value for; README "Metrics" lists ZooKeeper's that it does not export.
 */
final class ZooKeeperGauges {
    private ZooKeeperGauges() {
    }

    static void register(NodeMetrics metrics, ServerContext ctx) {
        ServerStats s = ctx.stats();
        zk(metrics, "znode_count", ctx, DataTree::nodeCount);
        zk(metrics, "approximate_data_size", ctx, DataTree::approximateDataSize);
        zk(metrics, "ephemerals_count", ctx, DataTree::ephemeralCount);
        zk(metrics, "watch_count", ctx, t -> t.watches().watchCount());
        metrics.gauge("global_sessions", "global_sessions", () -> ctx.sessions().size());
        metrics.gauge("local_sessions", "local_sessions", () -> 0); // Paddock's sessions are all global
        metrics.gauge("num_alive_connections", "num_alive_connections", () -> ctx.connections().count());
        metrics.gauge("outstanding_requests", "outstanding_requests", s::outstanding);
        metrics.gauge("packets_received", "packets_received", s::packetsReceived);
        metrics.gauge("packets_sent", "packets_sent", s::packetsSent);
        metrics.gauge("min_latency", "min_latency", s::minLatency);
        metrics.gauge("avg_latency", "avg_latency", s::avgLatency);
        metrics.gauge("max_latency", "max_latency", s::maxLatency);
        metrics.gauge("uptime", "uptime", s::uptimeMillis);
        // ZooKeeper's counters of learner syncs, as gauges of the count (NodeMetrics says why)
        metrics.gauge("diff_count", "diff_count", s::diffCount);
        metrics.gauge("snap_count", "snap_count", () -> s.learnerSyncs(ServerStats.SyncKind.SNAP));
        if (!ctx.config().isStandalone()) {
            metrics.gauge("quorum_size", "quorum_size", () -> ctx.config().quorumSize());
            leader(metrics, "learners", ctx, l -> l.learners().learners());
            leader(metrics, "synced_followers", ctx, l -> l.learners().syncedFollowers());
            leader(metrics, "synced_non_voting_followers", ctx, l -> l.learners().syncedNonVotingFollowers());
            leader(metrics, "synced_observers", ctx, l -> l.learners().syncedObservers().size());
            leader(metrics, "pending_syncs", ctx, l -> l.learners().pendingSyncs());
            leader(metrics, "leader_uptime", ctx, l -> System.currentTimeMillis() - l.sinceMillis());
            metrics.gaugeByLabel("paddock_learner_lag_txns", "On the leader: committed txns each following learner"
                + " has not acked yet (refreshed every half tick)", "server", ctx::learnerLags);
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            metrics.gauge("open_file_descriptor_count", "open_file_descriptor_count", unix::getOpenFileDescriptorCount);
            metrics.gauge("max_file_descriptor_count", "max_file_descriptor_count", unix::getMaxFileDescriptorCount);
        }
        metrics.gauge("paddock_serving", "1 while this node serves clients (what /ready says), else 0",
            () -> ctx.serving() ? 1 : 0);
        metrics.gauge("paddock_epoch", "The epoch this node serves in", ctx::epoch);
        metrics.gauge("paddock_last_logged_zxid_counter", "The counter part of the zxid this node's log is durable up to",
            () -> Zxid.counter(s.lastLoggedZxid()));
        // a learner's lag is the leader's value minus its own, within one epoch (README "Metrics")
        zk(metrics, "paddock_last_committed_zxid_counter", "The counter part of the zxid of the last txn applied to the tree",
            ctx, t -> Zxid.counter(t.lastProcessedZxid()));
    }

    /** A gauge of the tree, named as ZooKeeper names it; 0 before the node recovered one. */
    private static void zk(NodeMetrics metrics, String name, ServerContext ctx, ToDoubleFunction<DataTree> value) {
        zk(metrics, name, name, ctx, value);
    }

    private static void zk(NodeMetrics metrics, String name, String help, ServerContext ctx, ToDoubleFunction<DataTree> value) {
        metrics.gauge(name, help, () -> ctx.recovered() ? value.applyAsDouble(ctx.tree()) : 0);
    }

    /** One of ZooKeeper's leader-only gauges: a sample only while this node leads. */
    private static void leader(NodeMetrics metrics, String name, ServerContext ctx,
                               ToDoubleFunction<ServerContext.LeaderState> value) {
        metrics.gaugeWhile(name, () -> ctx.leading() != null, () -> {
            ServerContext.LeaderState l = ctx.leading();
            return l == null ? 0 : value.applyAsDouble(l);
        });
    }
}
