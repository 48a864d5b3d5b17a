package io.paddock.tests.support;

import io.paddock.node.server.PaddockServer;
import io.paddock.node.tree.DataNode;
import io.paddock.node.tree.DataTree;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.data.Acl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.apache.zookeeper.data.Stat;

/**
 * One in-JVM replica's whole state as its server holds it: every znode's path, data, Stat and
 * ACL, the live sessions, the session secret (in hex; "none" before it is applied), and the zxid it
 * was read at, read under the tree's read lock (so it is
 * the tree between two txns). {@link #awaitIdentical} is how every ensemble test ends: all running
 * replicas the same, read directly from their trees rather than through a client.
 */
public record ReplicaDigest(long zxid, SortedMap<String, TreeDump.Node> nodes, Map<String, List<Acl>> acls,
                            SortedMap<Long, Integer> sessions, String sessionSecret) {

    /** Reads one server's tree. */
    public static ReplicaDigest of(PaddockServer server) {
        DataTree tree = server.context().tree();
        SortedMap<String, TreeDump.Node> nodes = new TreeMap<>();
        Map<String, List<Acl>> acls = new TreeMap<>();
        SortedMap<Long, Integer> sessions;
        byte[] secret;
        long zxid;
        Lock lock = tree.readLock();
        lock.lock();
        try {
            zxid = tree.lastProcessedZxid();
            for (String path : tree.pathsDepthFirst()) {
                DataNode n = tree.getNode(path);
                io.paddock.protocol.data.Stat s = n.stat();
                // each server writes its own /zookeeper/config when it starts (as ZooKeeper's do): its mtime is its own
                long mtime = path.equals(DataTree.CONFIG) ? 0 : s.mtime();
                nodes.put(path, new TreeDump.Node(n.data() == null ? new byte[0] : n.data().clone(),
                    new Stat(s.czxid(), s.mzxid(), s.ctime(), mtime, s.version(), s.cversion(), s.aversion(),
                        s.ephemeralOwner(), s.dataLength(), s.numChildren(), s.pzxid())));
                acls.put(path, List.copyOf(n.acl()));
            }
            sessions = new TreeMap<>(tree.sessions());
            secret = tree.sessionSecret();
        } finally {
            lock.unlock();
        }
        String secretHex = secret == null ? "none" : HexFormat.of().formatHex(secret);
        return new ReplicaDigest(zxid, nodes, acls, sessions, secretHex);
    }

    /**
     * Waits until every running node of {@code ensemble} serves and all hold the same state
     * (followers apply a commit after the client that wrote it got its answer, so they converge
     * a moment later), and returns that state. Fails with the differences if they do not.
     */
    public static ReplicaDigest awaitIdentical(InProcessEnsemble ensemble, Duration timeout) {
        AtomicReference<List<String>> differences = new AtomicReference<>(List.of("no node is running"));
        AtomicReference<ReplicaDigest> agreed = new AtomicReference<>();
        try {
            Await.until(timeout, "identical replicas", () -> {
                Map<Integer, ReplicaDigest> digests = new LinkedHashMap<>();
                List<String> found = new ArrayList<>();
                for (int id : ensemble.runningIds()) {
                    PaddockServer s = ensemble.node(id);
                    if (s != null) {
                        if (!s.context().serving()) {
                            found.add("server " + id + " does not serve (" + s.context().mode() + ")");
                        }
                        digests.put(id, of(s));
                    }
                }
                if (!digests.isEmpty()) {
                    found.addAll(differences(digests));
                    agreed.set(digests.values().iterator().next());
                }
                differences.set(found);
                return !digests.isEmpty() && found.isEmpty();
            });
        } catch (AssertionError e) {
            List<String> d = differences.get();
            throw new AssertionError("the replicas did not converge within " + timeout + " (" + d.size()
                + " differences):\n  " + String.join("\n  ", d.subList(0, Math.min(20, d.size()))), e);
        }
        return agreed.get();
    }

    /** What differs between the first digest and each other one; empty when all are identical. */
    static List<String> differences(Map<Integer, ReplicaDigest> digests) {
        List<String> out = new ArrayList<>();
        Map.Entry<Integer, ReplicaDigest> first = digests.entrySet().iterator().next();
        ReplicaDigest a = first.getValue();
        digests.forEach((id, b) -> {
            if (id.equals(first.getKey())) {
                return;
            }
            String pair = "server " + first.getKey() + " vs " + id + ": ";
            if (a.zxid != b.zxid) {
                out.add(pair + "last zxid " + Zxid.toHex(a.zxid) + " vs " + Zxid.toHex(b.zxid));
            }
            a.nodes.forEach((path, node) -> {
                TreeDump.Node other = b.nodes.get(path);
                if (!node.equals(other)) {
                    out.add(pair + path + ": " + node + " vs " + other);
                } else if (!Objects.equals(a.acls.get(path), b.acls.get(path))) {
                    out.add(pair + path + ": ACL " + a.acls.get(path) + " vs " + b.acls.get(path));
                }
            });
            b.nodes.keySet().stream().filter(p -> !a.nodes.containsKey(p)).forEach(p -> out.add(pair + p + ": only on " + id));
            if (!a.sessions.equals(b.sessions)) {
                out.add(pair + "sessions " + hex(a.sessions) + " vs " + hex(b.sessions));
            }
            if (!a.sessionSecret.equals(b.sessionSecret)) {
                out.add(pair + "session secret " + a.sessionSecret + " vs " + b.sessionSecret);
            }
        });
        return out;
    }

    private static String hex(Map<Long, Integer> sessions) {
        return sessions.keySet().stream().map(id -> "0x" + Long.toHexString(id)).toList().toString();
    }

    /**
     * Checks {@code load} against this state: every acknowledged write is present with the Stat
     * it was acknowledged with, every indeterminate one whole or not at all, and nothing else
     * happened in its subtree (see {@link WriteCheck}).
     */
    public List<String> verify(WriteLoad load) {
        List<String> problems = new ArrayList<>();
        load.verify(nodes, problems);
        return problems;
    }
}
