package io.paddock.node.request;

import io.paddock.node.tree.DataNode;
import io.paddock.protocol.data.Acl;
import java.util.List;

/**
 * What request preparation knows of a node: the applied tree's view, or the view after
 * prepared-but-not-yet-applied txns (ZooKeeper's ChangeRecord). {@code exists == false} marks
 * a pending delete.
 */
record NodeRecord(long zxid, boolean exists, int version, int cversion, int aversion, long ephemeralOwner,
                  int childCount, long mtime, List<Acl> acl) {

    static NodeRecord of(DataNode n) {
        return new NodeRecord(n.mzxid(), true, n.version(), n.cversion(), n.aversion(), n.ephemeralOwner(),
            n.numChildren(), n.mtime(), n.acl());
    }

    static NodeRecord deleted(long zxid) {
        return new NodeRecord(zxid, false, 0, 0, 0, 0, 0, 0, null);
    }

    NodeRecord withChildAdded(long zxid, int newCversion) {
        return new NodeRecord(zxid, true, version, newCversion, aversion, ephemeralOwner, childCount + 1, mtime, acl);
    }

    NodeRecord withChildRemoved(long zxid) {
        return new NodeRecord(zxid, true, version, cversion, aversion, ephemeralOwner, childCount - 1, mtime, acl);
    }

    NodeRecord withVersion(long zxid, int newVersion, long newMtime) {
        return new NodeRecord(zxid, true, newVersion, cversion, aversion, ephemeralOwner, childCount, newMtime, acl);
    }

    NodeRecord withAcl(long zxid, int newAversion, List<Acl> newAcl) {
        return new NodeRecord(zxid, true, version, cversion, newAversion, ephemeralOwner, childCount, mtime, newAcl);
    }
}
