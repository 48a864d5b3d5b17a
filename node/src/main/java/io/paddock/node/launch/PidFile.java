package io.paddock.node.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The pid file {@code bin/paddock start} writes in the node's dataDir, as ZooKeeper writes
 * {@code zookeeper_server.pid} there. It holds the pid of the process {@code stop} signals:
 * the JVM, or bin/paddock's shell while it waits to install a class-data archive.
 */
public final class PidFile {
    /** The file's name; bin/paddock spells it too. */
    public static final String NAME = "paddock_server.pid";

    private PidFile() {
    }

    /** The pid in dataDir's pid file while that process lives; empty without a file or with a stale one. */
    static OptionalLong runningPid(Path dataDir) {
        try {
            long pid = Long.parseLong(Files.readString(dataDir.resolve(NAME), StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
