package io.paddock.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small helpers to write config files in tests. */
final class ConfigFiles {
    private ConfigFiles() {}

    static Path write(Path file, String... lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A data directory holding a myid file with {@code id}. */
    static Path dataDirWithMyid(Path dir, String id) {
        write(dir.resolve("myid"), id);
        return dir;
    }

    /** The same config with another source file, to compare configs loaded from two files. */
    static NodeConfig withSource(NodeConfig c, Path source) {
        return new NodeConfig(source, c.serverId(), c.tickTime(), c.initLimit(), c.syncLimit(), c.dataDir(),
                c.dataLogDir(), c.clientAddress(), c.maxClientCnxns(), c.minSessionTimeout(),
                c.maxSessionTimeout(), c.snapCount(), c.snapRetainCount(), c.purgeIntervalHours(),
                c.fourLetterWords(), c.maxBuffer(), c.globalOutstandingLimit(), c.extendedTypesEnabled(),
                c.containerCheckIntervalMs(), c.containerMaxPerMinute(), c.commitLogCount(), c.servers(),
                c.standaloneEnabled(), c.reconfigEnabled(),
                c.adminEnableServer(), c.adminServerAddress(), c.adminServerPort(), c.adminCommandUrl(), c.metricsProvider(), c.superDigest(), c.quorumListenOnAllIPs(), c.warnings());
    }
}
