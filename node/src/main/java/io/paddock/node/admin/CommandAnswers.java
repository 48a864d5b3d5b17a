package io.paddock.node.admin;

import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.node.context.BufferSizes;
import io.paddock.node.context.Connection;
import io.paddock.node.context.ConnectionStats;
import io.paddock.node.context.DiskUsage;
import io.paddock.node.context.ServerContext;
import io.paddock.node.context.ServerStats;
import io.paddock.node.inspect.ClientConnections;
import io.paddock.node.inspect.Environment;
import io.paddock.node.inspect.Monitor;
import io.paddock.node.inspect.ServerVersion;
import io.paddock.node.inspect.SessionDump;
import io.paddock.node.inspect.Unsupported;
import io.paddock.node.inspect.Watches;
import io.paddock.protocol.Zxid;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each of ZooKeeper's AdminServer commands answers on a Paddock node: the fields of
 * ZooKeeper 3.9.5's JSON with Paddock's true values, read from the same facts as the four-letter
 * words ({@code io.paddock.node.inspect}). A field ZooKeeper has and Paddock has no value for is
 * left out (README "Inspecting a node" lists them); a command whose subject Paddock does not
 * have answers an error that says so.
 */
final class CommandAnswers {
    /** What a command answers: its fields, or an error of its own (with the HTTP status to send). */
    sealed interface Result permits Fields, Refused {
    }

    record Fields(Map<String, Object> fields) implements Result {
    }

    record Refused(int status, String error) implements Result {
    }

    private CommandAnswers() {
    }

    static Result unsupported(String name, String why) {
        return new Refused(200, Unsupported.message(name, why));
    }

    static Result nothing() {
        return new Fields(new LinkedHashMap<>());
    }

    static Result configuration(ServerContext ctx) {
        NodeConfig cfg = ctx.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_port", cfg.clientAddress().getPort());
        m.put("data_dir", cfg.dataDir().toAbsolutePath().toString());
        m.put("data_log_dir", cfg.dataLogDir().toAbsolutePath().toString());
        m.put("tick_time", cfg.tickTime());
        m.put("max_client_cnxns", cfg.maxClientCnxns());
        m.put("min_session_timeout", cfg.minSessionTimeout());
        m.put("max_session_timeout", cfg.maxSessionTimeout());
        m.put("server_id", cfg.serverId());
        m.put("client_port_listen_backlog", -1); // none set: the platform's default, as ZooKeeper's -1 says
        return new Fields(m);
    }

    static Result connections(ServerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connections", ClientConnections.of(ctx).stream().map(c -> connection(c, true)).toList());
        m.put("secure_connections", List.of());
        return new Fields(m);
    }

    /**
     * One connection as ZooKeeper's cons ({@code full}) and stats list it, without its
     * interest_ops: that is the state of a Java NIO selector key, which Paddock's connections do
     * not have.
     */
    private static Map<String, Object> connection(Connection c, boolean full) {
        ConnectionStats.Snapshot s = c.stats().snapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("remote_socket_address", ClientConnections.hostPort(c.remote()));
        m.put("outstanding_requests", c.outstanding());
        m.put("packets_received", s.received());
        m.put("packets_sent", s.sent());
        if (full) {
            m.put("session_id", c.sessionId());
            m.put("last_operation", ClientConnections.opName(s.lastOp()));
            m.put("established", c.established());
            m.put("session_timeout", c.timeout());
            m.put("last_cxid", s.lastCxid());
            m.put("last_zxid", s.lastZxid());
            m.put("last_response_time", s.lastResponseTime());
            m.put("last_latency", s.lastLatency());
            m.put("min_latency", s.minLatency());
            m.put("avg_latency", s.avgLatency());
            m.put("max_latency", s.maxLatency());
        }
        return m;
    }

    static Result connectionStatReset(ServerContext ctx) {
        ClientConnections.resetStats(ctx);
        return nothing();
    }

    static Result dirs(ServerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datadir_size", DiskUsage.dataDirBytes(ctx.config()));
        m.put("logdir_size", DiskUsage.dataLogDirBytes(ctx.config()));
        return new Fields(m);
    }

    static Result dump(ServerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expiry_time_to_session_ids", SessionDump.expiryBuckets(ctx));
        m.put("session_id_to_ephemeral_paths", SessionDump.ephemerals(ctx.tree()));
        return new Fields(m);
    }

    static Result environment(ServerContext ctx) {
        return new Fields(new LinkedHashMap<>(Environment.list()));
    }

    static Result initialConfiguration(ServerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("initial_configuration", ctx.initialConfig());
        return new Fields(m);
    }

    static Result isReadOnly(ServerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read_only", false); // Paddock has no read-only mode
        return new Fields(m);
    }

    /** ZooKeeper's zxid "ffffffffffffffff" and timestamp -1 while the node has no snapshot. */
    static Result lastSnapshot(ServerContext ctx) {
        ServerStats.Snapshot s = ctx.stats().lastSnapshot();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zxid", Long.toHexString(s == null ? -1 : s.zxid()));
        m.put("timestamp", s == null || s.storedMillis() < 0 ? -1 : s.storedMillis() / 1000);
        return new Fields(m);
    }

    static Result leader(ServerContext ctx) {
        NodeConfig cfg = ctx.config();
        long leader = ctx.zab().leader();
        if (cfg.isStandalone() || leader == ServerContext.NO_LEADER) {
            return new Refused(200, "server is not initialized");
        }
        ServerSpec spec = cfg.servers().get(leader);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("is_leader", leader == cfg.serverId());
        m.put("leader_id", leader);
        m.put("leader_ip", spec == null ? "" : spec.host());
        return new Fields(m);
    }

    static Result monitor(ServerContext ctx) {
        return new Fields(Monitor.values(ctx));
    }

    static Result observers(ServerContext ctx) {
        ServerContext.LeaderState leading = ctx.leading();
        List<Long> observers = leading == null ? List.of() : leading.learners().syncedObservers();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("synced_observers", observers.size());
        // of ZooKeeper's fields for each, Paddock knows the server id (observers learn over the cluster, not a socket of their own)
        m.put("observers", observers.stream().map(id -> Map.of("sid", id)).toList());
        return new Fields(m);
    }

    static Result serverStats(ServerContext ctx) {
        return new Fields(serverStatsFields(ctx));
    }

    static Result stats(ServerContext ctx) {
        Map<String, Object> m = serverStatsFields(ctx);
        m.put("connections", ClientConnections.of(ctx).stream().map(c -> connection(c, false)).toList());
        m.put("secure_connections", List.of());
        return new Fields(m);
    }

    /**
     * ZooKeeper's srvr as JSON, without two fields of its ServerStats bean: fsync_threshold_exceed_count
     * (Paddock's journal does not time its fsyncs against fsync.warningthresholdms) and
     * provider_null (whether ZooKeeper's stats object has lost its server).
     */
    private static Map<String, Object> serverStatsFields(ServerContext ctx) {
        ServerStats s = ctx.stats();
        NodeConfig cfg = ctx.config();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("packets_sent", s.packetsSent());
        stats.put("packets_received", s.packetsReceived());
        stats.put("client_response_stats", sizes(s.clientResponses()));
        stats.put("uptime", s.uptimeMillis());
        stats.put("data_dir_size", DiskUsage.dataDirBytes(cfg));
        stats.put("log_dir_size", DiskUsage.dataLogDirBytes(cfg));
        stats.put("last_processed_zxid", ctx.tree().lastProcessedZxid());
        stats.put("outstanding_requests", s.outstanding());
        stats.put("server_state", ctx.mode());
        stats.put("avg_latency", Monitor.avgLatency(s));
        stats.put("max_latency", s.maxLatency());
        stats.put("min_latency", s.minLatency());
        stats.put("num_alive_client_connections", ctx.connections().count());
        stats.put("auth_failed_count", s.authFailedCount());
        stats.put("non_mtlsremote_conn_count", ctx.connections().openedFromRemote());
        stats.put("non_mtlslocal_conn_count", ctx.connections().openedFromLoopback());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", ServerVersion.FULL);
        m.put("read_only", false);
        m.put("server_stats", stats);
        m.put("client_response", sizes(s.clientResponses()));
        if (ctx.mode().equals("leader")) {
            m.put("proposal_stats", sizes(s.proposals()));
        }
        m.put("node_count", ctx.tree().nodeCount());
        return m;
    }

    private static Map<String, Object> sizes(BufferSizes b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_buffer_size", b.last());
        m.put("min_buffer_size", b.min());
        m.put("max_buffer_size", b.max());
        return m;
    }

    static Result statReset(ServerContext ctx) {
        ctx.stats().reset();
        return nothing();
    }

    static Result systemProperties(ServerContext ctx) {
        Map<String, Object> m = new TreeMap<>();
        System.getProperties().forEach((k, v) -> m.put(k.toString(), v.toString()));
        return new Fields(new LinkedHashMap<>(m));
    }

    /** The voters of the ensemble (none on a standalone node), by server id. */
    static Result votingView(ServerContext ctx) {
        NodeConfig cfg = ctx.config();
        Map<Long, Object> view = new TreeMap<>();
        for (ServerSpec spec : cfg.servers().values()) {
            if (!spec.isParticipant()) {
                continue;
            }
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("server_addresses", List.of(hostPort(spec.host(), spec.quorumPort())));
            server.put("election_addresses", List.of(hostPort(spec.host(), spec.electionPort())));
            InetSocketAddress client = spec.id() == cfg.serverId() ? cfg.clientAddress() : spec.clientAddress();
            server.put("client_address", client == null ? "" : ClientConnections.hostPort(client));
            server.put("learner_type", "participant");
            view.put(spec.id(), server);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("current_config", view);
        return new Fields(m);
    }

    static Result watchSummary(ServerContext ctx) {
        Watches.Summary w = Watches.summary(ctx.tree());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_connections", w.connections());
        m.put("num_paths", w.paths());
        m.put("num_total_watches", w.watches());
        return new Fields(m);
    }

    static Result watches(ServerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id_to_watched_paths", Watches.bySession(ctx.tree()));
        return new Fields(m);
    }

    static Result watchesByPath(ServerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path_to_session_ids", Watches.byPath(ctx.tree()));
        return new Fields(m);
    }

    /**
     * ZooKeeper's zabstate: on an ensemble node with a leader (from discovery on), this node's
     * addresses and where ZAB is; otherwise only that it does not vote in a ZAB epoch.
     * {@code ctx} is null before the node is attached.
     */
    static Result zabstate(ServerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        ServerContext.Zab zab = ctx == null ? null : ctx.zab();
        if (zab == null || ctx.config().isStandalone() || zab.leader() == ServerContext.NO_LEADER) {
            m.put("voting", false);
            m.put("zabstate", "");
            return new Fields(m);
        }
        NodeConfig cfg = ctx.config();
        ServerSpec self = cfg.self();
        long lastLogged = ctx.stats().lastLoggedZxid();
        m.put("myid", cfg.serverId());
        m.put("is_leader", zab.leader() == cfg.serverId());
        m.put("quorum_address", addresses(self.host(), self.quorumPort()));
        m.put("election_address", addresses(self.host(), self.electionPort()));
        m.put("client_address", ClientConnections.hostPort(cfg.clientAddress()));
        m.put("voting", cfg.voters().contains(cfg.serverId()));
        m.put("last_zxid", Zxid.toHex(lastLogged));
        m.put("zab_epoch", Zxid.epoch(lastLogged));
        m.put("zab_counter", Zxid.counter(lastLogged));
        m.put("zabstate", zab.phase().name().toLowerCase(java.util.Locale.ROOT));
        return new Fields(m);
    }

    /**
     * One of this node's own addresses with the fields of ZooKeeper's MultipleAddresses. Paddock
     * has one address per port (the first of a server.N line), and the node listens on it, so it
     * is also the reachable one.
     */
    private static Map<String, Object> addresses(String host, int port) {
        String address = hostPort(host, port);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("empty", false);
        m.put("all_addresses", List.of(address));
        m.put("wildcard_addresses", List.of("0.0.0.0:" + port));
        m.put("all_ports", List.of(port));
        m.put("all_host_strings", List.of(host));
        m.put("reachable_address", address);
        m.put("all_reachable_addresses", List.of(address));
        m.put("all_reachable_addresses_or_all", List.of(address));
        m.put("reachable_or_one", address);
        m.put("one", address);
        return m;
    }

    private static String hostPort(String host, int port) {
        return ClientConnections.hostPort(InetSocketAddress.createUnresolved(host, port));
    }
}
