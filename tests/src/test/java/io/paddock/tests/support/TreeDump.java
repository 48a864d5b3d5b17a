package io.paddock.tests.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * Every znode under a root, read through the official client: path → data and full Stat.
 * Reads are issued asynchronously one tree level at a time, so thousands of nodes take well
 * under a second. Two dumps compare with {@code equals}.
 */
public final class TreeDump {
    /** One znode as a client sees it. */
    public record Node(byte[] data, Stat stat) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && Arrays.equals(data, n.data) && stat.equals(n.stat);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data) * 31 + stat.hashCode();
        }

        @Override
        public String toString() {
            return "Node[data=" + new String(data == null ? new byte[0] : data) + ", stat=" + stat.toString().trim()
                .replace('\n', ' ') + "]";
        }
    }

    private static final String CONFIG = "/zookeeper/config";

    private TreeDump() {
    }

    /** Reads {@code root} and everything below it. */
    public static SortedMap<String, Node> of(ZooKeeper zk, String root) throws InterruptedException {
        SortedMap<String, Node> out = new TreeMap<>();
        List<String> level = List.of(root);
        while (!level.isEmpty()) {
            Map<String, Node> nodes = new ConcurrentHashMap<>();
            Map<String, List<String>> children = new ConcurrentHashMap<>();
            Map<String, Integer> errors = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(level.size() * 2);
            for (String path : level) {
                zk.getData(path, false, (rc, p, ctx, data, stat) -> {
                    if (rc == KeeperException.Code.OK.intValue()) {
                        if (p.equals(CONFIG)) {
                            // each server writes its own /zookeeper/config when it starts (as ZooKeeper's do): its
                            // mtime is that server's start, not replicated state
                            stat.setMtime(0);
                        }
                        nodes.put(p, new Node(data == null ? new byte[0] : data, stat));
                    } else if (rc != KeeperException.Code.NONODE.intValue()) {
                        errors.put(p, rc);
                    }
                    done.countDown();
                }, null);
                zk.getChildren(path, false, (rc, p, ctx, names) -> {
                    if (rc == KeeperException.Code.OK.intValue()) {
                        children.put(p, names);
                    } else if (rc != KeeperException.Code.NONODE.intValue()) {
                        errors.put(p, rc);
                    }
                    done.countDown();
                }, null);
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("reading " + level.size() + " znodes took over 60 s");
            }
            if (!errors.isEmpty()) {
                throw new AssertionError("reads failed: " + errors);
            }
            out.putAll(nodes);
            List<String> next = new ArrayList<>();
            children.forEach((parent, names) -> {
                if (nodes.containsKey(parent)) {
                    for (String name : names) {
                        next.add(parent.equals("/") ? "/" + name : parent + "/" + name);
                    }
                }
            });
            level = next;
        }
        return out;
    }

    /** The paths of {@code dump} at or below {@code root}. */
    public static SortedMap<String, Node> subtree(SortedMap<String, Node> dump, String root) {
        SortedMap<String, Node> out = new TreeMap<>();
        dump.forEach((path, node) -> {
            if (path.equals(root) || path.startsWith(root + "/")) {
                out.put(path, node);
            }
        });
        return out;
    }
}
