package io.paddock.node.cnxn;

import io.paddock.config.NodeConfig;
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
import io.paddock.node.tree.DataTree;
import io.paddock.protocol.Zxid;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * ZooKeeper's four-letter words on the client port: a connection whose first four bytes spell
 * one gets a text answer and is closed. Only words in {@code 4lw.commands.whitelist} run; the
 * others get ZooKeeper's "not in the whitelist" line. Answers are shaped like Apache ZooKeeper
 * 3.9.5's (same lines and keys, in the same order) so that scripts and monitoring that parse them
 * keep working; a few keys ZooKeeper does not have are appended after its own (mntr's
 * {@code zk_last_zxid} and {@code zk_epoch}, conf's {@code clientPortAddress}, {@code snapCount}
 * and {@code jute.maxbuffer}). Words whose subject Paddock does not have (a trace mask, tree
 * digests) say so instead of answering with made-up values. The facts come from
 * {@code io.paddock.node.inspect}, which the AdminServer's commands read too.
 */
public final class FourLetterWords {
    private static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests\n";

    private FourLetterWords() {
    }

    /** The word whose four ASCII bytes read as {@code asInt}, or null. */
    static String wordOf(int asInt) {
        byte[] b = {(byte) (asInt >>> 24), (byte) (asInt >>> 16), (byte) (asInt >>> 8), (byte) asInt};
        String w = new String(b, StandardCharsets.ISO_8859_1);
        return io.paddock.config.FourLetterWords.ALL.contains(w) ? w : null;
    }

    static String answer(String word, ServerContext ctx) {
        NodeConfig cfg = ctx.config();
        if (!cfg.fourLetterWords().contains(word)) {
            return word + " is not executed because it is not in the whitelist.\n";
        }
        switch (word) {
            case "ruok":
                return "imok";
            case "isro":
                return ctx.serving() ? "rw" : "null";
            case "gtmk":
            case "stmk":
                return unsupported(word, Unsupported.TRACE_MASK);
            default:
                break;
        }
        if (!ctx.serving()) {
            return NOT_SERVING;
        }
        switch (word) {
            case "srvr":
                return srvr(ctx, false);
            case "stat":
                return srvr(ctx, true);
            case "mntr":
                return lines(Monitor.values(ctx), "zk_", "\t");
            case "conf":
                return conf(cfg);
            case "envi":
                return "Environment:\n" + lines(Environment.list(), "", "=");
            case "cons":
                return cons(ctx);
            case "crst":
                ClientConnections.resetStats(ctx);
                return "Connection stats reset.\n";
            case "srst":
                ctx.stats().reset();
                return "Server stats reset.\n";
            case "dirs":
                return "datadir_size: " + DiskUsage.dataDirBytes(cfg) + "\nlogdir_size: " + DiskUsage.dataLogDirBytes(cfg) + "\n";
            case "wchs":
                Watches.Summary w = Watches.summary(ctx.tree());
                return w.connections() + " connections watching " + w.paths() + " paths\nTotal watches:" + w.watches() + "\n";
            case "wchc":
                return watchesBySession(ctx);
            case "wchp":
                return watchesByPath(ctx);
            case "dump":
                return dump(ctx);
            case "hash":
                return unsupported(word, Unsupported.DIGESTS);
            default:
                return word + " is not executed because it is not in the whitelist.\n";
        }
    }

    private static String unsupported(String word, String why) {
        return Unsupported.message(word, why) + "\n";
    }

    /** One line per entry: prefix, key, separator, value. */
    private static String lines(Map<String, ?> m, String prefix, String separator) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(prefix).append(k).append(separator).append(v).append('\n'));
        return b.toString();
    }

    private static String srvr(ServerContext ctx, boolean withClients) {
        ServerStats s = ctx.stats();
        DataTree tree = ctx.tree();
        StringBuilder b = new StringBuilder();
        b.append("Zookeeper version: ").append(ServerVersion.FULL).append('\n');
        if (withClients) {
            b.append("Clients:\n");
            for (Connection c : ClientConnections.of(ctx)) {
                connection(b, c, false);
            }
            b.append('\n');
        }
        b.append("Latency min/avg/max: ").append(s.minLatency()).append('/').append(Monitor.avgLatency(s)).append('/')
            .append(s.maxLatency()).append('\n');
        b.append("Received: ").append(s.packetsReceived()).append('\n');
        b.append("Sent: ").append(s.packetsSent()).append('\n');
        b.append("Connections: ").append(ctx.connections().count()).append('\n');
        b.append("Outstanding: ").append(s.outstanding()).append('\n');
        b.append("Zxid: ").append(Zxid.toHex(tree.lastProcessedZxid())).append('\n');
        b.append("Mode: ").append(ctx.mode()).append('\n');
        b.append("Node count: ").append(tree.nodeCount()).append('\n');
        if (ctx.mode().equals("leader")) {
            b.append("Proposal sizes last/min/max: ").append(s.proposals().last()).append('/').append(s.proposals().min())
                .append('/').append(s.proposals().max()).append('\n');
        }
        return b.toString();
    }

    /** ZooKeeper's standalone keys in its order (there is no secure client port, no listen backlog set); then Paddock's. */
    private static String conf(NodeConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientPort", cfg.clientAddress().getPort());
        m.put("secureClientPort", -1);
        m.put("dataDir", cfg.dataDir().toAbsolutePath());
        m.put("dataDirSize", DiskUsage.dataDirBytes(cfg));
        m.put("dataLogDir", cfg.dataLogDir().toAbsolutePath());
        m.put("dataLogSize", DiskUsage.dataLogDirBytes(cfg));
        m.put("tickTime", cfg.tickTime());
        m.put("maxClientCnxns", cfg.maxClientCnxns());
        m.put("minSessionTimeout", cfg.minSessionTimeout());
        m.put("maxSessionTimeout", cfg.maxSessionTimeout());
        m.put("clientPortListenBacklog", -1);
        m.put("serverId", cfg.serverId());
        m.put("clientPortAddress", cfg.clientAddress().getHostString());
        m.put("snapCount", cfg.snapCount());
        m.put("jute.maxbuffer", cfg.maxBuffer());
        return lines(m, "", "=");
    }

    /** One line per connection; a connection without a session yet gets ZooKeeper's short form. */
    private static String cons(ServerContext ctx) {
        StringBuilder b = new StringBuilder();
        for (Connection c : ClientConnections.of(ctx)) {
            connection(b, c, true);
        }
        return b.append('\n').toString();
    }

    /** A connection as stat ({@code full} false) and cons list it. */
    private static void connection(StringBuilder b, Connection c, boolean full) {
        ConnectionStats.Snapshot s = c.stats().snapshot();
        b.append(' ').append(c.remote()).append("[1](queued=").append(c.outstanding()).append(",recved=")
            .append(s.received()).append(",sent=").append(s.sent());
        if (full && c.sessionId() != 0) {
            b.append(",sid=0x").append(Long.toHexString(c.sessionId()))
                .append(",lop=").append(ClientConnections.opName(s.lastOp())).append(",est=").append(c.established())
                .append(",to=").append(c.timeout());
            if (s.lastCxid() >= 0) {
                b.append(",lcxid=0x").append(Long.toHexString(s.lastCxid()));
            }
            b.append(",lzxid=0x").append(Long.toHexString(s.lastZxid())).append(",lresp=").append(s.lastResponseTime())
                .append(",llat=").append(s.lastLatency()).append(",minlat=").append(s.minLatency())
                .append(",avglat=").append(s.avgLatency()).append(",maxlat=").append(s.maxLatency());
        }
        b.append(")\n");
    }

    /** wchc: per session, the paths it watches. */
    private static String watchesBySession(ServerContext ctx) {
        StringBuilder b = new StringBuilder();
        Watches.bySession(ctx.tree()).forEach((sid, paths) -> {
            b.append("0x").append(Long.toHexString(sid)).append('\n');
            for (String p : paths) {
                b.append('\t').append(p).append('\n');
            }
        });
        return b.append('\n').toString();
    }

    /** wchp: per path, the sessions watching it. */
    private static String watchesByPath(ServerContext ctx) {
        StringBuilder b = new StringBuilder();
        Watches.byPath(ctx.tree()).forEach((path, sessions) -> {
            b.append(path).append('\n');
            for (long sid : sessions) {
                b.append("\t0x").append(Long.toHexString(sid)).append('\n');
            }
        });
        return b.append('\n').toString();
    }

    /**
     * As ZooKeeper's: on the node that expires sessions, the sessions by the time they expire
     * unless heard from; on the others, every session with its timeout. Then each session's
     * ephemerals.
     */
    private static String dump(ServerContext ctx) {
        StringBuilder b = new StringBuilder("SessionTracker dump:\n");
        if (ctx.leading() != null) {
            SortedMap<Long, List<Long>> buckets = SessionDump.expiryBuckets(ctx);
            b.append("Session Sets (").append(buckets.size()).append(")/(").append(ctx.sessions().size()).append("):\n");
            long toWallClock = System.currentTimeMillis() - ctx.sessions().now();
            buckets.forEach((expiry, ids) -> {
                b.append(ids.size()).append(" expire at ").append(new Date(toWallClock + expiry)).append(":\n");
                ids.forEach(id -> b.append("\t0x").append(Long.toHexString(id)).append('\n'));
            });
        } else {
            b.append("Global Sessions(").append(ctx.sessions().size()).append("):\n");
            ctx.sessions().all().stream().sorted((x, y) -> Long.compareUnsigned(x.id(), y.id())).forEach(s ->
                b.append("0x").append(Long.toHexString(s.id())).append('\t').append(s.timeout()).append("ms\n"));
        }
        Map<Long, List<String>> ephemerals = SessionDump.ephemerals(ctx.tree());
        b.append("ephemeral nodes dump:\nSessions with Ephemerals (").append(ephemerals.size()).append("):\n");
        ephemerals.forEach((id, paths) -> {
            b.append("0x").append(Long.toHexString(id)).append(":\n");
            paths.forEach(p -> b.append('\t').append(p).append('\n'));
        });
        return b.toString();
    }
}
