package io.paddock.tests.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where one write's latency goes, from the JFR recordings {@link OneWriterProfile} makes of every
 * node (settings with socket and file-force thresholds of 0 ms): the socket reads and writes and
 * fsyncs of the nodes, which share one clock, put in order for each client request, and the
 * percentiles of each leg (client read, Proposal sent, received, fsync, Ack sent, received, reply).
 * Plain JDK, run as a single source file:
 * <pre>
 * java JfrTimeline.java ports FILE.jfr...        reads and writes per remote port (to find the client's)
 * java JfrTimeline.java leader LEADER.jfr CLIENT_PORT FOLLOWER.jfr...
 * java JfrTimeline.java follower FOLLOWER.jfr CLIENT_PORT LEADER.jfr OTHER_FOLLOWER.jfr
 * </pre>
 * {@code -DlengthFirst} for Apache ZooKeeper, which reads a request's 4-byte length before its body.
 */
public final class JfrTimeline {
    private record Ev(long t, long end, char kind, int port, long bytes) {
    }

    private static final boolean LENGTH_FIRST = System.getProperty("lengthFirst") != null;
    /** A peer's read may be stamped a little before the write that caused it: the JVMs' clocks differ by microseconds. */
    private static final long SLACK = 50_000;

    private JfrTimeline() {
    }

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "ports" -> ports(a);
            case "leader" -> viaLeader(a);
            case "follower" -> viaFollower(a);
            default -> throw new IllegalArgumentException("ports, leader or follower, not " + a[0]);
        }
    }

    private static void ports(String[] a) throws Exception {
        for (int i = 1; i < a.length; i++) {
            Map<Integer, long[]> byPort = new TreeMap<>();
            for (Ev e : load(a[i], true)) {
                if (e.kind() == 'F') {
                    continue;
                }
                long[] s = byPort.computeIfAbsent(e.port(), p -> new long[5]);
                int k = e.kind() == 'W' ? 3 : e.bytes() > 0 ? 0 : 2;
                s[k]++;
                s[k == 2 ? 2 : k + 1] += k == 2 ? 0 : e.bytes();
            }
            System.out.println(a[i]);
            byPort.forEach((port, s) -> System.out.printf(Locale.ROOT,
                "  port %5d: %6d reads (%4d B avg), %6d empty reads, %6d writes (%4d B avg)%n", port, s[0],
                s[0] == 0 ? 0 : s[1] / s[0], s[2], s[3], s[3] == 0 ? 0 : s[4] / s[3]));
        }
    }

    /** A client of the leader: its request, the fastest follower's round, the reply. */
    private static void viaLeader(String[] a) throws Exception {
        List<Ev> leader = load(a[1], false);
        int client = Integer.parseInt(a[2]);
        List<List<Ev>> followers = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            followers.add(load(a[i], false));
        }
        Map<String, List<Long>> legs = new LinkedHashMap<>();
        List<Ev> requests = requests(leader, client);
        for (int i = 0; i + 1 < requests.size(); i++) {
            long t0 = requests.get(i).t();
            Ev reply = next(leader, t0, 'W', client, true, requests.get(i + 1).t());
            Ev proposal = reply == null ? null : next(leader, t0, 'W', client, false, reply.t());
            Ev fsync = reply == null ? null : next(leader, t0, 'F', -1, true, reply.t());
            Ev[] round = proposal == null ? null : fastest(followers, proposal.t(), -1, reply.t());
            Ev ack = round == null ? null : last(leader, round[2].t() - SLACK, 'R', client, reply.t());
            if (fsync == null || ack == null) {
                continue;
            }
            add(legs, "client read -> Proposal write (L)", proposal.t() - t0);
            add(legs, "client read -> fsync start (L)", fsync.t() - t0);
            add(legs, "fsync (L)", fsync.end() - fsync.t());
            followerRound(legs, proposal, round);
            add(legs, "Ack write (F) -> Ack read (L)", ack.t() - round[2].t());
            add(legs, "Ack read (L) -> reply write (L)", reply.t() - ack.t());
            add(legs, "total: client read -> reply write (L)", reply.t() - t0);
        }
        print(legs);
    }

    /** A client of a follower: forwarded to the leader, proposed, acked, committed back, answered. */
    private static void viaFollower(String[] a) throws Exception {
        List<Ev> mine = load(a[1], false);
        int client = Integer.parseInt(a[2]);
        List<Ev> leader = load(a[3], false);
        List<Ev> other = load(a[4], false);
        Map<String, List<Long>> legs = new LinkedHashMap<>();
        List<Ev> requests = requests(mine, client);
        for (int i = 0; i + 1 < requests.size(); i++) {
            long t0 = requests.get(i).t();
            Ev reply = next(mine, t0, 'W', client, true, requests.get(i + 1).t());
            if (reply == null) {
                continue;
            }
            long end = reply.t();
            Ev forward = next(mine, t0, 'W', client, false, end);
            Ev forwardIn = forward == null ? null : next(leader, forward.t() - SLACK, 'R', -1, false, end);
            Ev proposal = forwardIn == null ? null : next(leader, forwardIn.t(), 'W', -1, false, end);
            Ev[] round = proposal == null ? null : fastest(List.of(mine, other), proposal.t(), client, end);
            Ev ack = round == null ? null : next(leader, round[2].t() - SLACK, 'R', -1, false, end);
            Ev commit = ack == null ? null : next(leader, ack.t(), 'W', -1, false, end);
            Ev commitIn = commit == null ? null : next(mine, commit.t() - SLACK, 'R', client, false, end);
            if (commitIn == null) {
                continue;
            }
            add(legs, "client read -> ForwardRequest write (F1)", forward.t() - t0);
            add(legs, "ForwardRequest write (F1) -> read (L)", forwardIn.t() - forward.t());
            add(legs, "ForwardRequest read -> Proposal write (L)", proposal.t() - forwardIn.t());
            followerRound(legs, proposal, round);
            add(legs, "Ack write (F) -> Ack read (L)", ack.t() - round[2].t());
            add(legs, "Ack read -> Commit write (L)", commit.t() - ack.t());
            add(legs, "Commit write (L) -> read (F1)", commitIn.t() - commit.t());
            add(legs, "Commit read -> reply write (F1)", end - commitIn.t());
            add(legs, "total: client read -> reply write (F1)", end - t0);
        }
        print(legs);
    }

    private static void followerRound(Map<String, List<Long>> legs, Ev proposal, Ev[] round) {
        add(legs, "Proposal write (L) -> read (F)", round[0].t() - proposal.t());
        add(legs, "Proposal read -> fsync start (F)", round[1].t() - round[0].t());
        add(legs, "fsync (F)", round[1].end() - round[1].t());
        add(legs, "fsync end -> Ack write (F)", round[2].t() - round[1].end());
    }

    /** The follower whose Ack went out first: its Proposal read, fsync and Ack write. */
    private static Ev[] fastest(List<List<Ev>> followers, long proposed, int clientPort, long before) {
        Ev[] best = null;
        for (List<Ev> f : followers) {
            Ev read = next(f, proposed - SLACK, 'R', clientPort, false, before);
            Ev fsync = read == null ? null : next(f, read.t(), 'F', -1, true, before);
            Ev ack = fsync == null ? null : next(f, fsync.end(), 'W', clientPort, false, before);
            if (ack != null && (best == null || ack.t() < best[2].t())) {
                best = new Ev[] {read, fsync, ack};
            }
        }
        return best;
    }

    private static List<Ev> requests(List<Ev> events, int client) {
        return events.stream().filter(e -> e.kind() == 'R' && e.port() == client && (!LENGTH_FIRST || e.bytes() == 4)).toList();
    }

    /** Socket reads (with data, unless {@code empty}), socket writes and fsyncs, in time order. */
    private static List<Ev> load(String file, boolean empty) throws Exception {
        List<Ev> events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(file))) {
            long t = e.getStartTime().getEpochSecond() * 1_000_000_000L + e.getStartTime().getNano();
            long end = e.getEndTime().getEpochSecond() * 1_000_000_000L + e.getEndTime().getNano();
            switch (e.getEventType().getName()) {
                case "jdk.SocketRead" -> {
                    if (empty || e.getLong("bytesRead") > 0) {
                        events.add(new Ev(t, end, 'R', e.getInt("port"), Math.max(0, e.getLong("bytesRead"))));
                    }
                }
                case "jdk.SocketWrite" -> events.add(new Ev(t, end, 'W', e.getInt("port"), e.getLong("bytesWritten")));
                case "jdk.FileForce" -> events.add(new Ev(t, end, 'F', 0, 0));
                default -> {
                }
            }
        }
        events.sort(Comparator.comparingLong(Ev::t));
        return events;
    }

    private static int from(List<Ev> events, long t) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).t() < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first event of {@code kind} in [after, before) on {@code port} ({@code on}) or on any other port; port -1: any. */
    private static Ev next(List<Ev> events, long after, char kind, int port, boolean on, long before) {
        for (int i = from(events, after); i < events.size() && events.get(i).t() < before; i++) {
            Ev e = events.get(i);
            if (e.kind() == kind && (port == -1 || (e.port() == port) == on)) {
                return e;
            }
        }
        return null;
    }

    /** The last read in [after, before) on a port other than {@code notPort}. */
    private static Ev last(List<Ev> events, long after, char kind, int notPort, long before) {
        Ev found = null;
        for (int i = from(events, after); i < events.size() && events.get(i).t() < before; i++) {
            Ev e = events.get(i);
            if (e.kind() == kind && e.port() != notPort) {
                found = e;
            }
        }
        return found;
    }

    private static void add(Map<String, List<Long>> legs, String leg, long nanos) {
        legs.computeIfAbsent(leg, k -> new ArrayList<>()).add(nanos);
    }

    private static void print(Map<String, List<Long>> legs) {
        List<Long> totals = legs.values().stream().reduce((x, y) -> y).orElse(List.of());
        System.out.printf(Locale.ROOT, "%d writes traced; each leg in us:      p10     p50     p90     p99%n", totals.size());
        legs.forEach((leg, v) -> {
            Collections.sort(v);
            System.out.printf(Locale.ROOT, "  %-44s %7.0f %7.0f %7.0f %7.0f%n", leg, pct(v, .1), pct(v, .5), pct(v, .9), pct(v, .99));
        });
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size()))) / 1000.0;
    }
}
