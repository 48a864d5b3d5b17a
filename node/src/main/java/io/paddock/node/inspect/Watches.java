package io.paddock.node.inspect;

import io.paddock.node.context.Connection;
import io.paddock.node.tree.DataTree;
import io.paddock.node.watch.WatchManager;
import io.paddock.node.watch.Watcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The watches wchs, wchc and wchp (and watch_summary, watches and watches_by_path) describe.
 * ZooKeeper keeps data watches (getData, exists, and addWatch's persistent ones) and child
 * watches in two tables; these describe only the data table, while mntr's watch_count counts
 * both (a persistent watch, in both tables, counts twice).
 */
public final class Watches {
    /** How many sessions watch how many paths, with how many watches in all. */
    public record Summary(int connections, int paths, int watches) {
    }

    private Watches() {
    }

    public static Summary summary(DataTree tree) {
        Map<String, Set<Watcher>> table = tree.watches().watchesByPath(false);
        Set<Watcher> watchers = new HashSet<>();
        table.values().forEach(watchers::addAll);
        return new Summary(watchers.size(), table.size(), WatchManager.count(table));
    }

    /** Per session (in unsigned id order), the paths it watches, in name order. */
    public static Map<Long, Set<String>> bySession(DataTree tree) {
        Map<Long, Set<String>> bySession = new TreeMap<>(Long::compareUnsigned);
        tree.watches().watchesByPath(false).forEach((path, watchers) -> {
            for (Watcher w : watchers) {
                bySession.computeIfAbsent(sessionOf(w), s -> new TreeSet<>()).add(shown(path));
            }
        });
        return bySession;
    }

    /** Per path (in name order), the sessions watching it. */
    public static Map<String, List<Long>> byPath(DataTree tree) {
        Map<String, List<Long>> byPath = new LinkedHashMap<>();
        tree.watches().watchesByPath(false).forEach((path, watchers) -> {
            List<Long> sessions = new ArrayList<>();
            for (Watcher w : watchers) {
                sessions.add(sessionOf(w));
            }
            byPath.put(shown(path), sessions);
        });
        return byPath;
    }

    /** A watch on a null path (ZooKeeper takes addWatch with one) is listed as ZooKeeper's wchp prints it. */
    private static String shown(String path) {
        return path == null ? "null" : path;
    }

    private static long sessionOf(Watcher w) {
        return w instanceof Connection c ? c.sessionId() : 0;
    }
}
