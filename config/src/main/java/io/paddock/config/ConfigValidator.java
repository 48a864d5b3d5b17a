package io.paddock.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns a {@link RawConfig} of either format into a {@link NodeConfig}: classifies every key
 * (honoured, ignored with a warning, or unknown and an error), reads the honoured values with
 * their defaults, and checks the ensemble, myid and ports against each other.
 */
final class ConfigValidator {
    private static final int MAX = Integer.MAX_VALUE;
    private static final long MAX_EXTENDED_SERVER_ID = 254; // TTL session ids keep it in one byte
    /**
     * The largest jute.maxbuffer: nodes send proposals in Artery frames of twice it (plus 64 KiB),
     * and Artery gives every message being sent a direct buffer of a whole frame, pooled and kept
     * (measured: one per peer, for the life of the node).
     */
    static final int MAX_JUTE_MAXBUFFER = 16 << 20;

    private final Path file;
    private final boolean hocon;
    private final List<String> warnings = new ArrayList<>();
    private final Settings settings;
    private final SortedMap<String, String> serverLines = new TreeMap<>();
    private Settings.Setting myidKey;

    private ConfigValidator(RawConfig raw) {
        this.file = raw.file();
        this.hocon = raw.hocon();
        this.settings = new Settings(file, warnings);
    }

    static NodeConfig validate(RawConfig raw) {
        ConfigValidator validator = new ConfigValidator(raw);
        validator.classify(raw.entries());
        return validator.build();
    }

    /** Sorts keys into honoured settings, server lines and warnings; unknown keys are errors. */
    private void classify(Map<String, String> entries) {
        entries.forEach((key, value) -> {
            if (key.startsWith("server.")) {
                serverLines.put(key, value);
            } else if (key.equals("myid")) {
                if (!hocon) {
                    throw new ConfigException(file, key,
                            "only a .conf (HOCON) file may set myid; with zoo.cfg it lives in dataDir/myid");
                }
                myidKey = new Settings.Setting(key, value);
            } else {
                KnownKeys.Match match = KnownKeys.match(key);
                if (match instanceof KnownKeys.Honoured honoured) {
                    settings.put(honoured.canonical(), key, value);
                } else if (match instanceof KnownKeys.Ignored ignored) {
                    String refusal = KnownKeys.refusal(ignored.canonical(), value);
                    if (refusal != null) {
                        throw new ConfigException(file, key, refusal);
                    }
                    warnings.add(key + ": ignored: " + ignored.reason());
                } else {
                    String suggestion = ((KnownKeys.Unknown) match).suggestion();
                    throw new ConfigException(file, key, "unknown key (ZooKeeper 3.9 does not know it either)"
                            + (suggestion == null ? "" : "; did you mean " + suggestion + "?"));
                }
            }
        });
    }

    /** zookeeper.datadir.autocreate=false: a missing data directory means a wrong mount, not a new server. */
    private void requireExistingDirectoriesIfAsked(Path dataDir, Path dataLogDir) {
        if (settings.bool("zookeeper.datadir.autocreate", true)) {
            return;
        }
        for (Path dir : List.of(dataDir, dataLogDir)) {
            if (!Files.isDirectory(dir)) {
                throw new ConfigException(file, settings.keyOf("zookeeper.datadir.autocreate"),
                        "is false and " + dir + " does not exist");
            }
        }
    }

    private NodeConfig build() {
        int tickTime = settings.integer("tickTime", 2000, 1, MAX);
        int initLimit = settings.integer("initLimit", 10, 1, MAX);
        int syncLimit = settings.integer("syncLimit", 5, 1, MAX);
        if (!settings.has("dataDir")) {
            throw new ConfigException(file, "dataDir", "is required (where snapshots and myid live) but missing");
        }
        Path dataDir = settings.directory("dataDir");
        Path dataLogDir = settings.has("dataLogDir") ? settings.directory("dataLogDir") : dataDir;
        requireExistingDirectoriesIfAsked(dataDir, dataLogDir);
        int maxClientCnxns = settings.integer("maxClientCnxns", 60, 0, MAX);
        int minSessionTimeout = sessionTimeout("minSessionTimeout", 2L * tickTime);
        int maxSessionTimeout = sessionTimeout("maxSessionTimeout", 20L * tickTime);
        if (minSessionTimeout > maxSessionTimeout) {
            String key = settings.keyOf(settings.has("minSessionTimeout") ? "minSessionTimeout" : "maxSessionTimeout");
            throw new ConfigException(file, key, "minSessionTimeout (" + minSessionTimeout
                    + ") is larger than maxSessionTimeout (" + maxSessionTimeout + ")");
        }
        int snapCount = settings.atLeast("snapCount", 100_000, 2);
        int snapRetainCount = settings.atLeast("autopurge.snapRetainCount", 3, 3);
        int purgeIntervalHours = purgeInterval();
        Set<String> fourLetterWords = fourLetterWords();
        int maxBuffer = juteMaxBuffer();
        int globalOutstandingLimit = settings.integer("globalOutstandingLimit", 1000, 1, MAX);
        boolean extendedTypesEnabled = settings.bool("extendedTypesEnabled", false);
        long containerCheckIntervalMs =
                settings.longValue("znode.container.checkIntervalMs", 60_000, 1, Long.MAX_VALUE);
        int containerMaxPerMinute = settings.integer("znode.container.maxPerMinute", 10_000, 1, MAX);
        int commitLogCount = settings.integer("commitLogCount", 10_000, 1, MAX);
        boolean standaloneEnabled = settings.bool("standaloneEnabled", true);
        boolean reconfigEnabled = settings.bool("reconfigEnabled", false);
        boolean adminEnableServer = settings.bool("admin.enableServer", true);
        String adminServerAddress = settings.string("admin.serverAddress", "127.0.0.1");
        int adminServerPort = settings.integer("admin.serverPort", 8080, 1, 65535);
        MetricsProvider metricsProvider = metricsProvider(warnings);
        String adminCommandUrl = adminCommandUrl();

        ServerList list = ServerList.read(file, serverLines, settings, warnings);
        checkEnsembleShape(list, standaloneEnabled);
        OptionalLong myid = myid(dataDir);
        // As in ZooKeeper, one participant with standaloneEnabled runs standalone (HBase writes such files).
        boolean standalone = list.servers().isEmpty() || (list.participants() == 1 && standaloneEnabled);
        ServerSpec self;
        long serverId;
        if (standalone) {
            serverId = myid.orElse(0);
            self = list.servers().get(serverId);
            if (!list.servers().isEmpty()) {
                warnings.add(list.keys().get(list.servers().firstKey()) + ": the only server listed, and "
                        + "standaloneEnabled is true, so this node runs standalone (as ZooKeeper does)");
            }
        } else {
            serverId = myidInEnsemble(myid, list, dataDir);
            self = list.servers().get(serverId);
        }
        checkPeerType(standalone, self, list);
        InetSocketAddress clientAddress = clientAddress(self, list);
        if (extendedTypesEnabled && serverId > MAX_EXTENDED_SERVER_ID) {
            throw new ConfigException(file, settings.keyOf("extendedTypesEnabled"), "TTL nodes need server ids of "
                    + MAX_EXTENDED_SERVER_ID + " or less, and this server's id is " + serverId);
        }
        checkOwnPortsDistinct(clientAddress, adminEnableServer, adminServerAddress, adminServerPort,
                standalone ? null : self, list);

        Map<Long, ServerSpec> servers = standalone ? Map.of() : list.servers();
        boolean listenOnAllIPs = settings.bool("quorumListenOnAllIPs", false);
        if (!standalone && isWildcard(self.host())) {
            servers = withOwnHostName(list, self, warnings);
            listenOnAllIPs = true;
        }

        return new NodeConfig(file.toAbsolutePath().normalize(), serverId, tickTime, initLimit, syncLimit,
                dataDir, dataLogDir, clientAddress, maxClientCnxns, minSessionTimeout, maxSessionTimeout,
                snapCount, snapRetainCount, purgeIntervalHours, fourLetterWords, maxBuffer, globalOutstandingLimit,
                extendedTypesEnabled, containerCheckIntervalMs, containerMaxPerMinute, commitLogCount,
                servers, standaloneEnabled, reconfigEnabled, adminEnableServer, adminServerAddress, adminServerPort,
                adminCommandUrl, metricsProvider, superDigest(), listenOnAllIPs, warnings);
    }

    /**
     * ZooKeeper's PrometheusMetricsProvider gets a metrics port; its other providers (the default
     * one, the null one) need none, as every node has its metrics on the admin port; any other
     * class cannot be loaded into Paddock and is named in a warning.
     */
    /**
     * {@code server.N=0.0.0.0:...} for this node itself, the usual container set-up: ZooKeeper then
     * listens on every address, and the other servers reach it by the name in their own files. A
     * cluster member also needs the name it is reached by (its address is that name and port), and
     * only the machine knows it: this host's name, which the others' lines must use.
     */
    private Map<Long, ServerSpec> withOwnHostName(ServerList list, ServerSpec self, List<String> warnings) {
        String key = list.keys().get(self.id());
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new ConfigException(file, key, self.host() + " listens on every address, and this host's name, which the"
                    + " other servers would reach it by, is unknown (" + e.getMessage() + "): write that name instead,"
                    + " with quorumListenOnAllIPs=true");
        }
        warnings.add(key + ": " + self.host() + ": the peer ports listen on every address (as with quorumListenOnAllIPs);"
                + " the other servers must name this one " + name + " (this host's name) in their " + key + " line");
        Map<Long, ServerSpec> servers = new TreeMap<>(list.servers());
        servers.put(self.id(), new ServerSpec(self.id(), name, self.quorumPort(), self.electionPort(), self.role(),
                self.clientAddress()));
        return servers;
    }

    /** ZooKeeper makes this key the system property it reads the super digest from; a digest id is "user:hash". */
    private String superDigest() {
        String key = "DigestAuthenticationProvider.superDigest";
        String digest = settings.string(key, null);
        if (digest != null && digest.split(":", -1).length != 2) {
            throw new ConfigException(file, settings.keyOf(key), "must be a digest id, user:base64(sha1(user:password)),"
                    + " as DigestAuthenticationProvider.generateDigest prints it");
        }
        return digest;
    }

    private MetricsProvider metricsProvider(List<String> warnings) {
        String className = settings.string("metricsProvider.className", "");
        boolean prometheus = className.equals(MetricsProvider.PROMETHEUS_CLASS);
        if (!prometheus && !className.isEmpty() && !className.startsWith("org.apache.zookeeper.metrics.impl.")) {
            warnings.add(settings.keyOf("metricsProvider.className") + ": ignored: " + className
                + " is not ZooKeeper's PrometheusMetricsProvider, the one Paddock serves metrics like; every node has"
                + " its metrics at /metrics on the admin port");
        }
        return new MetricsProvider(prometheus, settings.string("metricsProvider.httpHost", "0.0.0.0"),
            settings.integer("metricsProvider.httpPort", 7000, 1, 65535),
            settings.bool("metricsProvider.exportJvmInfo", true));
    }

    /** admin.commandURL: where the AdminServer's commands are, "/commands" by default; a trailing slash is dropped. */
    private String adminCommandUrl() {
        String url = settings.string("admin.commandURL", "/commands");
        if (!url.matches("(/[A-Za-z0-9._~-]+)+/?")) {
            throw settings.error(settings.get("admin.commandURL"), "'" + url + "' is not a URL path such as /commands:"
                    + " it must start with /, and name at least one segment of letters, digits and ._~-");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private int juteMaxBuffer() {
        int value = settings.decodedInteger("jute.maxbuffer", 0xfffff, 1);
        if (value > MAX_JUTE_MAXBUFFER) {
            throw settings.error(settings.get("jute.maxbuffer"), value + " is above " + MAX_JUTE_MAXBUFFER
                    + " (16 MiB), the most Paddock accepts: nodes exchange writes in frames of twice jute.maxbuffer,"
                    + " and each connection between nodes keeps buffers of that size in direct memory");
        }
        return value;
    }

    /** ZooKeeper's -1 means "the default"; anything else must be a positive number of ms. */
    private int sessionTimeout(String canonical, long defaultValue) {
        int fallback = (int) Math.min(defaultValue, MAX);
        int value = settings.integer(canonical, fallback, -1, MAX);
        if (value == -1) {
            return fallback;
        }
        if (value == 0) {
            throw settings.error(settings.get(canonical), "must be a positive number of ms, or -1 for the default");
        }
        return value;
    }

    /** Zero or less means no purging in ZooKeeper; a negative value is stored as 0. */
    private int purgeInterval() {
        int value = settings.integer("autopurge.purgeInterval", 0, Integer.MIN_VALUE, MAX);
        if (value < 0) {
            warnings.add(settings.keyOf("autopurge.purgeInterval") + ": " + value
                    + " means no purging; using 0");
            return 0;
        }
        return value;
    }

    private Set<String> fourLetterWords() {
        Settings.Setting setting = settings.get("4lw.commands.whitelist");
        if (setting == null) {
            return FourLetterWords.DEFAULT;
        }
        FourLetterWords.Parsed parsed = FourLetterWords.parse(setting.value());
        for (String word : parsed.unknown()) {
            warnings.add(setting.key() + ": '" + word + "' is not a four letter word; ignored");
        }
        return parsed.words();
    }

    /** The combinations of participants and observers ZooKeeper refuses. */
    private void checkEnsembleShape(ServerList list, boolean standaloneEnabled) {
        if (list.servers().isEmpty()) {
            if (!standaloneEnabled) {
                throw new ConfigException(file, settings.keyOf("standaloneEnabled"),
                        "false needs at least one participant server.N line");
            }
            return;
        }
        if (list.participants() == 0) {
            throw new ConfigException(list.file(), list.keys().get(list.servers().firstKey()),
                    "all servers are observers; an ensemble needs at least one participant");
        }
        if (list.participants() == 1 && list.observers() > 0 && standaloneEnabled) {
            throw new ConfigException(file, settings.keyOf("standaloneEnabled"),
                    "observers need an ensemble: list more participants or set standaloneEnabled=false");
        }
    }

    private Path myidFile(Path dataDir) {
        return dataDir.resolve("myid");
    }

    /**
     * The server id from HOCON's {@code myid} key or the file {@code dataDir/myid}; empty when
     * neither exists. ZooKeeper reads the file whenever it exists, so a bad one is an error even
     * for a standalone server.
     */
    private OptionalLong myid(Path dataDir) {
        Path myidFile = myidFile(dataDir);
        OptionalLong fromFile = OptionalLong.empty();
        if (Files.exists(myidFile)) {
            String text;
            try {
                text = Files.readString(myidFile, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new ConfigException(file, "myid", myidFile + " cannot be read: " + e, e);
            }
            String firstLine = text.lines().findFirst().orElse("").trim();
            fromFile = OptionalLong.of(parseId(firstLine, myidFile + " holds '" + firstLine + "'"));
        }
        if (myidKey == null) {
            return fromFile;
        }
        long id = parseId(myidKey.value(), "'" + myidKey.value() + "'");
        if (fromFile.isPresent() && fromFile.getAsLong() != id) {
            throw new ConfigException(file, myidKey.key(),
                    "is " + id + " but " + myidFile + " says " + fromFile.getAsLong() + "; remove one");
        }
        return OptionalLong.of(id);
    }

    private long parseId(String text, String what) {
        try {
            long id = Long.parseLong(text);
            if (ServerLineParser.isServerId(id)) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(file, "myid", what + ", which is not a server id (a whole number from "
                + ServerLineParser.MIN_ID + " to " + ServerLineParser.MAX_ID + ")");
    }

    /** In an ensemble the id is required and must have a server.N line. */
    private long myidInEnsemble(OptionalLong myid, ServerList list, Path dataDir) {
        String ids = list.servers().keySet().stream().map(String::valueOf).collect(Collectors.joining(", "));
        String source = myidKey != null ? "myid" : myidFile(dataDir).toString();
        if (myid.isEmpty()) {
            throw new ConfigException(file, "myid", myidFile(dataDir) + " is missing; it must hold this server's id"
                    + " (one of " + ids + ") because the config lists server.N lines");
        }
        long id = myid.getAsLong();
        if (!list.servers().containsKey(id)) {
            throw new ConfigException(file, "myid", source + " says " + id + ", but there is no server." + id
                    + " line (the servers are " + ids + ")");
        }
        return id;
    }

    /** ZooKeeper trusts the server.N line over peerType, with a warning; so does Paddock. */
    private void checkPeerType(boolean standalone, ServerSpec self, ServerList list) {
        Settings.Setting peerType = settings.get("peerType");
        if (peerType == null) {
            return;
        }
        ServerSpec.Role role = switch (peerType.value().toLowerCase(Locale.ROOT)) {
            case "participant" -> ServerSpec.Role.PARTICIPANT;
            case "observer" -> ServerSpec.Role.OBSERVER;
            default -> throw settings.error(peerType,
                    "'" + peerType.value() + "' is neither participant nor observer");
        };
        if (standalone) {
            warnings.add(peerType.key() + ": ignored: this node runs standalone");
        } else if (role != self.role()) {
            String line = list.keys().get(self.id());
            warnings.add(peerType.key() + ": " + peerType.value() + " disagrees with " + line + " ("
                    + self.role().name().toLowerCase(Locale.ROOT)
                    + "); the server line wins, as in ZooKeeper");
        }
    }

    /**
     * clientPortAddress:clientPort, or the client address of this server's server.N line; when
     * both are given they must agree, as ZooKeeper requires.
     */
    private InetSocketAddress clientAddress(ServerSpec self, ServerList list) {
        Settings.Setting portSetting = settings.get("clientPort");
        Settings.Setting addressSetting = settings.get("clientPortAddress");
        InetSocketAddress fromKeys = null;
        if (portSetting != null) {
            int port = settings.integer("clientPort", 0, 1, 65535);
            String host = settings.string("clientPortAddress", "0.0.0.0");
            fromKeys = new InetSocketAddress(host, port);
            if (fromKeys.isUnresolved()) {
                throw settings.error(addressSetting, "cannot resolve host '" + host + "'");
            }
        } else if (addressSetting != null) {
            throw settings.error(addressSetting, "is set but clientPort is not");
        }
        InetSocketAddress fromLine = self == null ? null : self.clientAddress();
        if (fromLine == null) {
            if (fromKeys == null) {
                throw new ConfigException(file, "clientPort",
                        "is not set; set clientPort, or end this server's server.N line with ';<port>'");
            }
            return fromKeys;
        }
        String lineKey = list.keys().get(self.id());
        if (fromKeys != null && !agree(fromKeys, fromLine)) {
            throw new ConfigException(list.file(), lineKey, "client address " + show(fromLine)
                    + " disagrees with clientPortAddress/clientPort (" + show(fromKeys) + ")");
        }
        if (fromLine.isUnresolved()) {
            throw new ConfigException(list.file(), lineKey,
                    "cannot resolve client host '" + fromLine.getHostString() + "'");
        }
        return fromLine;
    }

    /** ZooKeeper's rule: a wildcard clientPortAddress only has to match the port. */
    private static boolean agree(InetSocketAddress fromKeys, InetSocketAddress fromLine) {
        return fromKeys.getAddress().isAnyLocalAddress()
                ? fromKeys.getPort() == fromLine.getPort()
                : fromKeys.equals(fromLine);
    }

    private static String show(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** The ports this node itself binds must differ where their hosts overlap. */
    private void checkOwnPortsDistinct(InetSocketAddress client, boolean adminEnabled, String adminHost,
                                       int adminPort, ServerSpec self, ServerList list) {
        record Listener(String what, Path file, String key, String host, int port) {}
        List<Listener> listeners = new ArrayList<>();
        String lineKey = self == null ? null : list.keys().get(self.id());
        listeners.add(self != null && self.clientAddress() != null
                ? new Listener("client port", list.file(), lineKey, client.getHostString(), client.getPort())
                : new Listener("client port", file, settings.keyOf("clientPort"), client.getHostString(),
                        client.getPort()));
        if (adminEnabled) {
            listeners.add(new Listener("admin port", file, settings.keyOf("admin.serverPort"), adminHost, adminPort));
        }
        if (self != null) {
            listeners.add(new Listener("quorum port", list.file(), lineKey, self.host(), self.quorumPort()));
            listeners.add(new Listener("election port", list.file(), lineKey, self.host(), self.electionPort()));
        }
        for (int i = 0; i < listeners.size(); i++) {
            for (int j = 0; j < i; j++) {
                Listener a = listeners.get(j);
                Listener b = listeners.get(i);
                if (a.port() == b.port() && overlap(a.host(), b.host())) {
                    throw new ConfigException(b.file(), b.key(), b.what() + " " + b.port()
                            + " is also this node's " + a.what() + " (" + a.key() + ")");
                }
            }
        }
    }

    private static boolean overlap(String a, String b) {
        return isWildcard(a) || isWildcard(b) || a.equalsIgnoreCase(b);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }
}
