package io.paddock.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A config file read into flat, dotted keys and trimmed string values, before any validation.
 * Both formats end up here so that one validator serves both.
 *
 * @param file    the file, as the caller named it (used in error messages)
 * @param entries keys as written, sorted so that errors and warnings come in a stable order
 * @param hocon   true for a .conf file, which may also give {@code myid}
 */
record RawConfig(Path file, SortedMap<String, String> entries, boolean hocon) {
    RawConfig {
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }
}
