package io.paddock.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The honoured keys of one file, by canonical name, with typed getters whose errors name the key
 * as the user wrote it. Values that ZooKeeper would silently adjust are adjusted here too, with
 * a warning.
 */
final class Settings {
    /** A key as written and its trimmed value. */
    record Setting(String key, String value) {}

    private final Path file;
    private final List<String> warnings;
    private final Map<String, Setting> byCanonical = new HashMap<>();

    Settings(Path file, List<String> warnings) {
        this.file = file;
        this.warnings = warnings;
    }

    /** Records a key; a second spelling of the same setting is an error. */
    void put(String canonical, String key, String value) {
        Setting previous = byCanonical.putIfAbsent(canonical, new Setting(key, value));
        if (previous != null) {
            throw new ConfigException(file, key, "sets the same thing as " + previous.key() + "; give it once");
        }
    }

    boolean has(String canonical) {
        return byCanonical.containsKey(canonical);
    }

    /** The setting, or null when absent. */
    Setting get(String canonical) {
        return byCanonical.get(canonical);
    }

    /** The key as the user wrote it, or the canonical name when absent (for messages). */
    String keyOf(String canonical) {
        Setting setting = byCanonical.get(canonical);
        return setting == null ? canonical : setting.key();
    }

    String string(String canonical, String defaultValue) {
        Setting setting = byCanonical.get(canonical);
        if (setting == null) {
            return defaultValue;
        }
        if (setting.value().isEmpty()) {
            throw error(setting, "has no value");
        }
        return setting.value();
    }

    int integer(String canonical, int defaultValue, int min, int max) {
        Setting setting = byCanonical.get(canonical);
        return setting == null ? defaultValue : (int) inRange(setting, parseLong(setting), min, max);
    }

    long longValue(String canonical, long defaultValue, long min, long max) {
        Setting setting = byCanonical.get(canonical);
        return setting == null ? defaultValue : inRange(setting, parseLong(setting), min, max);
    }

    /** Like ZooKeeper, jute.maxbuffer also takes hex (0xfffff) and octal. */
    int decodedInteger(String canonical, int defaultValue, int min) {
        Setting setting = byCanonical.get(canonical);
        if (setting == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.decode(setting.value());
        } catch (NumberFormatException e) {
            throw error(setting, "'" + setting.value() + "' is not a number");
        }
        return (int) inRange(setting, value, min, Integer.MAX_VALUE);
    }

    /** A value below {@code minimum} becomes the minimum, with a warning, as ZooKeeper does. */
    int atLeast(String canonical, int defaultValue, int minimum) {
        Setting setting = byCanonical.get(canonical);
        if (setting == null) {
            return defaultValue;
        }
        int value = (int) inRange(setting, parseLong(setting), Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (value < minimum) {
            warnings.add(setting.key() + ": " + value + " is below the minimum of " + minimum + "; using "
                    + minimum);
            return minimum;
        }
        return value;
    }

    boolean bool(String canonical, boolean defaultValue) {
        Setting setting = byCanonical.get(canonical);
        if (setting == null) {
            return defaultValue;
        }
        return switch (setting.value().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(setting, "'" + setting.value() + "' is neither true nor false");
        };
    }

    /**
     * A directory path, made absolute against the working directory as ZooKeeper resolves it. A
     * missing directory is fine (the node creates it); something else in its place is not.
     */
    Path directory(String canonical) {
        Path path = path(canonical);
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw error(get(canonical), path + " exists but is not a directory");
        }
        return path;
    }

    /** A path, made absolute against the working directory. */
    Path path(String canonical) {
        Setting setting = byCanonical.get(canonical);
        if (setting.value().isEmpty()) {
            throw error(setting, "has no value");
        }
        try {
            return Path.of(setting.value()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw error(setting, "'" + setting.value() + "' is not a valid path: " + e.getReason());
        }
    }

    ConfigException error(Setting setting, String problem) {
        return new ConfigException(file, setting.key(), problem);
    }

    private long parseLong(Setting setting) {
        String value = setting.value();
        if (value.isEmpty()) {
            throw error(setting, "has no value");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            String problem = value.matches("[+-]?\\d+")
                    ? value + " is out of range"
                    : "'" + value + "' is not a whole number";
            throw error(setting, problem);
        }
    }

    private long inRange(Setting setting, long value, long min, long max) {
        if (value >= min && value <= max) {
            return value;
        }
        String allowed = max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                ? "at least " + min
                : "between " + min + " and " + max;
        throw error(setting, value + " is out of range; it must be " + allowed);
    }
}
