package io.paddock.node.inspect;

import io.paddock.config.NodeConfig;
import io.paddock.node.context.ConnectionRegistry;
import io.paddock.node.context.ServerContext;
import io.paddock.node.context.ServerStats;
import io.paddock.node.tree.DataTree;
import io.paddock.node.zab.LearnerCounts;
import io.paddock.protocol.Zxid;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What mntr prints (each key with a zk_ prefix) and the AdminServer's monitor answers: the keys
 * of ZooKeeper 3.9.5 with its default metrics provider for which Paddock has a true value, in
 * their shape (integers for counters and gauges, the average latency as a double), then two of
 * Paddock's own. README "Inspecting a node" lists the keys ZooKeeper has and Paddock leaves out.
 */
public final class Monitor {
    private Monitor() {
    }

    /** For a node that serves; ordered as mntr prints them. */
    public static Map<String, Object> values(ServerContext ctx) {
        ServerStats s = ctx.stats();
        DataTree tree = ctx.tree();
        ConnectionRegistry connections = ctx.connections();
        NodeConfig cfg = ctx.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", ServerVersion.FULL);
        m.put("server_state", ctx.mode());
        if (!cfg.isStandalone()) {
            m.put("peer_state", peerState(ctx));
        }
        // ZooKeeper's basic keys, in the order mntr printed them before its leader's keys were added
        m.put("ephemerals_count", tree.ephemeralCount());
        m.put("num_alive_connections", connections.count());
        m.put("avg_latency", avgLatency(s));
        m.put("outstanding_requests", s.outstanding());
        m.put("znode_count", tree.nodeCount());
        m.put("global_sessions", ctx.sessions().size());
        m.put("packets_sent", s.packetsSent());
        m.put("packets_received", s.packetsReceived());
        m.put("watch_count", tree.watches().watchCount());
        m.put("min_latency", s.minLatency());
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            m.put("max_file_descriptor_count", unix.getMaxFileDescriptorCount());
        }
        m.put("approximate_data_size", tree.approximateDataSize());
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            m.put("open_file_descriptor_count", unix.getOpenFileDescriptorCount());
        }
        m.put("local_sessions", 0); // Paddock has global sessions only
        m.put("uptime", s.uptimeMillis());
        m.put("max_latency", s.maxLatency());
        m.put("last_client_response_size", s.clientResponses().last());
        m.put("min_client_response_size", s.clientResponses().min());
        m.put("max_client_response_size", s.clientResponses().max());
        m.put("auth_failed_count", s.authFailedCount());
        m.put("non_mtls_local_conn_count", connections.openedFromLoopback());
        m.put("non_mtls_remote_conn_count", connections.openedFromRemote());
        m.put("connection_request_count", connections.requested());
        m.put("connection_rejected", connections.rejected());
        m.put("diff_count", s.diffCount());
        m.put("snap_count", s.learnerSyncs(ServerStats.SyncKind.SNAP));
        if (!cfg.isStandalone()) {
            m.put("quorum_size", cfg.quorumSize());
            // a follower serves no observers in Paddock: observers learn from the leader only
            ServerContext.LeaderState leading = ctx.leading();
            LearnerCounts learners = leading == null ? LearnerCounts.NONE : leading.learners();
            m.put("synced_observers", learners.syncedObservers().size());
            if (leading != null) {
                m.put("learners", learners.learners());
                m.put("synced_followers", learners.syncedFollowers());
                m.put("synced_non_voting_followers", learners.syncedNonVotingFollowers());
                m.put("pending_syncs", learners.pendingSyncs());
                m.put("leader_uptime", System.currentTimeMillis() - leading.sinceMillis());
                m.put("last_proposal_size", s.proposals().last());
                m.put("min_proposal_size", s.proposals().min());
                m.put("max_proposal_size", s.proposals().max());
            }
        }
        // ZooKeeper's counters and summaries that Paddock keeps (NodeMetrics)
        ctx.metrics().mntr(m);
        // Paddock's own
        m.put("last_zxid", Zxid.toHex(tree.lastProcessedZxid()));
        m.put("epoch", ctx.epoch());
        return m;
    }

    /** ZooKeeper's "leading - broadcast": the server's state, then its ZAB phase. */
    public static String peerState(ServerContext ctx) {
        String state = switch (ctx.mode()) {
            case "leader" -> "leading";
            case "follower" -> "following";
            case "observer" -> "observing";
            default -> ctx.mode();
        };
        return state + " - " + ctx.zab().phase().name().toLowerCase(Locale.ROOT);
    }

    /** ZooKeeper rounds the average latency to four decimals: 0.0, 9.5, 0.3333. */
    public static double avgLatency(ServerStats s) {
        double avg = s.avgLatency();
        return avg == 0 ? 0.0 : new BigDecimal(avg).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }
}
