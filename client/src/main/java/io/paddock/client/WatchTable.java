package io.paddock.client;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.proto.SetWatches2;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The watches a session has left on the server, kept so that each new connection can set them
 * again with SetWatches2. Watches live on the server per connection, so without this a
 * reconnect would silently lose them. One-shot watches leave the table when they fire;
 * persistent ones stay until removed.
 */
final class WatchTable {
    /** ZooKeeper's client splits setWatches into packets of at most this many bytes of paths. */
    static final int MAX_BATCH_BYTES = 128 * 1024;

    private final Set<String> data = new HashSet<>();
    private final Set<String> exist = new HashSet<>();
    private final Set<String> child = new HashSet<>();
    private final Set<String> persistent = new HashSet<>();
    private final Set<String> recursive = new HashSet<>();

    /** Notes the watch a request left on the server, which depends on how it ended. */
    void afterReply(ZkRequest<?> request, ErrorCode code) {
        if (request instanceof ZkRequest.GetData r && r.watch() && code == ErrorCode.OK) {
            data.add(r.path());
        } else if (request instanceof ZkRequest.Exists r && r.watch()) {
            if (code == ErrorCode.OK) {
                data.add(r.path());
            } else if (code == ErrorCode.NONODE) { // the server watches for the node's creation
                exist.add(r.path());
            }
        } else if (request instanceof ZkRequest.GetChildren r && r.watch() && code == ErrorCode.OK) {
            child.add(r.path());
        } else if (request instanceof ZkRequest.AddWatch r && code == ErrorCode.OK) {
            (r.mode() == AddWatchMode.PERSISTENT_RECURSIVE ? recursive : persistent).add(r.path());
        } else if (request instanceof ZkRequest.RemoveWatches r
            && (code == ErrorCode.OK || code == ErrorCode.NOWATCHER)) {
            removed(r.path(), r.type());
        }
    }

    /** Drops the one-shot watches that an event of this type consumed on the server. */
    void fired(EventType type, String path) {
        switch (type) {
            case NODE_CREATED, NODE_DATA_CHANGED -> {
                data.remove(path);
                exist.remove(path);
            }
            case NODE_DELETED -> {
                data.remove(path);
                exist.remove(path);
                child.remove(path);
            }
            case NODE_CHILDREN_CHANGED -> child.remove(path);
            default -> {
                // removal notices and state events consume no watch
            }
        }
    }

    private void removed(String path, WatcherType type) {
        switch (type) {
            case DATA -> {
                data.remove(path);
                exist.remove(path);
            }
            case CHILDREN -> child.remove(path);
            case PERSISTENT -> persistent.remove(path);
            case PERSISTENT_RECURSIVE -> recursive.remove(path);
            case ANY -> {
                data.remove(path);
                exist.remove(path);
                child.remove(path);
                persistent.remove(path);
                recursive.remove(path);
            }
        }
    }

    boolean isEmpty() {
        return data.isEmpty() && exist.isEmpty() && child.isEmpty() && persistent.isEmpty() && recursive.isEmpty();
    }

    /**
     * The SetWatches2 packets that set every watch again, each within {@link #MAX_BATCH_BYTES};
     * the table holds the client's paths, the packets the server's.
     */
    List<SetWatches2> setWatches(long relativeZxid, Chroot chroot) {
        List<Set<String>> kinds = List.of(data, exist, child, persistent, recursive);
        List<SetWatches2> packets = new ArrayList<>();
        List<List<String>> batch = emptyBatch();
        int bytes = 0;
        for (int kind = 0; kind < kinds.size(); kind++) {
            for (String clientPath : kinds.get(kind)) {
                String path = chroot.prefix(clientPath);
                int size = 4 + path.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > 0 && bytes + size > MAX_BATCH_BYTES) {
                    packets.add(packet(relativeZxid, batch));
                    batch = emptyBatch();
                    bytes = 0;
                }
                batch.get(kind).add(path);
                bytes += size;
            }
        }
        if (bytes > 0) {
            packets.add(packet(relativeZxid, batch));
        }
        return packets;
    }

    private static List<List<String>> emptyBatch() {
        return List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }

    private static SetWatches2 packet(long relativeZxid, List<List<String>> b) {
        return new SetWatches2(relativeZxid, b.get(0), b.get(1), b.get(2), b.get(3), b.get(4));
    }
}
