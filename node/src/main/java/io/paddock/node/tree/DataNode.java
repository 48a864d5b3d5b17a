package io.paddock.node.tree;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.txn.EphemeralType;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One znode: data as bytes, stat in primitive fields, children as a set of names created on
 * first use. Mutated only by the applier while it holds the tree's write lock.
 *
 * <p>Data is kept as the client sent it, null included: ZooKeeper hands a null back as null.
 *
 * <p>{@code cversion} counts child creations, as ZooKeeper stores it: it names the next
 * sequential child, and clients are shown {@code 2 * cversion - numChildren}, the number of
 * creations plus deletions.
 */
public final class DataNode {
    byte[] data;
    List<Acl> acl;
    final long czxid;
    final long ctime;
    final long ephemeralOwner;
    long mzxid;
    long mtime;
    long pzxid;
    int version;
    int cversion;
    int aversion;
    private Set<String> children;

    DataNode(byte[] data, List<Acl> acl, long czxid, long ctime, long ephemeralOwner) {
        this.data = data;
        this.acl = acl;
        this.czxid = czxid;
        this.mzxid = czxid;
        this.pzxid = czxid;
        this.ctime = ctime;
        this.mtime = ctime;
        this.ephemeralOwner = ephemeralOwner;
    }

    DataNode(byte[] data, List<Acl> acl, long czxid, long mzxid, long ctime, long mtime, int version, int cversion,
             int aversion, long ephemeralOwner, long pzxid) {
        this(data, acl, czxid, ctime, ephemeralOwner);
        this.mzxid = mzxid;
        this.mtime = mtime;
        this.version = version;
        this.cversion = cversion;
        this.aversion = aversion;
        this.pzxid = pzxid;
    }

    /** A copy of this node's content without its children, as a snapshot view keeps it. */
    DataNode withoutChildren() {
        return new DataNode(data, acl, czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, pzxid);
    }

    /** The data, or null when the client wrote none. */
    public byte[] data() {
        return data;
    }

    public int dataLength() {
        return data == null ? 0 : data.length;
    }

    public List<Acl> acl() {
        return acl;
    }

    public long ephemeralOwner() {
        return ephemeralOwner;
    }

    public int version() {
        return version;
    }

    public int cversion() {
        return cversion;
    }

    public int aversion() {
        return aversion;
    }

    public long mtime() {
        return mtime;
    }

    public long mzxid() {
        return mzxid;
    }

    public long pzxid() {
        return pzxid;
    }

    public long czxid() {
        return czxid;
    }

    public long ctime() {
        return ctime;
    }

    public int numChildren() {
        return children == null ? 0 : children.size();
    }

    /** Child names; a live view, so callers copy it before leaving the read lock. */
    public Set<String> children() {
        return children == null ? Collections.emptySet() : children;
    }

    void addChild(String name) {
        if (children == null) {
            children = new HashSet<>(4);
        }
        children.add(name);
    }

    void removeChild(String name) {
        if (children != null) {
            children.remove(name);
        }
    }

    /** The stat a client sees. */
    public Stat stat() {
        int n = numChildren();
        return new Stat(czxid, mzxid, ctime, mtime, version, cversion * 2 - n, aversion,
            EphemeralType.visibleOwner(ephemeralOwner), dataLength(), n, pzxid);
    }
}
