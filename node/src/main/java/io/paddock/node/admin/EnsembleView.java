package io.paddock.node.admin;

import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.node.context.ServerContext;
import io.paddock.protocol.Zxid;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code /paddock/ensemble} shows: every configured server (a standalone node: itself) as
 * the asking node sees it, from the statuses the reachable nodes answered. Plain data in, JSON
 * fields out, so that it is tested without a cluster.
 */
final class EnsembleView {
    private EnsembleView() {
    }

    static Map<String, Object> json(NodeConfig cfg, Collection<NodeStatus> answered) {
        Map<Long, NodeStatus> byId = new TreeMap<>();
        for (NodeStatus s : answered) {
            // two incarnations of a restarted node may both still be listed for a moment: the newer knows more
            byId.merge(s.serverId(), s, (a, b) -> Long.compareUnsigned(a.lastCommitted(), b.lastCommitted()) >= 0 ? a : b);
        }
        NodeStatus leader = leaderOf(byId.values());
        List<Map<String, Object>> servers = new ArrayList<>();
        if (cfg.isStandalone()) {
            servers.add(member(cfg.serverId(), "participant", cfg.clientAddress(), byId.get(cfg.serverId()), leader));
        } else {
            for (ServerSpec spec : cfg.servers().values()) {
                servers.add(member(spec.id(), spec.isParticipant() ? "participant" : "observer", spec.clientAddress(),
                    byId.get(spec.id()), leader));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leader", leader == null ? null : leader.serverId());
        m.put("epoch", leader == null ? null : leader.epoch());
        m.put("servers", servers);
        return m;
    }

    /** The node that leads, as it says itself; of two (an old leader not yet deposed) the later epoch's. */
    static NodeStatus leaderOf(Collection<NodeStatus> statuses) {
        NodeStatus leader = null;
        for (NodeStatus s : statuses) {
            boolean leads = s.serving() && s.leader() == s.serverId();
            if (leads && (leader == null || s.epoch() > leader.epoch())) {
                leader = s;
            }
        }
        return leader;
    }

    /**
     * How many txns {@code s} has applied fewer than the leader; null when unknown (no leader, no
     * answer, or not yet in the leader's epoch, where zxid counters cannot be compared).
     */
    static Long lag(NodeStatus leader, NodeStatus s) {
        if (leader == null || s == null || Zxid.epoch(leader.lastCommitted()) != Zxid.epoch(s.lastCommitted())) {
            return null;
        }
        return Math.max(0, Zxid.counter(leader.lastCommitted()) - Zxid.counter(s.lastCommitted()));
    }

    private static Map<String, Object> member(long id, String type, InetSocketAddress client, NodeStatus s,
                                              NodeStatus leader) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serverId", id);
        m.put("type", type);
        m.put("clientAddress", s != null ? s.clientAddress() : client == null ? null : client.getHostString() + ":" + client.getPort());
        m.put("reachable", s != null);
        m.put("role", s == null ? null : s.role());
        m.put("serving", s != null && s.serving());
        m.put("leader", s == null || s.leader() == ServerContext.NO_LEADER ? null : s.leader());
        m.put("lastCommittedZxid", s == null ? null : Zxid.toHex(s.lastCommitted()));
        m.put("lag", lag(leader, s));
        return m;
    }
}
