package io.paddock.node.admin;

import io.paddock.node.auth.Acls;
import io.paddock.node.auth.AuthIds;
import io.paddock.node.auth.DigestAuth;
import io.paddock.node.context.ServerContext;
import io.paddock.node.inspect.Unsupported;
import io.paddock.node.tree.DataNode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * ZooKeeper 3.9.5's AdminServer commands: their names and aliases, and how a request is
 * answered, in ZooKeeper's order of checks: an unknown name, then a node that does not serve
 * (for the commands that need it), then the Authorization header (snapshot, restore), then the
 * HTTP method; only then the command. Plain rules: {@link CommandRoutes} carries them over HTTP.
 *
 * <p>Every answer is a JSON object whose last keys are {@code command} and {@code error}, as
 * ZooKeeper's: {@code command} is the primary name once the command ran (also when an alias was
 * asked for), the requested name when the request was refused before; an error the command
 * itself reports comes first.
 */
final class AdminCommands {
    static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";

    /** An answer: HTTP status and JSON object. */
    record Answer(int status, Map<String, Object> body) {
    }

    /**
     * One command. {@code post}: it is run with POST (restore), the others with GET.
     * {@code serverRequired}: it answers {@link #NOT_SERVING} while the node does not serve.
     * {@code auth}: the Authorization header must grant every permission on {@code /}.
     */
    record Command(String primary, List<String> aliases, boolean post, boolean serverRequired, boolean auth,
                   Function<ServerContext, CommandAnswers.Result> run) {
        /** The HTTP method it is run with (HEAD as GET). */
        String method() {
            return post ? "POST" : "GET";
        }
    }

    /** Snapshots and restores are ZooKeeper's file formats, which Paddock neither writes nor reads. */
    private static final String NO_SNAPSHOT_STREAM = "its snapshots are not in ZooKeeper's format, and it takes none"
        + " over HTTP; back up a stopped node's data directories instead";

    private static final List<Command> COMMANDS = List.of(
        get("configuration", List.of("conf", "config"), CommandAnswers::configuration),
        get("connection_stat_reset", List.of("crst"), CommandAnswers::connectionStatReset),
        get("connections", List.of("cons"), CommandAnswers::connections),
        get("dirs", List.of(), CommandAnswers::dirs),
        get("dump", List.of(), CommandAnswers::dump),
        anytime("environment", List.of("envi", "env"), CommandAnswers::environment),
        anytime("get_trace_mask", List.of("gtmk"), ctx -> CommandAnswers.unsupported("get_trace_mask", Unsupported.TRACE_MASK)),
        get("hash", List.of(), ctx -> CommandAnswers.unsupported("hash", Unsupported.DIGESTS)),
        get("initial_configuration", List.of("icfg"), CommandAnswers::initialConfiguration),
        get("is_read_only", List.of("isro"), CommandAnswers::isReadOnly),
        get("last_snapshot", List.of("lsnp"), CommandAnswers::lastSnapshot),
        get("leader", List.of("lead"), CommandAnswers::leader),
        // ZooKeeper runs monitor on a node that does not serve, and fails with a 500 page
        get("monitor", List.of("mntr"), CommandAnswers::monitor),
        get("observer_connection_stat_reset", List.of("orst"), ctx -> CommandAnswers.unsupported(
            "observer_connection_stat_reset", "it keeps no connection counters for its observers")),
        get("observers", List.of("obsr"), CommandAnswers::observers),
        new Command("restore", List.of("rest"), true, true, true, ctx -> refuseSnapshots("restore")),
        get("ruok", List.of(), ctx -> CommandAnswers.nothing()),
        get("server_stats", List.of("srvr"), CommandAnswers::serverStats),
        anytime("set_trace_mask", List.of("stmk"), ctx -> CommandAnswers.unsupported("set_trace_mask", Unsupported.TRACE_MASK)),
        new Command("snapshot", List.of("snap"), false, true, true, ctx -> refuseSnapshots("snapshot")),
        get("stat_reset", List.of("srst"), CommandAnswers::statReset),
        get("stats", List.of("stat"), CommandAnswers::stats),
        anytime("system_properties", List.of("sysp"), CommandAnswers::systemProperties),
        get("voting_view", List.of(), CommandAnswers::votingView),
        get("watch_summary", List.of("wchs"), CommandAnswers::watchSummary),
        get("watches", List.of("wchc"), CommandAnswers::watches),
        get("watches_by_path", List.of("wchp"), CommandAnswers::watchesByPath),
        anytime("zabstate", List.of(), CommandAnswers::zabstate));

    private static final Map<String, Command> BY_NAME = new HashMap<>();

    static {
        for (Command c : COMMANDS) {
            BY_NAME.put(c.primary(), c);
            c.aliases().forEach(alias -> BY_NAME.put(alias, c));
        }
    }

    private AdminCommands() {
    }

    /** A GET command that needs a serving node. */
    private static Command get(String primary, List<String> aliases, Function<ServerContext, CommandAnswers.Result> run) {
        return new Command(primary, aliases, false, true, false, run);
    }

    /** A GET command that answers whatever the node's state, also before it is attached ({@code null}). */
    private static Command anytime(String primary, List<String> aliases, Function<ServerContext, CommandAnswers.Result> run) {
        return new Command(primary, aliases, false, false, false, run);
    }

    private static CommandAnswers.Result refuseSnapshots(String name) {
        return new CommandAnswers.Refused(501, Unsupported.message(name, NO_SNAPSHOT_STREAM));
    }

    /** Every primary name, in name order (the /commands page lists them). */
    static List<String> primaryNames() {
        return COMMANDS.stream().map(Command::primary).sorted().toList();
    }

    /** The command with this name or alias (case matters), or null. */
    static Command named(String name) {
        return BY_NAME.get(name);
    }

    /**
     * Runs command {@code name} for a request with this method and Authorization header (null when
     * none), on {@code server} (null before the node is attached).
     */
    static Answer run(String name, String method, String authorization, ServerContext server) {
        Command command = BY_NAME.get(name);
        if (command == null) {
            return refused(200, name, "Unknown command: " + name);
        }
        if (command.serverRequired() && (server == null || !server.serving())) {
            return refused(200, name, NOT_SERVING);
        }
        if (command.auth()) {
            Answer denied = authorize(name, authorization, server);
            if (denied != null) {
                return denied;
            }
        }
        if (!method.equals(command.method()) && !(method.equals("HEAD") && command.method().equals("GET"))) {
            return refused(405, name, command.primary() + " takes " + command.method() + ", not " + method);
        }
        CommandAnswers.Result result = command.run().apply(server);
        Map<String, Object> body = new LinkedHashMap<>();
        if (result instanceof CommandAnswers.Refused r) {
            body.put("error", r.error());
            body.put("command", command.primary());
            return new Answer(r.status(), body);
        }
        body.putAll(((CommandAnswers.Fields) result).fields());
        body.put("command", command.primary());
        body.put("error", null);
        return new Answer(200, body);
    }

    /** Refused before the command ran: {@code command} is the name as asked for. */
    private static Answer refused(int status, String name, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", name);
        body.put("error", error);
        return new Answer(status, body);
    }

    /**
     * As ZooKeeper: "scheme data" must name a scheme whose ids are granted every permission on
     * {@code /}. Only the digest scheme is known ({@code digest user:password}); null when granted.
     */
    private static Answer authorize(String name, String authorization, ServerContext server) {
        if (authorization == null) {
            return refused(401, name, "Auth info is missing for the command");
        }
        String[] parts = authorization.split(" ");
        if (parts.length != 2 || !parts[0].equals(DigestAuth.SCHEME)) {
            return refused(401, name, "Not authenticated");
        }
        List<Id> ids = AuthIds.withDigest(new ArrayList<>(), parts[1], DigestAuth.superDigest(server.config()));
        DataNode root = server.tree().getNode("/");
        List<Acl> acl = root.acl();
        for (int bit = 1; bit <= Perms.ALL; bit <<= 1) {
            if (!Acls.permits(acl, bit, ids)) {
                return refused(403, name, "Not authorized");
            }
        }
        return null;
    }
}
