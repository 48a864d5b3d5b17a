package io.paddock.node.tree;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.ByteParts;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.MalformedRecordException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;

/**
 * A DataTree image for the snapshot store and a leader's SNAP: the last applied zxid, the session
 * secret, the live sessions, and every node (parents first) with its data, ACL and raw stat.
 * The image is exactly the tree at one zxid: it is read from a {@link DataTree.View} opened
 * between two txns, so a snapshot can be written while the applier goes on.
 */
public final class TreeSnapshot {
    private static final int MAGIC = 0x50444b32; // "PDK2"
    /** Images from before the session secret: the same without it. A node upgraded on such data still starts. */
    private static final int MAGIC_WITHOUT_SECRET = 0x50444b31; // "PDK1"

    private TreeSnapshot() {
    }

    /** Nodes written per hold of the read lock: the applier waits for at most one such chunk. */
    private static final int NODES_PER_LOCK = 1000;

    /** Serializes the tree as it is now; writes may go on meanwhile. */
    public static byte[] write(DataTree tree) {
        return begin(tree).write();
    }

    /**
     * Opens a view of the tree as it is now (holding the write lock for the copy of its paths) and
     * returns what writes it, on any thread, while the applier goes on.
     */
    public static Pending begin(DataTree tree) {
        Lock lock = tree.writeLock();
        lock.lock();
        try {
            return new Pending(tree, tree.openView());
        } finally {
            lock.unlock();
        }
    }

    /** An image of the tree at {@link #zxid()}, to be written once by {@link #write()}. */
    public static final class Pending {
        private final DataTree tree;
        private final DataTree.View view;

        private Pending(DataTree tree, DataTree.View view) {
            this.tree = tree;
            this.view = view;
        }

        /** The zxid of the last txn the image shows. */
        public long zxid() {
            return view.zxid();
        }

        public int nodeCount() {
            return view.paths().length;
        }

        /**
         * Serializes the view, parents first (a parent's path sorts before its children's), under
         * the read lock one chunk at a time, then closes the view. The image comes in parts of
         * {@link #PART_BYTES} (the last one shorter), never as one array: allocating a fresh array of
         * hundreds of MB, and faulting in its pages, holds off every safepoint, so every thread of
         * the JVM waits for it (measured: 0.5-1.1 s for a 205 MB image under load, the longest
         * write stall). A part fills one G1 region, so young collections never copy it.
         */
        public List<byte[]> writeParts() {
            return writeParts(PART_BYTES);
        }

        /** As {@link #writeParts()}, on {@code executor}: a large tree takes seconds, which no writer waits for. */
        public CompletableFuture<List<byte[]>> writePartsOn(Executor executor) {
            return CompletableFuture.supplyAsync(this::writeParts, executor);
        }

        /** As {@link #writeParts()}, in parts of {@code partBytes}. */
        List<byte[]> writeParts(int partBytes) {
            try {
                String[] paths = view.paths();
                Arrays.sort(paths);
                ByteParts parts = new ByteParts(partBytes);
                JuteOutput out = new JuteOutput(64 << 10);
                out.writeInt(MAGIC).writeLong(view.zxid()).writeBuffer(view.sessionSecret());
                out.writeInt(view.sessions().size());
                for (Map.Entry<Long, Integer> e : view.sessions().entrySet()) {
                    out.writeLong(e.getKey()).writeInt(e.getValue());
                }
                out.writeInt(paths.length);
                moveInto(parts, out);
                Lock lock = tree.readLock();
                for (int from = 0; from < paths.length; from += NODES_PER_LOCK) {
                    lock.lock();
                    try {
                        for (int i = from; i < Math.min(paths.length, from + NODES_PER_LOCK); i++) {
                            writeNode(out, paths[i], view.node(paths[i]));
                        }
                    } finally {
                        lock.unlock();
                    }
                    moveInto(parts, out);
                }
                return parts.done();
            } finally {
                Lock lock = tree.writeLock();
                lock.lock();
                try {
                    view.close();
                } finally {
                    lock.unlock();
                }
            }
        }

        /** The image in one array, for a SNAP to a learner and for tests. */
        public byte[] write() {
            return ByteParts.join(writeParts());
        }
    }

    /**
     * The size of an image's parts: one G1 region less an array's header, so that each is a
     * humongous object in a region of its own (a young collection never copies it; copying 200 MB
     * of smaller parts cost a 537 ms pause); 1 MiB when the JVM does not say.
     */
    public static final int PART_BYTES = partBytes();

    private static int partBytes() {
        try {
            long region = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("G1HeapRegionSize").getValue());
            if (region >= 1 << 20 && region <= 1 << 30) {
                return (int) region - 64;
            }
        } catch (RuntimeException e) {
            // not HotSpot, or no such option: the default below
        }
        return 1 << 20;
    }

    /** Moves what {@code out} holds into {@code parts}, and empties it for the next chunk. */
    private static void moveInto(ByteParts parts, JuteOutput out) {
        parts.add(out.array(), 0, out.size());
        out.reset();
    }

    private static void writeNode(JuteOutput out, String path, DataNode n) {
        out.writeString(path).writeBuffer(n.data);
        Acl.writeList(out, n.acl);
        out.writeLong(n.czxid).writeLong(n.mzxid).writeLong(n.ctime).writeLong(n.mtime)
            .writeInt(n.version).writeInt(n.cversion).writeInt(n.aversion)
            .writeLong(n.ephemeralOwner).writeLong(n.pzxid);
    }

    /** Rebuilds a tree from an image, with {@code watches} as its (empty) watch manager. */
    public static DataTree read(byte[] image, WatchManager watches) {
        return read(new JuteInput(image), watches);
    }

    /** Reads an image in parts (a leader's SNAP as it came), never joined into one array. */
    public static DataTree read(List<byte[]> image, WatchManager watches) {
        return read(new JuteInput(image), watches);
    }

    private static DataTree read(JuteInput in, WatchManager watches) {
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
