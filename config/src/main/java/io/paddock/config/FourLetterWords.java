package io.paddock.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** The four letter words ZooKeeper 3.9 knows, and the parsing of 4lw.commands.whitelist. */
public final class FourLetterWords {

    /** Every word ZooKeeper 3.9 answers; {@code *} in the whitelist means all of these. */
    public static final Set<String> ALL = Set.of(
            "conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "hash", "isro",
            "mntr", "ruok", "srst", "srvr", "stat", "stmk", "wchc", "wchp", "wchs");

    /**
     * Paddock's default when the key is absent. Wider than ZooKeeper's (srvr only) on purpose:
     * these five are read-only health checks that monitoring and load balancers expect.
     */
    public static final Set<String> DEFAULT = Set.of("ruok", "srvr", "stat", "mntr", "isro");

    /** zkServer.sh status depends on srvr, so ZooKeeper always enables it; so does Paddock. */
    static final String ALWAYS = "srvr";

    private FourLetterWords() {}

    /** A parsed whitelist and the words in it that are not four letter words. */
    record Parsed(SortedSet<String> words, List<String> unknown) {}

    /** Parses a comma-separated whitelist; {@code *} means all, unknown words are reported. */
    static Parsed parse(String whitelist) {
        SortedSet<String> words = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String raw : whitelist.split(",")) {
            String word = raw.trim().toLowerCase(Locale.ROOT);
            if (word.isEmpty()) {
                continue;
            }
            if (word.equals("*")) {
                words.addAll(ALL);
            } else if (ALL.contains(word)) {
                words.add(word);
            } else {
                unknown.add(raw.trim());
            }
        }
        words.add(ALWAYS);
        return new Parsed(words, unknown);
    }
}
