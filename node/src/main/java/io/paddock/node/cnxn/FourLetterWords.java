package io.paddock.node.cnxn;

import io.paddock.config.NodeConfig;
import io.paddock.node.server.ServerContext;
import io.paddock.node.server.ServerStats;
import io.paddock.node.tree.DataTree;
import io.paddock.protocol.Zxid;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ZooKeeper's four-letter words on the client port: a connection whose first four bytes spell
 * one gets a text answer and is closed. Only words in {@code 4lw.commands.whitelist} run; the
 * others get ZooKeeper's "not in the whitelist" line. Answers are shaped like ZooKeeper's so
 * that scripts parsing them keep working.
 */
public final class FourLetterWords {
    /** What Paddock reports as its ZooKeeper compatibility version. */
    public static final String VERSION = "3.9.5-paddock-0.1.0, built on " + buildDate();

    private FourLetterWords() {
    }

    private static String buildDate() {
        return new SimpleDateFormat("MM/dd/yyyy HH:mm zzz", Locale.ROOT).format(new Date(0));
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
                return "rw";
            case "srvr":
                return serving(ctx) ? srvr(ctx, false) : notServing();
            case "stat":
                return serving(ctx) ? srvr(ctx, true) : notServing();
            case "mntr":
                return serving(ctx) ? mntr(ctx) : notServing();
            case "conf":
                return conf(cfg);
            case "envi":
                return envi();
            case "cons":
                return cons(ctx);
            case "crst":
                return "Connection stats reset.\n";
            case "srst":
                ctx.stats().reset();
                return "Server stats reset.\n";
            case "dirs":
                return "datadir_size: 0\nlogdir_size: 0\n";
            case "wchs":
                return wchs(ctx);
            case "dump":
                return dump(ctx);
            case "wchc":
            case "wchp":
                return "Watches by " + (word.equals("wchc") ? "connection" : "path")
                    + " are not listed by Paddock yet; use wchs.\n";
            case "gtmk":
                return "0\n";
            case "stmk":
                return "0\n";
            case "hash":
                return "Digest computation is not enabled.\n";
            default:
                return word + " is not executed because it is not in the whitelist.\n";
        }
    }

    private static boolean serving(ServerContext ctx) {
        return ctx.serving();
    }

    private static String notServing() {
        return "This ZooKeeper instance is not currently serving requests\n";
    }

    private static String srvr(ServerContext ctx, boolean withClients) {
        ServerStats s = ctx.stats();
        DataTree tree = ctx.tree();
        StringBuilder b = new StringBuilder();
        b.append("Zookeeper version: ").append(VERSION).append('\n');
        if (withClients) {
            b.append("Clients:\n");
            for (ClientConnection c : ctx.connections().all()) {
                b.append(' ').append(c.remote()).append("[1](queued=0,recved=").append(c.received())
                    .append(",sent=").append(c.sent()).append(")\n");
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "Latency min/avg/max: %d/%.4f/%d%n", s.minLatency(), s.avgLatency(), s.maxLatency()));
        b.append("Received: ").append(s.packetsReceived()).append('\n');
        b.append("Sent: ").append(s.packetsSent()).append('\n');
        b.append("Connections: ").append(ctx.connections().count()).append('\n');
        b.append("Outstanding: ").append(s.outstanding()).append('\n');
        b.append("Zxid: ").append(Zxid.toHex(tree.lastProcessedZxid())).append('\n');
        b.append("Mode: ").append(ctx.mode()).append('\n');
        b.append("Node count: ").append(tree.nodeCount()).append('\n');
        return b.toString();
    }

    private static String mntr(ServerContext ctx) {
        ServerStats s = ctx.stats();
        DataTree tree = ctx.tree();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("zk_version", VERSION);
        m.put("zk_server_state", ctx.mode());
        m.put("zk_avg_latency", String.format(Locale.ROOT, "%.4f", s.avgLatency()));
        m.put("zk_max_latency", s.maxLatency());
        m.put("zk_min_latency", s.minLatency());
        m.put("zk_packets_received", s.packetsReceived());
        m.put("zk_packets_sent", s.packetsSent());
        m.put("zk_num_alive_connections", ctx.connections().count());
        m.put("zk_outstanding_requests", s.outstanding());
        m.put("zk_znode_count", tree.nodeCount());
        m.put("zk_watch_count", tree.watches().watchCount());
        m.put("zk_ephemerals_count", tree.ephemeralCount());
        m.put("zk_approximate_data_size", tree.approximateDataSize());
        m.put("zk_global_sessions", ctx.sessions().size());
        m.put("zk_last_zxid", Zxid.toHex(tree.lastProcessedZxid()));
        m.put("zk_epoch", ctx.epoch());
        m.put("zk_uptime", s.uptimeMillis());
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('\t').append(v).append('\n'));
        return b.toString();
    }

    private static String conf(NodeConfig cfg) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("clientPort", cfg.clientAddress().getPort());
        m.put("clientPortAddress", cfg.clientAddress().getHostString());
        m.put("dataDir", cfg.dataDir());
        m.put("dataLogDir", cfg.dataLogDir());
        m.put("tickTime", cfg.tickTime());
        m.put("maxClientCnxns", cfg.maxClientCnxns());
        m.put("minSessionTimeout", cfg.minSessionTimeout());
        m.put("maxSessionTimeout", cfg.maxSessionTimeout());
        m.put("serverId", cfg.serverId());
        m.put("snapCount", cfg.snapCount());
        m.put("jute.maxbuffer", cfg.maxBuffer());
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private static String envi() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("zookeeper.version", VERSION);
        for (String p : List.of("java.version", "java.vendor", "java.home", "java.class.path", "java.io.tmpdir",
            "os.name", "os.arch", "os.version", "user.name", "user.home", "user.dir")) {
            m.put(p, System.getProperty(p));
        }
        StringBuilder b = new StringBuilder("Environment:\n");
        m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private static String cons(ServerContext ctx) {
        StringBuilder b = new StringBuilder();
        for (ClientConnection c : ctx.connections().all()) {
            b.append(' ').append(c.remote()).append("[1](queued=0,recved=").append(c.received())
                .append(",sent=").append(c.sent()).append(",sid=0x").append(Long.toHexString(c.sessionId()))
                .append(",lop=NA,est=").append(c.connectedAt()).append(",to=").append(c.timeout())
                .append(",lzxid=").append(Zxid.toHex(c.lastZxidSent())).append(")\n");
        }
        return b.append('\n').toString();
    }

    private static String wchs(ServerContext ctx) {
        var w = ctx.tree().watches();
        return w.watcherCount() + " connections watching " + w.watchedPathCount() + " paths\nTotal watches:"
            + w.watchCount() + "\n";
    }

    private static String dump(ServerContext ctx) {
        StringBuilder b = new StringBuilder("SessionTracker dump:\nSession Sets (").append(ctx.sessions().size())
            .append("):\nephemeral nodes dump:\nSessions with Ephemerals (").append(ctx.tree().ephemeralCount()).append("):\n");
        Map<Long, Integer> sessions = new TreeMap<>(ctx.tree().sessions());
        for (Long id : sessions.keySet()) {
            var eph = ctx.tree().ephemeralsOf(id);
            if (!eph.isEmpty()) {
                b.append("0x").append(Long.toHexString(id)).append(":\n");
                for (String p : eph) {
                    b.append('\t').append(p).append('\n');
                }
            }
        }
        return b.toString();
    }
}
