package io.paddock.tests.ensemble.process;

import io.paddock.tests.support.ProcessEnsemble;
import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/** What the nodes logged about their roles after a moment: the failover's timeline, for the test output. */
final class NodeLogs {
    private static final Pattern ROLE = Pattern.compile(
        "LOOKING|election decided|LEADING|FOLLOWING|OBSERVING|learner session|stepping down|syncing server|"
            + "ending the learner|serving clients|Expiring session|unreachable|Unreachable");

    private NodeLogs() {
    }

    /**
     * Copies every node's log to {@code target/process-logs/<name>/node<N>.log} (the nodes' own
     * directories are temporary) and says where.
     */
    static void keep(ProcessEnsemble ensemble, String name) {
        try {
            java.nio.file.Path to = java.nio.file.Path.of("target", "process-logs", name).toAbsolutePath();
            Files.createDirectories(to);
            for (int id : ensemble.ids()) {
                java.nio.file.Path log = ensemble.process(id).log();
                if (Files.exists(log)) {
                    Files.copy(log, to.resolve("node" + id + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.out.println("the nodes' logs are kept in " + to);
        } catch (IOException e) {
            System.out.println("could not keep the nodes' logs: " + e);
        }
    }

    /** Something a test does with a running ensemble. */
    interface Body {
        void run(ProcessEnsemble ensemble) throws Exception;
    }

    /** Runs {@code body}, then keeps the nodes' logs ({@link #keep}), whether it failed or not. */
    static void keptAfter(ProcessEnsemble ensemble, String name, Body body) throws Exception {
        try {
            body.run(ensemble);
        } finally {
            keep(ensemble, name);
        }
    }

    /** How many lines each node has logged so far, by server id: a mark for {@link #matchingSince}. */
    static java.util.Map<Integer, Long> mark(ProcessEnsemble ensemble) throws IOException {
        java.util.Map<Integer, Long> lines = new java.util.TreeMap<>();
        for (int id : ensemble.ids()) {
            try (var l = Files.lines(ensemble.process(id).log())) {
                lines.put(id, l.count());
            }
        }
        return lines;
    }

    /** The lines each node logged after {@code mark} that match {@code pattern}, each prefixed with its node. */
    static List<String> matchingSince(ProcessEnsemble ensemble, java.util.Map<Integer, Long> mark, Pattern pattern)
        throws IOException {
        List<String> found = new java.util.ArrayList<>();
        for (int id : ensemble.ids()) {
            try (var l = Files.lines(ensemble.process(id).log())) {
                l.skip(mark.getOrDefault(id, 0L)).filter(line -> pattern.matcher(line).find())
                    .forEach(line -> found.add("node " + id + ": " + line));
            }
        }
        return found;
    }

    /** Prints every node's role lines logged at or after {@code since} (log lines start with HH:mm:ss.SSS). */
    static void printRoleChanges(ProcessEnsemble ensemble, LocalTime since) throws IOException {
        for (int id : ensemble.ids()) {
            List<String> lines = Files.readAllLines(ensemble.process(id).log());
            int shown = 0;
            for (String line : lines) {
                if (line.length() < 12 || !ROLE.matcher(line).find()) {
                    continue;
                }
                LocalTime at;
                try {
                    at = LocalTime.parse(line.substring(0, 12));
                } catch (DateTimeParseException e) {
                    continue;
                }
                if (!at.isBefore(since) && shown++ < 40) {
                    System.out.println("  node " + id + ": " + line);
                }
            }
        }
    }
}
