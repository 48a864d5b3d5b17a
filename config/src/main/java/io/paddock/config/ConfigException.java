package io.paddock.config;

import java.nio.file.Path;

/**
 * A problem in a node's configuration. The message always has the form
 * {@code <file>: <key>: <problem>}, or {@code <file>: <problem>} when the problem is with the
 * file itself, so an operator can go straight to the line to fix.
 *
 * <p>Unchecked because a node cannot do anything useful with a bad configuration except report
 * it and stop.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;
    private final String problem;

    /** A problem with one key of {@code file}; {@code key} is the key as the user wrote it. */
    public ConfigException(Path file, String key, String problem) {
        this(file, key, problem, null);
    }

    /** A problem with the file as a whole (missing, unreadable, syntax). */
    public ConfigException(Path file, String problem) {
        this(file, null, problem, null);
    }

    ConfigException(Path file, String key, String problem, Throwable cause) {
        super(format(file, key, problem), cause);
        this.file = file;
        this.key = key;
        this.problem = problem;
    }

    private static String format(Path file, String key, String problem) {
        return key == null ? file + ": " + problem : file + ": " + key + ": " + problem;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }

    /** The key the problem is about, as written in the file; null for a file-level problem. */
    public String key() {
        return key;
    }

    /** The problem alone, without file and key. */
    public String problem() {
        return problem;
    }
}
