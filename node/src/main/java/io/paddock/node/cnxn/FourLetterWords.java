package io.paddock.node.cnxn;

import io.paddock.config.NodeConfig;
import io.paddock.node.context.DiskUsage;
import io.paddock.node.context.ServerContext;
import io.paddock.node.context.ServerStats;
import io.paddock.node.tree.DataTree;
import io.paddock.node.watch.WatchManager;
import io.paddock.node.watch.Watcher;
import io.paddock.protocol.Zxid;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ZooKeeper's four-letter words on the client port: a connection whose first four bytes spell
 * one gets a text answer and is closed. Only words in {@code 4lw.commands.whitelist} run; the
 * others get ZooKeeper's "not in the whitelist" line. Answers are shaped like Apache ZooKeeper
 * 3.9.5's (same lines and keys, in the same order) so that scripts and monitoring that parse them
 * keep working; a few keys ZooKeeper does not have are appended after its own (mntr's
 * {@code zk_last_zxid} and {@code zk_epoch}, conf's {@code clientPortAddress}, {@code snapCount}
 * and {@code jute.maxbuffer}). Words whose subject Paddock does not have (a trace mask, tree
 * digests, resettable per-connection statistics) say so instead of answering with made-up values.
 */
public final class FourLetterWords {
    /** What Paddock reports as its ZooKeeper version: compatibility version, Paddock's own version, and its real build time. */
    public static final String VERSION = version();

    private static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests\n";

    private FourLetterWords() {
    }

    /** "3.9.5-paddock-VERSION, built on yyyy-MM-dd HH:mm UTC", from the properties Maven filters at build time. */
    private static String version() {
        Properties p = new Properties();
        try (InputStream in = FourLetterWords.class.getResourceAsStream("/io/paddock/node/paddock-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to the defaults below
        }
        String version = filtered(p.getProperty("paddock.version"));
        String built = filtered(p.getProperty("build.time"));
        if (built == null) {
            // not built by Maven (an IDE, say): the time the classes were compiled is the next best thing
            built = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(classesModified());
        }
        return "3.9.5-paddock-" + (version == null ? "dev" : version) + ", built on " + built + " UTC";
    }

    private static String filtered(String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.trim();
    }

    private static Instant classesModified() {
        try {
            var src = FourLetterWords.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                return Files.getLastModifiedTime(Path.of(src.getLocation().toURI())).toInstant();
            }
        } catch (Exception e) {
            // no usable code source
        }
        return Instant.now();
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
                return unsupported(word, "it has no trace mask; log levels are set in logback.xml");
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
                return mntr(ctx);
            case "conf":
                return conf(cfg);
            case "envi":
                return envi();
            case "cons":
                return cons(ctx);
            case "crst":
                return unsupported(word, "its per-connection counters cannot be reset (srst resets the server's)");
            case "srst":
                ctx.stats().reset();
                return "Server stats reset.\n";
            case "dirs":
                return "datadir_size: " + DiskUsage.bytesUnder(cfg.dataDir()) + "\nlogdir_size: " + DiskUsage.bytesUnder(cfg.dataLogDir()) + "\n";
            case "wchs":
                return wchs(ctx);
            case "wchc":
                return watchesByConnection(ctx);
            case "wchp":
                return watchesByPath(ctx);
            case "dump":
                return dump(ctx);
            case "hash":
                return unsupported(word, "it does not compute data tree digests");
            default:
                return word + " is not executed because it is not in the whitelist.\n";
        }
    }

    private static String unsupported(String word, String why) {
        return word + " is not supported by Paddock: " + why + ".\n";
    }

    /** ZooKeeper rounds the average latency to four decimals and prints it as a double: 0.0, 9.5, 0.3333. */
    private static String avgLatency(ServerStats s) {
        double avg = s.avgLatency();
        return String.valueOf(avg == 0 ? 0.0 : new BigDecimal(avg).setScale(4, RoundingMode.HALF_UP).doubleValue());
    }

    private static String srvr(ServerContext ctx, boolean withClients) {
        ServerStats s = ctx.stats();
        DataTree tree = ctx.tree();
        StringBuilder b = new StringBuilder();
        b.append("Zookeeper version: ").append(VERSION).append('\n');
        if (withClients) {
            b.append("Clients:\n");
            for (ClientConnection c : connections(ctx)) {
                b.append(' ').append(c.remote()).append("[1](queued=0,recved=").append(c.received())
                    .append(",sent=").append(c.sent()).append(")\n");
            }
            b.append('\n');
        }
        b.append("Latency min/avg/max: ").append(s.minLatency()).append('/').append(avgLatency(s)).append('/')
            .append(s.maxLatency()).append('\n');
        b.append("Received: ").append(s.packetsReceived()).append('\n');
        b.append("Sent: ").append(s.packetsSent()).append('\n');
        b.append("Connections: ").append(ctx.connections().count()).append('\n');
        b.append("Outstanding: ").append(s.outstanding()).append('\n');
        b.append("Zxid: ").append(Zxid.toHex(tree.lastProcessedZxid())).append('\n');
        b.append("Mode: ").append(ctx.mode()).append('\n');
        b.append("Node count: ").append(tree.nodeCount()).append('\n');
        return b.toString();
    }

    /** ZooKeeper 3.9.5's own keys first, in its order; then Paddock's additions. */
    private static String mntr(ServerContext ctx) {
        ServerStats s = ctx.stats();
        DataTree tree = ctx.tree();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zk_version", VERSION);
        m.put("zk_server_state", ctx.mode());
        m.put("zk_ephemerals_count", tree.ephemeralCount());
        m.put("zk_num_alive_connections", ctx.connections().count());
        m.put("zk_avg_latency", avgLatency(s));
        m.put("zk_outstanding_requests", s.outstanding());
        m.put("zk_znode_count", tree.nodeCount());
        m.put("zk_global_sessions", ctx.sessions().size());
        m.put("zk_packets_sent", s.packetsSent());
        m.put("zk_packets_received", s.packetsReceived());
        m.put("zk_watch_count", ctx.tree().watches().watchCount());
        m.put("zk_min_latency", s.minLatency());
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            m.put("zk_max_file_descriptor_count", unix.getMaxFileDescriptorCount());
        }
        m.put("zk_approximate_data_size", tree.approximateDataSize());
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            m.put("zk_open_file_descriptor_count", unix.getOpenFileDescriptorCount());
        }
        m.put("zk_local_sessions", 0); // Paddock has global sessions only
        m.put("zk_uptime", s.uptimeMillis());
        m.put("zk_max_latency", s.maxLatency());
        m.put("zk_last_zxid", Zxid.toHex(tree.lastProcessedZxid()));
        m.put("zk_epoch", ctx.epoch());
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('\t').append(v).append('\n'));
        return b.toString();
    }

    /** ZooKeeper's standalone keys in its order (there is no secure client port, no listen backlog set); then Paddock's. */
    private static String conf(NodeConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clientPort", cfg.clientAddress().getPort());
        m.put("secureClientPort", -1);
        m.put("dataDir", cfg.dataDir().toAbsolutePath());
        m.put("dataDirSize", DiskUsage.bytesUnder(cfg.dataDir()));
        m.put("dataLogDir", cfg.dataLogDir().toAbsolutePath());
        m.put("dataLogSize", DiskUsage.bytesUnder(cfg.dataLogDir()));
        m.put("tickTime", cfg.tickTime());
        m.put("maxClientCnxns", cfg.maxClientCnxns());
        m.put("minSessionTimeout", cfg.minSessionTimeout());
        m.put("maxSessionTimeout", cfg.maxSessionTimeout());
        m.put("clientPortListenBacklog", -1);
        m.put("serverId", cfg.serverId());
        m.put("clientPortAddress", cfg.clientAddress().getHostString());
        m.put("snapCount", cfg.snapCount());
        m.put("jute.maxbuffer", cfg.maxBuffer());
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    /** The same properties, in the same order, as ZooKeeper's Environment.list(). */
    private static String envi() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("zookeeper.version", VERSION);
        String host;
        try {
            host = InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            host = "<NA>";
        }
        m.put("host.name", host);
        for (String p : List.of("java.version", "java.vendor", "java.home", "java.class.path", "java.library.path",
            "java.io.tmpdir", "java.compiler", "os.name", "os.arch", "os.version", "user.name", "user.home", "user.dir")) {
            String v = System.getProperty(p);
            m.put(p, v == null ? "<NA>" : v);
        }
        Runtime rt = Runtime.getRuntime();
        long mb = 1024 * 1024;
        m.put("os.memory.free", rt.freeMemory() / mb + "MB");
        m.put("os.memory.max", rt.maxMemory() / mb + "MB");
        m.put("os.memory.total", rt.totalMemory() / mb + "MB");
        StringBuilder b = new StringBuilder("Environment:\n");
        m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    /** One line per connection; a connection without a session yet gets ZooKeeper's short form. */
    private static String cons(ServerContext ctx) {
        StringBuilder b = new StringBuilder();
        for (ClientConnection c : connections(ctx)) {
            b.append(' ').append(c.remote()).append("[1](queued=0,recved=").append(c.received())
                .append(",sent=").append(c.sent());
            if (c.sessionId() != 0) {
                b.append(",sid=0x").append(Long.toHexString(c.sessionId()))
                    .append(",lop=NA,est=").append(c.connectedAt()).append(",to=").append(c.timeout())
                    .append(",lzxid=0x").append(Long.toHexString(c.lastZxidSent()));
            }
            b.append(")\n");
        }
        return b.append('\n').toString();
    }

    /** The client port's connections (the only kind the registry holds), oldest first. */
    private static List<ClientConnection> connections(ServerContext ctx) {
        return ctx.connections().all().stream()
            .filter(ClientConnection.class::isInstance)
            .map(ClientConnection.class::cast)
            .sorted(Comparator.comparingLong(ClientConnection::connectedAt))
            .toList();
    }

    /*
     * ZooKeeper keeps data watches (getData, exists, and addWatch's persistent ones) and child
     * watches in two tables; wchs, wchc and wchp describe only the data table, mntr's
     * zk_watch_count counts both (a persistent watch, in both tables, counts twice).
     */

    private static String wchs(ServerContext ctx) {
        Map<String, Set<Watcher>> table = ctx.tree().watches().watchesByPath(false);
        Set<Watcher> watchers = new java.util.HashSet<>();
        table.values().forEach(watchers::addAll);
        return watchers.size() + " connections watching " + table.size() + " paths\nTotal watches:"
            + WatchManager.count(table) + "\n";
    }

    private static long sessionOf(Watcher w) {
        return w instanceof ClientConnection c ? c.sessionId() : 0;
    }

    /** wchc: per session, the paths it watches. */
    private static String watchesByConnection(ServerContext ctx) {
        StringBuilder b = new StringBuilder();
        Map<Long, Set<String>> bySession = new TreeMap<>(Long::compareUnsigned);
        ctx.tree().watches().watchesByPath(false).forEach((path, watchers) -> {
            for (Watcher w : watchers) {
                bySession.computeIfAbsent(sessionOf(w), s -> new TreeSet<>()).add(path);
            }
        });
        bySession.forEach((sid, paths) -> {
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
        ctx.tree().watches().watchesByPath(false).forEach((path, watchers) -> {
            b.append(path).append('\n');
            for (Watcher w : watchers) {
                b.append("\t0x").append(Long.toHexString(sessionOf(w))).append('\n');
            }
        });
        return b.append('\n').toString();
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
