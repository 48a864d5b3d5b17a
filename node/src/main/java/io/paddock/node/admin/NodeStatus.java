package io.paddock.node.admin;

import io.paddock.node.context.DiskUsage;
import io.paddock.node.context.ServerContext;
import io.paddock.node.tree.DataTree;
import io.paddock.protocol.CborSerializable;
import io.paddock.protocol.Zxid;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One node's state as {@code /paddock/status} shows it, and as nodes tell each other for
 * {@code /paddock/ensemble}. Read from the node's shared state without asking its role, so that
 * it answers while the role is busy (an election, a sync).
 *
 * @param serverId          myid
 * @param clientAddress     host:port of its client port
 * @param role              what srvr calls the mode: standalone, leader, follower, observer, looking, starting
 * @param zabPhase          election, discovery, synchronization or broadcast
 * @param leader            the leader's server id, or {@link ServerContext#NO_LEADER} while there is none
 * @param serving           whether it serves clients (synced with a leader that has a quorum)
 * @param epoch             the epoch it serves in (0 before it first served)
 * @param lastLogged        the zxid its log is durable up to
 * @param lastCommitted     the zxid of the last txn applied to its tree
 * @param lastSnapshot      the zxid of its newest stored snapshot
 * @param sessions          global sessions it knows
 * @param connections       client connections open to it
 * @param watches           watches set on it (as mntr's zk_watch_count counts them)
 * @param znodes            znodes in its tree
 * @param approximateDataSize bytes of paths and data in its tree
 * @param journalBytes      bytes its journal takes on disk
 */
public record NodeStatus(long serverId, String clientAddress, String role, String zabPhase, long leader, boolean serving, long epoch,
                         long lastLogged, long lastCommitted, long lastSnapshot, int sessions, int connections,
                         int watches, int znodes, long approximateDataSize, long journalBytes)
    implements CborSerializable {

    public static NodeStatus of(ServerContext ctx) {
        ServerContext.Zab zab = ctx.zab();
        DataTree tree = ctx.recovered() ? ctx.tree() : null; // none while the log is recovered
        InetSocketAddress client = ctx.config().clientAddress();
        return new NodeStatus(ctx.config().serverId(), client.getHostString() + ":" + client.getPort(), ctx.mode(), zab.phase().name().toLowerCase(Locale.ROOT),
            zab.leader(), ctx.serving(), ctx.epoch(), ctx.stats().lastLoggedZxid(),
            tree == null ? 0 : tree.lastProcessedZxid(), ctx.stats().lastSnapshotZxid(), ctx.sessions().size(),
            ctx.connections().count(), tree == null ? 0 : tree.watches().watchCount(), tree == null ? 0 : tree.nodeCount(),
            tree == null ? 0 : tree.approximateDataSize(), DiskUsage.journalBytes(ctx.config()));
    }

    /** The JSON fields, zxids in ZooKeeper's hex; {@code leader} is null while there is none. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serverId", serverId);
        m.put("clientAddress", clientAddress);
        m.put("role", role);
        m.put("zabPhase", zabPhase);
        m.put("leader", leader == ServerContext.NO_LEADER ? null : leader);
        m.put("serving", serving);
        m.put("epoch", epoch);
        m.put("lastLoggedZxid", Zxid.toHex(lastLogged));
        m.put("lastCommittedZxid", Zxid.toHex(lastCommitted));
        m.put("lastSnapshotZxid", Zxid.toHex(lastSnapshot));
        m.put("sessions", sessions);
        m.put("connections", connections);
        m.put("watches", watches);
        m.put("znodes", znodes);
        m.put("approximateDataSize", approximateDataSize);
        m.put("journalBytes", journalBytes);
        return m;
    }
}
