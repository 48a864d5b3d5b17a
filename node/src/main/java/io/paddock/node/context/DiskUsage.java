package io.paddock.node.context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** How much a node's data takes on disk, as ZooKeeper's dirs, conf and mntr report it. */
public final class DiskUsage {
    private DiskUsage() {
    }

    /** Bytes in the regular files under {@code dir}; 0 when it does not exist. */
    public static long bytesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(DiskUsage::fileSize).sum();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static long fileSize(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isRegularFile() ? a.size() : 0;
        } catch (IOException e) {
            return 0; // deleted while we walked (a purged segment, a replaced snapshot)
        }
    }
}
