package io.paddock.node.logging;

import java.nio.file.Path;
import java.util.List;

/**
 * Where conf/logback.xml writes {@code paddock.log}: the directory in the system property
 * {@code paddock.log.dir}, else in the environment variable {@code PADDOCK_LOG_DIR}, else
 * {@code logs} in the node's dataDir. Not in dataLogDir: that directory exists to give the
 * transaction log a device of its own, whose fsyncs a busy log file would slow down. Several
 * nodes in one process (bin/paddock ensemble) share one file, in {@code logs} beside their
 * dataDirs (in their closest common directory; {@code data/ensemble/logs} for conf/ensemble).
 */
public final class LogDirectory {
    public static final String PROPERTY = "paddock.log.dir";
    public static final String ENVIRONMENT = "PADDOCK_LOG_DIR";

    private LogDirectory() {
    }

    /**
     * Sets {@code paddock.log.dir} for the nodes with these data directories, unless it is set
     * already. Call before anything logs: logback reads the property when it starts.
     */
    public static void set(List<Path> dataDirs) {
        System.setProperty(PROPERTY, of(dataDirs).toString());
    }

    /** The directory for the nodes with these data directories, from this process's property and environment. */
    public static Path of(List<Path> dataDirs) {
        return choose(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT), dataDirs);
    }

    static Path choose(String property, String environment, List<Path> dataDirs) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment);
        }
        return commonDirectory(dataDirs).resolve("logs");
    }

    /** The one directory, or the deepest directory above all of them (the first one when only the root is). */
    static Path commonDirectory(List<Path> dirs) {
        Path first = dirs.get(0).toAbsolutePath().normalize();
        Path common = first;
        for (Path dir : dirs) {
            Path d = dir.toAbsolutePath().normalize();
            while (!d.startsWith(common)) {
                common = common.getParent();
            }
        }
        return common.getParent() == null ? first : common;
    }
}
