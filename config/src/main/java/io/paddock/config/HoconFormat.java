package io.paddock.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a HOCON file into the same flat keys as zoo.cfg. The tree is flattened with dots, so
 * {@code autopurge { snapRetainCount = 3 }}, {@code autopurge.snapRetainCount = 3} and
 * {@code "autopurge.snapRetainCount" = 3} are one key; giving it in two of these ways is an
 * error rather than a silent merge. Substitutions ({@code ${?ENV}}) are resolved.
 *
 * <p>An optional top-level {@code paddock { ... }} holds the settings; beside it only a
 * {@code pekko { ... }} block may appear (left for Pekko, not checked here), so one file can
 * configure both.
 */
final class HoconFormat {
    private static final String WRAPPER = "paddock";
    private static final String PEKKO = "pekko";

    private HoconFormat() {}

    static RawConfig read(Path file) {
        if (!Files.exists(file)) {
            throw new ConfigException(file, "file does not exist");
        }
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false))
                    .resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(file, null, describe(e), e);
        }
        ConfigObject root = config.root();
        ConfigValue wrapper = root.get(WRAPPER);
        if (wrapper != null && wrapper.valueType() == ConfigValueType.OBJECT) {
            for (String top : root.keySet()) {
                if (!top.equals(WRAPPER) && !top.equals(PEKKO)) {
                    throw new ConfigException(file, top,
                            "outside paddock { }; with the wrapper, only a pekko { } block may sit beside it");
                }
            }
            root = (ConfigObject) wrapper;
        }
        SortedMap<String, String> entries = new TreeMap<>();
        flatten(file, "", root, entries);
        return new RawConfig(file, entries, true);
    }

    private static void flatten(Path file, String prefix, ConfigObject object, SortedMap<String, String> out) {
        for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(object).entrySet()) {
            String key = prefix + entry.getKey();
            ConfigValue value = entry.getValue();
            switch (value.valueType()) {
                case OBJECT -> flatten(file, key + ".", (ConfigObject) value, out);
                case LIST -> put(file, key, joinList(file, key, (ConfigList) value), out);
                case NULL -> throw new ConfigException(file, key, "is null; give a value or leave the key out");
                default -> put(file, key, String.valueOf(value.unwrapped()).trim(), out);
            }
        }
    }

    /** A list of scalars is taken as zoo.cfg's comma-separated form (4lw.commands.whitelist). */
    private static String joinList(Path file, String key, ConfigList list) {
        List<String> items = new ArrayList<>();
        for (ConfigValue item : list) {
            if (item.valueType() == ConfigValueType.OBJECT || item.valueType() == ConfigValueType.LIST
                    || item.valueType() == ConfigValueType.NULL) {
                throw new ConfigException(file, key, "a list may only hold plain values");
            }
            items.add(String.valueOf(item.unwrapped()).trim());
        }
        return String.join(",", items);
    }

    private static void put(Path file, String key, String value, SortedMap<String, String> out) {
        if (out.putIfAbsent(key, value) != null) {
            throw new ConfigException(file, key, "given twice (once as a quoted dotted key, once nested)");
        }
    }

    /** Typesafe's message without its own origin prefix, led by the line number. */
    private static String describe(com.typesafe.config.ConfigException e) {
        String message = e.getMessage();
        ConfigOrigin origin = e.origin();
        if (origin == null) {
            return message;
        }
        String prefix = origin.description() + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        if (e instanceof com.typesafe.config.ConfigException.IO) {
            return "cannot be read: " + message;
        }
        return origin.lineNumber() > 0 ? "line " + origin.lineNumber() + ": " + message : message;
    }
}
