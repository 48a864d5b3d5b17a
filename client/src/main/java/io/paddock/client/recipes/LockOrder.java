package io.paddock.client.recipes;

import java.util.Comparator;
import java.util.List;

/**
 * The order of a lock's queue and who waits on whom, as Curator's lock drivers decide it, so a
 * Paddock lock and a Curator lock on the same path share one queue. Children are ordered by
 * what follows the lock name (the sequence suffix); a child without it sorts by its whole name.
 */
enum LockOrder {
    /** Granted to the first in the queue; each other waits on its predecessor only (no herd). */
    EXCLUSIVE {
        @Override
        String waitFor(List<String> sorted, String ours) {
            int index = indexOf(sorted, ours);
            return index == 0 ? null : sorted.get(index - 1);
        }
    },
    /** Curator's read lock: granted unless a writer is ahead; then it waits on the first writer. */
    SHARED {
        @Override
        String waitFor(List<String> sorted, String ours) {
            int index = indexOf(sorted, ours);
            return sorted.subList(0, index).stream().filter(name -> name.contains(WRITE_NAME)).findFirst().orElse(null);
        }
    };

    /** Curator's lock names: the mutex's, and the read-write lock's two. */
    static final String MUTEX_NAME = "lock-";
    static final String READ_NAME = "__READ__";
    static final String WRITE_NAME = "__WRIT__";

    /** The child {@code ours} must wait on, or null when it holds the lock. {@code sorted} by {@link #sort}. */
    abstract String waitFor(List<String> sorted, String ours);

    /** {@code children} in queue order: by the part after the last of {@code lockNames} found in each. */
    static List<String> sort(List<String> children, List<String> lockNames) {
        return children.stream().sorted(Comparator.comparing((String child) -> sortKey(child, lockNames))).toList();
    }

    static String sortKey(String child, List<String> lockNames) {
        String key = child;
        for (String lockName : lockNames) {
            int at = key.lastIndexOf(lockName);
            if (at >= 0) {
                key = key.substring(at + lockName.length());
            }
        }
        return key;
    }

    private static int indexOf(List<String> sorted, String ours) {
        int index = sorted.indexOf(ours);
        if (index < 0) {
            // our node is gone: the session that owned it ended, or someone deleted it
            throw new IllegalStateException("lock node " + ours + " is no longer in the queue");
        }
        return index;
    }
}
