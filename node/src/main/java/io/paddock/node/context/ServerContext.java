package io.paddock.node.context;

import io.paddock.config.NodeConfig;
import io.paddock.node.metrics.NodeMetrics;
import io.paddock.node.request.ReadProcessor;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.DataTree;
import io.paddock.node.zab.LearnerCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.nio.file.Files;

/**
 * What every part of a running node shares: its config, the replicated tree (swapped whole
 * when a learner installs a snapshot), sessions, connections, counters, the node's current
 * mode, and where writes go.
 */
public final class ServerContext {
    /** The tree and the reader bound to it, swapped together. */
    private record Replica(DataTree tree, ReadProcessor reads) {
    }

    private final NodeConfig config;
    private final SessionTracker sessions;
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final OutstandingLimit outstanding;
    private final NodeMetrics metrics;
    private final ServerStats stats;
    private volatile Replica replica;
    private volatile RequestSubmitter submitter;
    private volatile String mode = "starting";
    private volatile long epoch;
    private volatile Map<Long, Long> learnerLags = Map.of();
    private volatile Zab zab = new Zab(ZabPhase.ELECTION, NO_LEADER);
    private volatile LeaderState leading;
    private final String initialConfig;

    /** ZooKeeper's ZAB phases, as its zabstate command names them. */
    public enum ZabPhase { ELECTION, DISCOVERY, SYNCHRONIZATION, BROADCAST }

    /** Where ZAB is on this node, and the leader it follows or is ({@link #NO_LEADER} while looking). */
    public record Zab(ZabPhase phase, long leader) {
    }

    public static final long NO_LEADER = -1;

    /**
     * What this node, leading an established epoch, publishes for mntr and the AdminServer: when
     * it was established (wall clock ms) and its learners as last counted. Its role thread
     * writes it, the threads that report read it.
     */
    public record LeaderState(long sinceMillis, LearnerCounts learners) {
    }

    public ServerContext(NodeConfig config, SessionTracker sessions) {
        this.config = config;
        this.sessions = sessions;
        this.outstanding = new OutstandingLimit(config.globalOutstandingLimit(), OutstandingLimit.MAX_BYTES);
        this.metrics = new NodeMetrics(config.metricsProvider().exportJvmInfo());
        this.stats = new ServerStats(metrics);
        this.initialConfig = config.isStandalone() ? text(config) : null;
        ZooKeeperGauges.register(metrics, this);
    }

    /** This node's metrics (Prometheus). */
    public NodeMetrics metrics() {
        return metrics;
    }

    /** The config file's text as the node started from it; null when it cannot be read. */
    private static String text(NodeConfig config) {
        try {
            return Files.readString(config.sourceFile(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * A standalone node's config file as it started from it (the AdminServer's
     * initial_configuration); null on an ensemble node, as ZooKeeper's servers of an ensemble
     * report none.
     */
    public String initialConfig() {
        return initialConfig;
    }

    public SessionTracker sessions() {
        return sessions;
    }

    public ConnectionRegistry connections() {
        return connections;
    }

    public ServerStats stats() {
        return stats;
    }

    /** The requests of all client connections received and not yet answered. */
    public OutstandingLimit outstanding() {
        return outstanding;
    }

    public DataTree tree() {
        return replica.tree();
    }

    /** Whether the node has a tree yet (recovered from its log); before that, {@link #tree()} has none. */
    public boolean recovered() {
        return replica != null;
    }

    public ReadProcessor reads() {
        return replica.reads();
    }

    /** Serves from {@code tree} (recovered, or a leader's snapshot), with this server's own /zookeeper/config. */
    public void installTree(DataTree tree) {
        if (!config.isStandalone()) {
            tree.setEnsembleConfig(config.ensembleConfig().getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
        }
        replica = new Replica(tree, new ReadProcessor(tree));
    }

    public RequestSubmitter submitter() {
        return submitter;
    }

    /** Starts serving: writes go to {@code submitter}, and the node reports {@code mode} (standalone, leader, follower, observer). */
    public void serve(String mode, RequestSubmitter submitter, long epoch) {
        this.submitter = submitter;
        this.epoch = epoch;
        this.mode = mode;
        this.zab = new Zab(ZabPhase.BROADCAST, zab.leader());
    }

    /** The node entered {@code phase} under {@code leader} (a role started, or a learner began its sync). */
    public void zabPhase(ZabPhase phase, long leader) {
        this.zab = new Zab(phase, leader);
    }

    public Zab zab() {
        return zab;
    }

    /** This node now leads an established epoch: {@code state} is its leadership as last published. */
    public void leading(LeaderState state) {
        this.leading = state;
    }

    /** This node's leadership, or null when it does not lead an established epoch. */
    public LeaderState leading() {
        return leading;
    }

    /** Leading: each following learner's lag in committed txns, by server id, as last published (every tick). */
    public void learnerLags(Map<Long, Long> lags) {
        this.learnerLags = Map.copyOf(lags);
    }

    public Map<Long, Long> learnerLags() {
        return learnerLags;
    }

    /**
     * Stops serving (no quorum, an election, a sync): every client connection is closed, so
     * that clients move to a server that can answer; sessions live on. {@code mode} is what
     * srvr reports meanwhile (e.g. "looking").
     */
    public void stopServing(String mode) {
        this.submitter = null;
        this.mode = mode;
        this.zab = new Zab(ZabPhase.ELECTION, NO_LEADER);
        this.leading = null;
        this.learnerLags = Map.of();
        connections.closeAll();
    }

    public boolean serving() {
        return submitter != null;
    }

    public String mode() {
        return mode;
    }

    public long epoch() {
        return epoch;
    }
}
