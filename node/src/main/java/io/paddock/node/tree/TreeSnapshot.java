package io.paddock.node.tree;

import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.MalformedRecordException;
import java.util.List;
import java.util.Map;

/**
 * A DataTree image for the snapshot store and a leader's SNAP: the last applied zxid, the session
 * secret, the live sessions, and every node (parents first) with its data, ACL and raw stat.
 * Written by the applier between txns, so the image is exactly the tree at {@code lastProcessedZxid}.
 */
public final class TreeSnapshot {
    private static final int MAGIC = 0x50444b32; // "PDK2"
    /** Images from before the session secret: the same without it. A node upgraded on such data still starts. */
    private static final int MAGIC_WITHOUT_SECRET = 0x50444b31; // "PDK1"

    private TreeSnapshot() {
    }

    /** Serializes the tree; the caller is the applier, so nothing changes meanwhile. */
    public static byte[] write(DataTree tree) {
        JuteOutput out = new JuteOutput(64 + (int) Math.min(Integer.MAX_VALUE / 2, tree.approximateDataSize() * 2));
        out.writeInt(MAGIC).writeLong(tree.lastProcessedZxid()).writeBuffer(tree.sessionSecret());
        Map<Long, Integer> sessions = tree.sessions();
        out.writeInt(sessions.size());
        for (Map.Entry<Long, Integer> e : sessions.entrySet()) {
            out.writeLong(e.getKey()).writeInt(e.getValue());
        }
        List<String> paths = tree.pathsDepthFirst();
        out.writeInt(paths.size());
        for (String path : paths) {
            DataNode n = tree.getNode(path);
            out.writeString(path).writeBuffer(n.data);
            Acl.writeList(out, n.acl);
            out.writeLong(n.czxid).writeLong(n.mzxid).writeLong(n.ctime).writeLong(n.mtime)
                .writeInt(n.version).writeInt(n.cversion).writeInt(n.aversion)
                .writeLong(n.ephemeralOwner).writeLong(n.pzxid);
        }
        return out.toByteArray();
    }

    /** Rebuilds a tree from an image, with {@code watches} as its (empty) watch manager. */
    public static DataTree read(byte[] image, WatchManager watches) {
        JuteInput in = new JuteInput(image);
        int magic = in.readInt();
        if (magic != MAGIC && magic != MAGIC_WITHOUT_SECRET) {
            throw new MalformedRecordException("not a Paddock tree snapshot (bad magic)");
        }
        DataTree tree = new DataTree(watches);
        tree.restoreLastProcessedZxid(in.readLong());
        if (magic == MAGIC) {
            tree.restoreSessionSecret(in.readBuffer());
        }
        int sessions = in.readInt();
        for (int i = 0; i < sessions; i++) {
            tree.restoreSession(in.readLong(), in.readInt());
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String path = in.readString();
            byte[] data = in.readBuffer();
            List<Acl> acl = Acl.readList(in);
            DataNode n = new DataNode(data, acl, in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readLong());
            tree.restoreNode(path, n);
        }
        return tree;
    }
}
