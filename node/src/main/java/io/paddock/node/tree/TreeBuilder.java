package io.paddock.node.tree;

import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.PathUtils;
import io.paddock.protocol.data.Acl;
import java.util.List;

/**
 * Builds a DataTree from another store's content (bin/paddock import-zookeeper): nodes with their
 * full stat, parents first, and the open sessions, as {@link TreeSnapshot#read} restores an image.
 * The built-in nodes (/, /zookeeper, /zookeeper/quota, /zookeeper/config) exist already; a node
 * given at one of those paths replaces its content. The session secret stays unset: the first
 * leader proposes one, as on a new ensemble.
 */
public final class TreeBuilder {
    private final DataTree tree = new DataTree(new WatchManager());

    public TreeBuilder session(long id, int timeout) {
        tree.restoreSession(id, timeout);
        return this;
    }

    /** Adds a node; its parent must have been added (or be built in). */
    public TreeBuilder node(String path, byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime,
                            int version, int cversion, int aversion, long ephemeralOwner, long pzxid) {
        if (!path.equals("/") && tree.getNode(PathUtils.normalize(PathUtils.parentOf(path))) == null) {
            throw new IllegalArgumentException("parent of " + path + " not added yet");
        }
        tree.restoreNode(path, new DataNode(data, acl, czxid, mzxid, ctime, mtime, version, cversion, aversion,
            ephemeralOwner, pzxid));
        return this;
    }

    /** The tree, as of the last txn it shows ({@code zxid}). */
    public DataTree build(long zxid) {
        tree.restoreLastProcessedZxid(zxid);
        return tree;
    }
}
