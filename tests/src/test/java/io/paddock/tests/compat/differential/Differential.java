package io.paddock.tests.compat.differential;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one script against Apache ZooKeeper's own server and against Paddock, with the same
 * client code, and fails with a readable diff when the transcripts differ. ZooKeeper is the
 * reference: a difference is Paddock's to fix.
 */
final class Differential {
    static final int TICK_TIME = 500;
    private static final int CONTEXT = 3;

    /** A scripted sequence of operations; it records through the run and must not depend on timing. */
    interface Script {
        void run(Run run) throws Exception;
    }

    private Differential() {
    }

    /** Runs {@code script} on both servers, with no reaping of containers or TTL nodes. */
    static void compare(Path dir, Script script) throws Exception {
        compare(dir, 0, script);
    }

    /**
     * Runs {@code script} on both servers, which reap containers and TTL nodes every
     * {@code reapIntervalMs} (0: never, within a test); both transcripts are kept under
     * target/differential/ for reading.
     */
    static void compare(Path dir, int reapIntervalMs, Script script) throws Exception {
        String name = StackWalker.getInstance().walk(frames -> frames.dropWhile(
                f -> f.getClassName().equals(Differential.class.getName())).findFirst())
            .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
            .orElse("script");
        List<String> expected;
        try (ReferenceServer zk = ReferenceServer.start(dir, TICK_TIME, reapIntervalMs)) {
            expected = runOn(zk, script);
        }
        keep(name + ".zookeeper.txt", expected);
        List<String> actual;
        try (PaddockTarget paddock = PaddockTarget.start(dir, TICK_TIME, reapIntervalMs)) {
            actual = runOn(paddock, script);
        }
        keep(name + ".paddock.txt", actual);
        if (!expected.equals(actual)) {
            fail("Paddock differs from ZooKeeper 3.9.5 (- ZooKeeper, + Paddock):\n" + diff(expected, actual));
        }
    }

    private static void keep(String file, List<String> lines) throws IOException {
        Path out = Path.of("target", "differential");
        Files.createDirectories(out);
        Files.write(out.resolve(file), lines);
    }

    private static List<String> runOn(Target target, Script script) throws Exception {
        try (Run run = new Run(target)) {
            script.run(run);
            run.settle();
            return run.transcript().lines();
        }
    }

    /** A unified-style diff of two transcripts (longest common subsequence), with a few lines of context. */
    static String diff(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                lines.add("  " + a.get(i++));
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                lines.add("+ " + b.get(j++));
            } else {
                lines.add("- " + a.get(i++));
            }
        }
        boolean[] shown = new boolean[lines.size()];
        for (int k = 0; k < lines.size(); k++) {
            if (!lines.get(k).startsWith("  ")) {
                for (int x = Math.max(0, k - CONTEXT); x <= Math.min(lines.size() - 1, k + CONTEXT); x++) {
                    shown[x] = true;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            if (shown[k]) {
                out.append(lines.get(k)).append('\n');
            } else if (k > 0 && shown[k - 1]) {
                out.append("  ...\n");
            }
        }
        return out.toString();
    }
}
