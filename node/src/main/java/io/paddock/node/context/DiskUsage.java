package io.paddock.node.context;

import io.paddock.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/** How much a node's data takes on disk, as ZooKeeper's dirs, conf and mntr report it, and how recent it is. */
public final class DiskUsage {
    private DiskUsage() {
    }

    /**
     * ZooKeeper's data dir size: its snapshots, and its txn logs too when they share the directory
     * (no dataLogDir). Paddock's snapshot store and journal, that is, not the other files a
     * dataDir holds (myid, the lock, a log directory).
     */
    public static long dataDirBytes(NodeConfig cfg) {
        return storesUnder(cfg.dataDir(), cfg);
    }

    /** ZooKeeper's log dir size: the journal, and the snapshots too when they share the directory. */
    public static long dataLogDirBytes(NodeConfig cfg) {
        return storesUnder(cfg.dataLogDir(), cfg);
    }

    /** The bytes of the journal. */
    public static long journalBytes(NodeConfig cfg) {
        return bytesUnder(journal(cfg));
    }

    private static Path journal(NodeConfig cfg) {
        return cfg.dataLogDir().resolve("journal");
    }

    private static long storesUnder(Path dir, NodeConfig cfg) {
        long n = 0;
        for (Path store : new Path[] {cfg.dataDir().resolve("snapshots"), journal(cfg)}) {
            if (store.getParent().equals(dir)) {
                n += bytesUnder(store);
            }
        }
        return n;
    }

    /** Bytes in the regular files under {@code dir}; 0 when it does not exist. */
    static long bytesUnder(Path dir) {
        return LongStream.of(ofFiles(dir, BasicFileAttributes::size)).sum();
    }

    /** When the newest regular file under {@code dir} was last modified (wall clock ms); -1 when there is none. */
    public static long newestModified(Path dir) {
        return LongStream.of(ofFiles(dir, a -> a.lastModifiedTime().toMillis())).max().orElse(-1);
    }

    /** {@code value} of each regular file under {@code dir}; none when it does not exist or cannot be read. */
    private static long[] ofFiles(Path dir, ToLongFunction<BasicFileAttributes> value) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(DiskUsage::attributes).filter(a -> a != null && a.isRegularFile()).mapToLong(value).toArray();
        } catch (IOException | UncheckedIOException e) {
            return new long[0];
        }
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null; // deleted while we walked (a purged segment, a replaced snapshot)
        }
    }
}
