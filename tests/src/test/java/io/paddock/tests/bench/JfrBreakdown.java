package io.paddock.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the recordings {@link OneWriterProfile} writes and prints, per write: CPU samples by thread
 * group, the hottest methods (self and inclusive), thread parks and where they happen, monitor
 * waits, fsyncs and their latency, GCs, bytes allocated (by thread group and by site), and socket
 * reads and writes. Plain JDK, so it also runs as a single source file:
 * {@code java tests/src/test/java/io/paddock/tests/bench/JfrBreakdown.java WRITES FILE.jfr...}, where
 * WRITES is the number of writes made while recording (OneWriterProfile's {@code .writes} file).
 */
public final class JfrBreakdown {
    private static final int TOP = 30;

    private JfrBreakdown() {
    }

    public static void main(String[] args) throws IOException {
        long writes = Long.parseLong(args[0].strip());
        for (int i = 1; i < args.length; i++) {
            breakdown(Path.of(args[i]), writes);
        }
    }

    private static void breakdown(Path file, long writes) throws IOException {
        Map<String, Long> samplesByGroup = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Map<String, Long>> selfByGroup = new HashMap<>();
        Map<String, Long> parksByGroup = new HashMap<>();
        Map<String, Long> parkSites = new HashMap<>();
        Map<String, Long> monitorSites = new HashMap<>();
        List<Long> forces = new ArrayList<>();
        List<Long> gcs = new ArrayList<>();
        Map<String, Long> allocByGroup = new HashMap<>();
        Map<String, Long> allocSites = new HashMap<>();
        Map<Long, long[]> threadAllocated = new HashMap<>(); // min, max per thread id
        Map<Long, String> threadGroup = new HashMap<>();
        Map<String, long[]> socket = new HashMap<>(); // reads, read bytes, writes, written bytes by group
        long samples = 0;
        Instant first = null;
        Instant last = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.ThreadPark") || type.equals("jdk.ExecutionSample")) {
                // the recording's own span (a file also holds older events: JVM start, thread starts)
                first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
                last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
            }
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    String group = group(e.getThread("sampledThread"));
                    samplesByGroup.merge(group, 1L, Long::sum);
                    List<RecordedFrame> frames = frames(e.getStackTrace());
                    if (!frames.isEmpty()) {
                        String top = name(frames.get(0));
                        self.merge(top, 1L, Long::sum);
                        selfByGroup.computeIfAbsent(group, g -> new HashMap<>()).merge(top, 1L, Long::sum);
                    }
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : frames) {
                        if (seen.add(name(f))) {
                            inclusive.merge(name(f), 1L, Long::sum);
                        }
                    }
                }
                case "jdk.ThreadPark" -> {
                    parksByGroup.merge(group(e.getThread()), 1L, Long::sum);
                    parkSites.merge(group(e.getThread()) + " " + site(e.getStackTrace(), 3), 1L, Long::sum);
                }
                case "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait" -> monitorSites.merge(
                    type.substring(4) + " " + group(e.getThread()) + " " + site(e.getStackTrace(), 2), 1L, Long::sum);
                case "jdk.FileForce" -> forces.add(e.getDuration().toNanos());
                case "jdk.GarbageCollection" -> gcs.add(e.getDuration("sumOfPauses").toNanos());
                case "jdk.ObjectAllocationSample" -> {
                    long weight = e.getLong("weight");
                    allocByGroup.merge(group(e.getThread("eventThread")), weight, Long::sum);
                    String cls = e.getClass("objectClass").getName();
                    allocSites.merge(cls + " <- " + site(e.getStackTrace(), 2), weight, Long::sum);
                }
                case "jdk.ThreadAllocationStatistics" -> {
                    RecordedThread t = e.getThread("thread");
                    if (t != null) {
                        long allocated = e.getLong("allocated");
                        threadGroup.put(t.getId(), group(t));
                        long[] mm = threadAllocated.computeIfAbsent(t.getId(), id -> new long[] {allocated, allocated});
                        mm[0] = Math.min(mm[0], allocated);
                        mm[1] = Math.max(mm[1], allocated);
                    }
                }
                case "jdk.SocketRead" -> {
                    long[] s = socket.computeIfAbsent(group(e.getThread()), g -> new long[4]);
                    s[0]++;
                    s[1] += Math.max(0, e.getLong("bytesRead"));
                }
                case "jdk.SocketWrite" -> {
                    long[] s = socket.computeIfAbsent(group(e.getThread()), g -> new long[4]);
                    s[2]++;
                    s[3] += Math.max(0, e.getLong("bytesWritten"));
                }
                default -> {
                }
            }
        }
        double w = writes;
        double seconds = first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0;
        System.out.printf(Locale.ROOT, "%n==== %s: %d writes in %.1f s of recording%n", file.getFileName(), writes, seconds);
        System.out.printf(Locale.ROOT, "-- Java CPU samples: %d (%.2f per write), by thread group:%n", samples, samples / w);
        top(samplesByGroup, 12, samples, w);
        System.out.println("-- hottest methods, self (share of samples, samples per write):");
        top(self, TOP, samples, w);
        System.out.println("-- hottest methods, inclusive:");
        top(inclusive, TOP, samples, w);
        for (Map.Entry<String, Map<String, Long>> g : selfByGroup.entrySet()) {
            long n = samplesByGroup.get(g.getKey());
            if (n * 20 >= samples) {
                System.out.println("-- self, thread group " + g.getKey() + ":");
                top(g.getValue(), 12, n, w);
            }
        }
        long parks = parksByGroup.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "-- thread parks: %.2f per write, by thread group:%n", parks / w);
        top(parksByGroup, 10, parks, w);
        System.out.println("-- where threads park (group, the 3 frames under LockSupport):");
        top(parkSites, 15, parks, w);
        long monitors = monitorSites.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "-- monitor enters (contended) and waits: %.3f per write%n", monitors / w);
        top(monitorSites, 8, monitors, w);
        forces.sort(null);
        if (!forces.isEmpty()) {
            System.out.printf(Locale.ROOT, "-- fsyncs (FileForce): %.3f per write; p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                forces.size() / w, pct(forces, 0.5), pct(forces, 0.9), pct(forces, 0.99), forces.get(forces.size() - 1) / 1e6);
        }
        long gcPause = gcs.stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "-- GCs: %d (%.4f per write), %.1f ms of pauses (%.2f us per write)%n", gcs.size(),
            gcs.size() / w, gcPause / 1e6, gcPause / 1e3 / w);
        Map<String, Long> allocatedByGroup = new HashMap<>();
        threadAllocated.forEach((id, mm) -> allocatedByGroup.merge(threadGroup.get(id), mm[1] - mm[0], Long::sum));
        long allocated = allocatedByGroup.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "-- bytes allocated (ThreadAllocationStatistics): %.0f per write, by thread group (bytes per write):%n",
            allocated / w);
        topValues(allocatedByGroup, 10, w);
        long sampled = allocSites.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "-- allocation sites (ObjectAllocationSample weights, %.0f bytes per write sampled):%n", sampled / w);
        topValues(allocSites, 20, w);
        System.out.println("-- socket I/O per write (reads, bytes read, writes, bytes written) by thread group:");
        socket.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[2], a.getValue()[0] + a.getValue()[2]))
            .forEach(s -> System.out.printf(Locale.ROOT, "   %-44s %6.2f %8.0f %6.2f %8.0f%n", s.getKey(), s.getValue()[0] / w,
                s.getValue()[1] / w, s.getValue()[2] / w, s.getValue()[3] / w));
    }

    private static void top(Map<String, Long> counts, int n, long total, double writes) {
        counts.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
            .forEach(c -> System.out.printf(Locale.ROOT, "   %5.1f%% %8.3f  %s%n", 100.0 * c.getValue() / Math.max(1, total),
                c.getValue() / writes, c.getKey()));
    }

    private static void topValues(Map<String, Long> values, int n, double writes) {
        values.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
            .forEach(c -> System.out.printf(Locale.ROOT, "   %10.0f  %s%n", c.getValue() / writes, c.getKey()));
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))) / 1e6;
    }

    private static List<RecordedFrame> frames(RecordedStackTrace trace) {
        return trace == null ? List.of() : trace.getFrames();
    }

    /** A thread's name without its number: all threads of a pool together. */
    private static String group(RecordedThread t) {
        if (t == null) {
            return "?";
        }
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        return name == null ? "?" : name.replaceAll("[#:\\-]?\\d+$", "");
    }

    private static String name(RecordedFrame f) {
        String cls = f.getMethod().getType().getName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    /** The first {@code depth} frames below the JDK's locking and parking machinery. */
    private static String site(RecordedStackTrace trace, int depth) {
        List<String> names = new ArrayList<>();
        for (RecordedFrame f : frames(trace)) {
            String cls = f.getMethod().getType().getName();
            if (names.isEmpty() && (cls.startsWith("jdk.internal.misc.") || cls.startsWith("java.util.concurrent.locks.")
                || cls.equals("java.lang.Object") || cls.equals("java.lang.Thread"))) {
                continue;
            }
            names.add(name(f));
            if (names.size() == depth) {
                break;
            }
        }
        return String.join(" < ", names);
    }
}
