package io.paddock.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads a node's configuration file into a validated {@link NodeConfig}.
 *
 * <p>The format follows the extension: {@code .cfg} is ZooKeeper's zoo.cfg (Java properties)
 * with the server id in {@code dataDir/myid}; {@code .conf} is HOCON with the same key names,
 * optionally wrapped in {@code paddock { }}, which may also give {@code myid = N} itself. Both
 * are validated by the same rules: see docs/config.md for the keys.
 *
 * <p>Relative paths ({@code dataDir}, {@code dataLogDir}, {@code dynamicConfigFile}) are
 * resolved as ZooKeeper resolves them: against the process's working directory, not the config
 * file's directory, so a zoo.cfg behaves the same under both servers.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * Reads and validates {@code file}.
     *
     * @throws ConfigException naming the file, the key and the problem, for the first problem found
     */
    public static NodeConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        Path name = file.getFileName();
        String fileName = name == null ? "" : name.toString();
        RawConfig raw;
        if (fileName.endsWith(".cfg")) {
            raw = ZooCfgFormat.read(file);
        } else if (fileName.endsWith(".conf")) {
            raw = HoconFormat.read(file);
        } else {
            throw new ConfigException(file,
                    "unknown file type; use .cfg (ZooKeeper's zoo.cfg format) or .conf (HOCON)");
        }
        return ConfigValidator.validate(raw);
    }
}
