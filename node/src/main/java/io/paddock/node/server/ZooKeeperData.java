package io.paddock.node.server;

import io.paddock.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * ZooKeeper's files beside Paddock's. A ZooKeeper user who points Paddock at their zoo.cfg has
 * their data in {@code version-2} under dataDir (snapshots) and dataLogDir (txn logs); started
 * there with no data of its own, Paddock would serve an empty tree beside it. So a node refuses to
 * start until the data is imported ({@code bin/paddock import-zookeeper}, docs/migration.md) or moved aside.
 */
public final class ZooKeeperData {
    /** The directory ZooKeeper keeps its files in, under dataDir and dataLogDir. */
    public static final String VERSION_DIR = "version-2";

    private ZooKeeperData() {
    }

    /** The first of dataLogDir's and dataDir's {@code version-2} that holds a ZooKeeper snapshot or txn log. */
    public static Optional<Path> foundIn(NodeConfig cfg) {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(cfg.dataLogDir().resolve(VERSION_DIR));
        dirs.add(cfg.dataDir().resolve(VERSION_DIR));
        return dirs.stream().filter(ZooKeeperData::holdsZooKeeperFiles).findFirst();
    }

    /** Whether the node has a journal or snapshot of its own (any file in either directory). */
    public static boolean paddockDataIn(NodeConfig cfg) {
        return nonEmpty(cfg.dataLogDir().resolve("journal")) || nonEmpty(cfg.dataDir().resolve("snapshots"));
    }

    /** Why a node does not start on ZooKeeper's files in {@code dir}, and what to do. */
    static String refusal(NodeConfig cfg, Path dir) {
        return cfg.sourceFile() + ": " + dir + " holds Apache ZooKeeper's data, and this node has none of its own yet."
            + " Import it first (with every ZooKeeper server stopped): bin/paddock import-zookeeper " + cfg.sourceFile()
            + " (docs/migration.md). To start with an empty tree instead, move " + dir + " aside.";
    }

    private static boolean holdsZooKeeperFiles(Path dir) {
        return anyFile(dir, name -> name.startsWith("snapshot.") || name.startsWith("log."));
    }

    private static boolean nonEmpty(Path dir) {
        return anyFile(dir, name -> true);
    }

    private static boolean anyFile(Path dir, Predicate<String> name) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> name.test(f.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
