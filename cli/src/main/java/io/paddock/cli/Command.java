package io.paddock.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One of the shell's commands: its name, zkCli's usage line, the flags it takes ({@code flags}
 * alone, {@code valueFlags} with a value) and how many other arguments.
 */
enum Command {
    ADD_WATCH("addWatch", "[-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE]"
        + " - default is PERSISTENT_RECURSIVE", "", "m", 1, 1),
    ADD_AUTH("addauth", "scheme auth", "", "", 1, 2),
    CLOSE("close", "", "", "", 0, 0),
    CONNECT("connect", "host:port", "", "", 1, 1),
    CREATE("create", "[-s] [-e] [-c] [-t ttl] path [data] [acl]", "sec", "t", 1, 3),
    DELETE("delete", "[-v version] path", "", "v", 1, 1),
    DELETE_ALL("deleteall", "path [-b batch size]", "", "b", 1, 1),
    GET("get", "[-s] [-w] path", "sw", "", 1, 1),
    GET_ACL("getAcl", "[-s] path", "s", "", 1, 1),
    GET_ALL_CHILDREN_NUMBER("getAllChildrenNumber", "path", "", "", 1, 1),
    GET_EPHEMERALS("getEphemerals", "path", "", "", 0, 1),
    HELP("help", "", "", "", 0, 0),
    LS("ls", "[-s] [-w] [-R] path", "swR", "", 1, 1),
    QUIT("quit", "", "", "", 0, 0),
    REMOVE_WATCHES("removewatches", "path [-c|-d|-a]", "cda", "", 1, 1),
    SET("set", "path data [-s] [-v version]", "s", "v", 2, 2),
    SET_ACL("setAcl", "[-s] [-v version] [-R] path acl", "sR", "v", 2, 2),
    STAT("stat", "[-w] path", "w", "", 1, 1),
    SYNC("sync", "path", "", "", 1, 1),
    WHO_AM_I("whoami", "", "", "", 0, 0);

    private static final Map<String, Command> BY_NAME = new HashMap<>();

    static {
        for (Command c : values()) {
            BY_NAME.put(c.name, c);
        }
    }

    final String name;
    private final String usage;
    private final String flags;
    private final String valueFlags;
    private final int minArgs;
    private final int maxArgs;

    Command(String name, String usage, String flags, String valueFlags, int minArgs, int maxArgs) {
        this.name = name;
        this.usage = usage;
        this.flags = flags;
        this.valueFlags = valueFlags;
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
    }

    static Optional<Command> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The commands in zkCli's order: by name, case-sensitive, so addWatch comes before addauth. */
    static List<Command> sorted() {
        return BY_NAME.values().stream().sorted(Comparator.comparing(c -> c.name)).toList();
    }

    /** False for the commands that work without a live session. */
    boolean needsSession() {
        return this != CLOSE && this != CONNECT && this != HELP && this != QUIT;
    }

    /** The usage line, as zkCli prints it in its help and after wrong arguments. */
    String usage() {
        return name + " " + usage;
    }

    /**
     * Splits the words after the command name into flags and arguments. Flags may stand anywhere,
     * as zkCli's option parser lets them.
     */
    Invocation parse(List<String> words) throws CliException {
        Set<Character> set = new HashSet<>();
        Map<Character, String> values = new HashMap<>();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.length() == 2 && word.charAt(0) == '-' && Character.isLetter(word.charAt(1))) {
                char flag = word.charAt(1);
                if (flags.indexOf(flag) >= 0) {
                    set.add(flag);
                } else if (valueFlags.indexOf(flag) >= 0 && i + 1 < words.size()) {
                    values.put(flag, words.get(++i));
                } else {
                    throw new CliException(usage());
                }
            } else {
                args.add(word);
            }
        }
        if (args.size() < minArgs || args.size() > maxArgs) {
            throw new CliException(usage());
        }
        return new Invocation(this, set, values, args);
    }

    /** A parsed command line. */
    record Invocation(Command command, Set<Character> flags, Map<Character, String> values, List<String> args) {
        boolean has(char flag) {
            return flags.contains(flag);
        }

        String arg(int i) {
            return args.get(i);
        }

        /** The value of an int-valued flag such as -v, or {@code otherwise} without it. */
        int intValue(char flag, int otherwise) throws CliException {
            String value = values.get(flag);
            try {
                return value == null ? otherwise : Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new CliException("-" + flag + " argument must be an int value");
            }
        }
    }
}
