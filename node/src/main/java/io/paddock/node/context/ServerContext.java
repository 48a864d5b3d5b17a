package io.paddock.node.context;

import io.paddock.config.NodeConfig;
import io.paddock.node.request.ReadProcessor;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.DataTree;

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
    private final ServerStats stats = new ServerStats();
    private volatile Replica replica;
    private volatile RequestSubmitter submitter;
    private volatile String mode = "starting";
    private volatile long epoch;

    public ServerContext(NodeConfig config, SessionTracker sessions) {
        this.config = config;
        this.sessions = sessions;
        this.outstanding = new OutstandingLimit(config.globalOutstandingLimit(), OutstandingLimit.MAX_BYTES);
    }

    public NodeConfig config() {
        return config;
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

    public ReadProcessor reads() {
        return replica.reads();
    }

    public void installTree(DataTree tree) {
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
    }

    /**
     * Stops serving (no quorum, an election, a sync): every client connection is closed, so
     * that clients move to a server that can answer; sessions live on. {@code mode} is what
     * srvr reports meanwhile (e.g. "looking").
     */
    public void stopServing(String mode) {
        this.submitter = null;
        this.mode = mode;
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
