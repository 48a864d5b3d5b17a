package io.paddock.zkimport;

import io.paddock.config.ConfigException;
import io.paddock.config.ConfigLoader;
import io.paddock.config.NodeConfig;
import io.paddock.node.logging.LogDirectory;
import io.paddock.node.server.StartupException;
import io.paddock.node.server.StoreImport;
import io.paddock.node.server.ZooKeeperData;
import io.paddock.node.tree.DataTree;
import io.paddock.node.tree.TreeBuilder;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.StatPersisted;
import org.apache.zookeeper.server.DataNode;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;

/**
 * {@code bin/paddock import-zookeeper CONFIG}: reads Apache ZooKeeper's data from the config's
 * dataDir and dataLogDir with ZooKeeper's own classes ({@link FileTxnSnapLog#restore}: the newest
 * snapshot that passes its checks, plus every txn logged after it, as a ZooKeeper server loads them
 * when it starts), and writes the tree (data, ACLs and full stat of every znode, /zookeeper/quota
 * included) and the open sessions into the node's empty store as one snapshot at ZooKeeper's last
 * zxid ({@link StoreImport}). ZooKeeper's files are left as they were.
 * Exit codes: 0 imported, 1 failed (nothing written), 2 bad usage or config.
 */
public final class ZooKeeperImport {
    private ZooKeeperImport() {
    }

    /** What an import wrote. */
    public record Summary(int znodes, int sessions, int ephemerals, long lastZxid) {
        @Override
        public String toString() {
            return "imported " + znodes + " znodes, " + sessions + " sessions (" + ephemerals + " ephemeral znodes), last zxid "
                + Zxid.toHex(lastZxid);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: paddock import-zookeeper CONFIG  (the zoo.cfg of a stopped ZooKeeper server; its data is"
                + " imported into the Paddock node that CONFIG describes; docs/migration.md)");
            return 2;
        }
        NodeConfig cfg;
        try {
            cfg = ConfigLoader.load(Path.of(args[0]));
        } catch (ConfigException e) {
            err.println("paddock: " + e.getMessage());
            return 2;
        }
        LogDirectory.set(List.of(cfg.dataDir()));
        try {
            Summary summary = importInto(cfg);
            out.println(cfg.sourceFile() + ": " + summary + "; start the node with: bin/paddock server " + cfg.sourceFile());
            return 0;
        } catch (StartupException | IOException e) {
            err.println("paddock: " + e.getMessage());
            return 1;
        }
    }

    /** Imports the ZooKeeper data found beside {@code cfg}'s node into its store. */
    public static Summary importInto(NodeConfig cfg) throws StartupException, IOException {
        Optional<Path> found = ZooKeeperData.foundIn(cfg);
        if (found.isEmpty()) {
            throw new StartupException(cfg.sourceFile() + ": no ZooKeeper snapshot or txn log in "
                + cfg.dataDir().resolve(ZooKeeperData.VERSION_DIR) + " or " + cfg.dataLogDir().resolve(ZooKeeperData.VERSION_DIR));
        }
        org.apache.zookeeper.server.DataTree zk = new org.apache.zookeeper.server.DataTree();
        Map<Long, Integer> sessions = new ConcurrentHashMap<>(); // ZooKeeper's restore casts it to that
        FileTxnSnapLog files = new FileTxnSnapLog(cfg.dataLogDir().toFile(), cfg.dataDir().toFile());
        try {
            // without a valid snapshot, restore would start an empty tree and save a snapshot.0 of it into
            // ZooKeeper's directory: refused first, so the import never writes there
            if (files.findMostRecentSnapshot() == null) {
                throw new StartupException(cfg.sourceFile() + ": no valid ZooKeeper snapshot in " + files.getSnapDir()
                    + " (a ZooKeeper server writes one when it first starts; these files are damaged or not ZooKeeper's)");
            }
            files.restore(zk, sessions, (hdr, txn, digest) -> {
            });
        } finally {
            files.close();
        }
        DataTree tree = convert(zk, sessions);
        StoreImport.write(cfg, tree);
        int ephemerals = sessions.keySet().stream().mapToInt(id -> tree.ephemeralsOf(id).size()).sum();
        return new Summary(tree.nodeCount(), sessions.size(), ephemerals, tree.lastProcessedZxid());
    }

    /** ZooKeeper's tree as Paddock's: every node, parents first, with the same stat; the sessions with their timeouts. */
    static DataTree convert(org.apache.zookeeper.server.DataTree zk, Map<Long, Integer> sessions) {
        TreeBuilder builder = new TreeBuilder();
        sessions.forEach(builder::session);
        Deque<String> paths = new ArrayDeque<>(List.of("/"));
        while (!paths.isEmpty()) {
            String path = paths.pop();
            DataNode node = zk.getNode(path);
            byte[] data;
            StatPersisted s;
            List<String> children;
            synchronized (node) {
                data = node.getData();
                s = node.stat;
                children = new ArrayList<>(node.getChildren());
            }
            builder.node(path, data, acl(zk.getACL(node)), s.getCzxid(), s.getMzxid(), s.getCtime(), s.getMtime(),
                s.getVersion(), s.getCversion(), s.getAversion(), s.getEphemeralOwner(), s.getPzxid());
            for (String child : children) {
                paths.push(path.equals("/") ? "/" + child : path + "/" + child);
            }
        }
        return builder.build(zk.lastProcessedZxid);
    }

    private static List<Acl> acl(List<ACL> acl) {
        List<Acl> out = new ArrayList<>(acl.size());
        for (ACL a : acl) {
            out.add(new Acl(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())));
        }
        return out;
    }
}
