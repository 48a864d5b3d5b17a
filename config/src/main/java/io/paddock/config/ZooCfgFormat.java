package io.paddock.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads ZooKeeper's zoo.cfg format exactly as ZooKeeper does: {@link Properties} from an
 * ISO-8859-1 stream, keys and values trimmed. The last of two equal keys wins, as in ZooKeeper.
 */
final class ZooCfgFormat {
    private ZooCfgFormat() {}

    static RawConfig read(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "file does not exist");
        } catch (IOException e) {
            throw new ConfigException(file, null, "cannot be read: " + e, e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, null, "not in zoo.cfg (properties) format: " + e.getMessage(), e);
        }
        SortedMap<String, String> entries = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            String key = name.trim();
            if (key.isEmpty()) {
                throw new ConfigException(file, "a line has a value ('" + properties.getProperty(name)
                        + "') but no key");
            }
            entries.put(key, properties.getProperty(name).trim());
        }
        return new RawConfig(file, entries, false);
    }
}
