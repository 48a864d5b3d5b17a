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
