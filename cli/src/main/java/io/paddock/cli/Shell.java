package io.paddock.cli;

import io.paddock.cli.Command.Invocation;
import io.paddock.client.ChildrenResult;
import io.paddock.client.DataResult;
import io.paddock.client.SessionEvent;
import io.paddock.client.ZkClient;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.PathUtils;
import io.paddock.protocol.Perms;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * zkCli's commands on one {@link ZkClient}: each prints what zkCli 3.9.5 prints, to the same
 * stream (zkCli writes "Created ..." to stderr, for one). A failed command throws a
 * {@link CliException} whose message is the one line to print.
 */
final class Shell {
    /** Opens a session for the {@code connect} command. */
    interface Connector {
        ZkClient connect(String server) throws CliException;
    }

    private final Connector connector;
    private final PrintStream out;
    private final PrintStream err;
    private volatile ZkClient client;
    private volatile String server;
    private volatile String state;

    Shell(ZkClient client, String server, Connector connector, PrintStream out, PrintStream err) {
        this.connector = connector;
        this.out = out;
        this.err = err;
        use(client, server);
    }

    /** zkCli's prompt: the server, the session's state and the number of the command. */
    String prompt(int count) {
        return "[zk: " + server + "(" + state + ") " + count + "] ";
    }

    /** The session commands go to: {@code connect} replaces it. */
    ZkClient client() {
        return client;
    }

    private void use(ZkClient session, String connectString) {
        state = "CONNECTED";
        session.addSessionListener(event -> {
            if (client == session) { // a session replaced by connect may still report its closing
                state = stateName(event.state());
            }
        });
        client = session;
        server = connectString;
    }

    private void close() throws CliException {
        await(client.close(), null);
        state = "CLOSED";
    }

    /** The session's state in ZooKeeper's States names, as zkCli's prompt shows it. */
    private static String stateName(SessionEvent.State state) {
        return switch (state) {
            case CONNECTED, RECONNECTED -> "CONNECTED";
            case DISCONNECTED -> "CONNECTING";
            case EXPIRED, CLOSED -> "CLOSED";
            case AUTH_FAILED -> "AUTH_FAILED";
        };
    }

    /** Runs one command line (its words, the command first); false once the user asked to quit. */
    boolean run(List<String> words) throws CliException {
        Command command = Command.named(words.get(0)).orElseThrow(() -> unknown(words.get(0)));
        Invocation call = command.parse(words.subList(1, words.size()));
        if (command.needsSession() && state.equals("CLOSED")) {
            throw new CliException("Not connected");
        }
        switch (command) {
            case ADD_WATCH -> addWatch(call);
            case ADD_AUTH -> await(client.addAuth(call.arg(0),
                call.args().size() > 1 ? bytes(call.arg(1)) : new byte[0]), null);
            case CLOSE -> close();
            case CONNECT -> {
                close();
                use(connector.connect(call.arg(0)), call.arg(0));
            }
            case CREATE -> create(call);
            case DELETE -> await(client.delete(path(call.arg(0)), call.intValue('v', -1)), call.arg(0));
            case DELETE_ALL -> deleteAll(path(call.arg(0)));
            case GET -> get(call);
            case GET_ACL -> getAcl(call);
            case GET_ALL_CHILDREN_NUMBER -> out.println(await(client.getAllChildrenNumber(path(call.arg(0))), call.arg(0)));
            case GET_EPHEMERALS -> { // a prefix of paths, not a node: "/a" matches /ab too
                String prefix = call.args().isEmpty() ? null : call.arg(0);
                out.println(await(prefix == null ? client.getEphemerals() : client.getEphemerals(prefix), prefix)
                    .stream().sorted().toList());
            }
            case HELP -> help(out);
            case LS -> ls(call);
            case QUIT -> {
                return false;
            }
            case REMOVE_WATCHES -> {
                WatcherType type = call.has('c') ? WatcherType.CHILDREN : call.has('d') ? WatcherType.DATA : WatcherType.ANY;
                await(client.removeWatches(path(call.arg(0)), type), call.arg(0));
            }
            case SET -> set(call);
            case SET_ACL -> setAcl(call);
            case STAT -> stat(call);
            case SYNC -> {
                await(client.sync(path(call.arg(0))), call.arg(0));
                out.println("Sync is OK");
            }
            case WHO_AM_I -> whoAmI();
        }
        return true;
    }

    /** The list of commands zkCli prints for a command it does not know. */
    static void help(PrintStream to) {
        to.println("Paddock -server host:port[,host:port...] [-timeout ms] cmd args");
        for (Command c : Command.sorted()) {
            to.println("\t" + c.usage());
        }
    }

    private CliException unknown(String name) {
        help(err);
        return new CliException("Command not found: Command not found " + name, CliException.UNKNOWN_COMMAND);
    }

    private void ls(Invocation call) throws CliException {
        String path = path(call.arg(0));
        if (call.has('R')) {
            for (String p : subtree(path)) {
                out.println(p);
            }
            return;
        }
        ChildrenResult result = await(client.getChildren(path, call.has('w')), path);
        out.println(result.children().stream().sorted().toList());
        if (call.has('s')) {
            Formats.stat(result.stat(), out);
        }
    }

    private void get(Invocation call) throws CliException {
        String path = path(call.arg(0));
        DataResult result = await(client.getData(path, call.has('w')), path);
        byte[] data = result.data();
        out.println(data == null ? "null" : new String(data, StandardCharsets.UTF_8));
        if (call.has('s')) {
            Formats.stat(result.stat(), out);
        }
    }

    private void stat(Invocation call) throws CliException {
        String path = path(call.arg(0));
        Stat stat = await(client.exists(path, call.has('w')), path);
        if (stat == null) {
            throw new CliException(Formats.error(ErrorCode.NONODE, path));
        }
        Formats.stat(stat, out);
    }

    /** zkCli's checks and messages, in its order. */
    private void create(Invocation call) throws CliException {
        boolean ephemeral = call.has('e');
        boolean sequential = call.has('s');
        boolean container = call.has('c');
        String ttlValue = call.values().get('t');
        if (container && (ephemeral || sequential)) {
            throw new CliException("-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.");
        }
        long ttl;
        try {
            ttl = ttlValue == null ? 0 : Long.parseLong(ttlValue);
        } catch (NumberFormatException e) {
            throw new CliException("-t argument must be a long value");
        }
        if (ttlValue != null && ephemeral) {
            throw new CliException("TTLs cannot be used with Ephemeral znodes");
        }
        if (ttlValue != null && container) {
            throw new CliException("TTLs cannot be used with Container znodes");
        }
        CreateMode mode = container ? CreateMode.CONTAINER
            : ttlValue != null ? (sequential ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_WITH_TTL)
            : ephemeral ? (sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL)
            : sequential ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT;
        String path = call.arg(0);
        check(path, sequential);
        byte[] data = call.args().size() > 1 ? bytes(call.arg(1)) : null;
        List<Acl> acl = call.args().size() > 2 ? acl(call.arg(2)) : Acl.OPEN_ACL_UNSAFE;
        String created = await(client.create(path, data, acl, mode, ttl), path).path();
        err.println("Created " + created);
    }

    private void set(Invocation call) throws CliException {
        String path = path(call.arg(0));
        Stat stat = await(client.setData(path, bytes(call.arg(1)), call.intValue('v', -1)), path);
        if (call.has('s')) {
            Formats.stat(stat, out);
        }
    }

    /** As ZooKeeper's ZKUtil.deleteRecursive: the subtree breadth-first, deleted deepest first. */
    private void deleteAll(String path) throws CliException {
        List<String> tree = subtree(path);
        for (int i = tree.size() - 1; i >= 0; i--) {
            await(client.delete(tree.get(i), -1), tree.get(i));
        }
    }

    private void getAcl(Invocation call) throws CliException {
        String path = path(call.arg(0));
        var result = await(client.getAcl(path), path);
        for (Acl acl : result.acl()) {
            Formats.acl(acl, out);
        }
        if (call.has('s')) {
            Formats.stat(result.stat(), out);
        }
    }

    private void setAcl(Invocation call) throws CliException {
        String path = path(call.arg(0));
        List<Acl> acl = acl(call.arg(1));
        int version = call.intValue('v', -1);
        if (call.has('R')) {
            for (String p : subtree(path)) {
                await(client.setAcl(p, acl, version), p);
            }
            return;
        }
        Stat stat = await(client.setAcl(path, acl, version), path);
        if (call.has('s')) {
            Formats.stat(stat, out);
        }
    }

    private void addWatch(Invocation call) throws CliException {
        String path = path(call.arg(0));
        AddWatchMode mode = AddWatchMode.PERSISTENT_RECURSIVE;
        String name = call.values().get('m');
        if (name != null) {
            try {
                mode = AddWatchMode.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CliException(call.command().usage());
            }
        }
        await(client.addWatch(path, mode), path);
    }

    private void whoAmI() throws CliException {
        List<ClientInfo> identities = await(client.whoAmI(), null);
        out.println("Auth scheme: User");
        for (ClientInfo info : identities) {
            out.println(info.authScheme() + ": " + info.user());
        }
    }

    /** {@code path} and every node below it, breadth-first, each level sorted (ZKUtil.listSubTreeBFS). */
    private List<String> subtree(String path) throws CliException {
        List<String> tree = new ArrayList<>();
        Deque<String> queue = new ArrayDeque<>(List.of(path));
        while (!queue.isEmpty()) {
            String node = queue.poll();
            tree.add(node);
            for (String child : await(client.getChildren(node, false), node).children().stream().sorted().toList()) {
                queue.add(PathUtils.child(node, child));
            }
        }
        return tree;
    }

    /**
     * An ACL as zkCli's AclParser reads it: {@code scheme:id:perms} entries separated by commas.
     * A malformed entry is reported on stderr and left out, as zkCli does.
     */
    private List<Acl> acl(String text) {
        List<Acl> acl = new ArrayList<>();
        for (String entry : text.split(",")) {
            int first = entry.indexOf(':');
            int last = entry.lastIndexOf(':');
            if (first == -1 || first == last) {
                err.println(entry + " does not have the form scheme:id:perm");
                continue;
            }
            acl.add(new Acl(perms(entry.substring(last + 1)),
                new Id(entry.substring(0, first), entry.substring(first + 1, last))));
        }
        return acl;
    }

    private int perms(String letters) {
        int perms = 0;
        for (char c : letters.toCharArray()) {
            switch (c) {
                case 'r' -> perms |= Perms.READ;
                case 'w' -> perms |= Perms.WRITE;
                case 'c' -> perms |= Perms.CREATE;
                case 'd' -> perms |= Perms.DELETE;
                case 'a' -> perms |= Perms.ADMIN;
                default -> err.println("Unknown perm type: " + c);
            }
        }
        return perms;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Checks a path before it is sent, with zkCli's messages. */
    private static String path(String path) throws CliException {
        check(path, false);
        return path;
    }

    /** A sequential node's path may end with a slash: the server appends the number. */
    private static void check(String path, boolean sequential) throws CliException {
        String reason = PathUtils.invalidReason(sequential ? path + "1" : path);
        if (reason != null) {
            throw new CliException(Character.toUpperCase(reason.charAt(0)) + reason.substring(1));
        }
    }

    /** Waits for a reply; a ZooKeeper error becomes zkCli's one-line message about {@code path}. */
    private static <T> T await(CompletionStage<T> reply, String path) throws CliException {
        try {
            return reply.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof KeeperException k) {
                throw new CliException(Formats.error(k.code(), path));
            }
            throw e;
        }
    }
}
