package io.paddock.node.zab.sim;

import io.paddock.node.zab.QuorumVerifier;
import io.paddock.protocol.peer.PeerMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic simulation of an ensemble built from the pure cores ({@code ElectionTally},
 * {@code Leadership}, {@code LearnerSync}) and a model of each server's durable log
 * ({@link SimServer}). Time is simulated (ms); one seeded {@link Random} decides every delay,
 * drop, crash, partition and client write, so a seed replays exactly. The network delivers
 * each channel in order (as Artery does) after 1 to 4 ms, drops 1% of messages, and drops
 * everything across a partition or to a server that crashed; a crash loses what was not
 * durable. Clients write to whichever server leads. {@link Checker} checks the safety
 * properties at every step.
 */
final class Simulation {
    /** Deliberate breaks of a rule, to show that the checks catch them. */
    enum Fault {
        NONE, FOLLOWER_ACKS_BEFORE_DURABLE, LEADER_COUNTS_ITSELF_BEFORE_DURABLE,
        /** Observers follow as voters do (Proposal, Ack) and the leader counts their acks, though elections do not. */
        OBSERVER_ACKS_COUNTED
    }

    static final long TICK = 20;
    static final int SYNC_LIMIT = 5;
    static final int INIT_LIMIT = 10;
    /** Chaos (crashes, partitions) until this time; then everything heals and runs on until {@link #END}. */
    static final long CHAOS_UNTIL = 2_500;
    static final long END = 3_500;

    final long seed;
    final Random random;
    final QuorumVerifier verifier;
    /** Voters and observers: what a leader wrongly counts under {@link Fault#OBSERVER_ACKS_COUNTED}. */
    final QuorumVerifier everyone;
    final Checker checker;
    final Fault fault;
    final Map<Long, SimServer> servers = new TreeMap<>();
    long now;
    private long sequence;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Set<Long> isolated = new TreeSet<>();
    private final Map<Long, Long> channelFree = new HashMap<>();
    private final Map<Long, List<io.paddock.protocol.txn.Txn>> images = new HashMap<>();
    private long writes;
    private long steps;
    private int crashes;
    /** Learner syncs by plan (Diff, TruncThenDiff, Snap). */
    final Map<String, Integer> syncs = new TreeMap<>();
    /** Learner sessions whose FollowerInfo reached a server that follows (or observes) another. */
    final Set<Long> sessionsToANonLeader = new TreeSet<>();
    /** Of those, the ones that then waited out initLimit in silence: a learner stuck on a server that will never lead it. */
    int stuckOnANonLeader;

    private record Event(long time, long sequence, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(sequence, o.sequence);
        }
    }

    /** {@code voters} servers 1..voters, then {@code observers} observers. */
    Simulation(long seed, int voters, int observers, Fault fault) {
        this.seed = seed;
        this.random = new Random(seed);
        this.fault = fault;
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id <= voters + observers; id++) {
            ids.add(id);
        }
        this.verifier = new QuorumVerifier(ids.subList(0, voters));
        this.everyone = new QuorumVerifier(ids);
        this.checker = new Checker(verifier);
        for (long id : ids) {
            servers.put(id, new SimServer(id, this));
        }
    }

    /** What one run saw, for the test's figures. */
    record Outcome(long steps, long writes, int acked, int epochs, int crashes, Map<String, Integer> syncs,
                   int sessionsToANonLeader, int stuckOnANonLeader) {
    }

    Outcome run() {
        for (SimServer s : servers.values()) {
            at(random.nextInt(20), s::start);
        }
        at(5, this::clientWrite);
        at(100, this::chaos);
        while (!events.isEmpty()) {
            Event e = events.poll();
            if (e.time() > END) {
                break;
            }
            now = e.time();
            steps++;
            e.action().run();
        }
        return new Outcome(steps, writes, checker.ackedCount(), checker.epochs(), crashes, syncs,
            sessionsToANonLeader.size(), stuckOnANonLeader);
    }

    /** Runs {@code action} {@code delay} ms from now, after everything already due then. */
    void at(long delay, Runnable action) {
        events.add(new Event(now + delay, sequence++, action));
    }

    /** Sends over the simulated network: in order per channel, maybe dropped, never across a partition. */
    void send(long from, long to, PeerMessage message) {
        SimServer target = servers.get(to);
        if (target == null || isolated.contains(from) != isolated.contains(to) || random.nextInt(100) == 0) {
            return;
        }
        long channel = from * 1_000 + to;
        long deliverAt = Math.max(now + 1 + random.nextInt(4), channelFree.getOrDefault(channel, 0L));
        channelFree.put(channel, deliverAt);
        int incarnation = target.incarnation();
        at(deliverAt - now, () -> {
            if (target.incarnation() == incarnation) {
                target.receive(message);
            }
        });
    }

    /** A tree image for a SNAP: its bytes name the copy kept here. */
    byte[] image(List<io.paddock.protocol.txn.Txn> tree) {
        long id = images.size() + 1;
        images.put(id, List.copyOf(tree));
        return java.nio.ByteBuffer.allocate(8).putLong(id).array();
    }

    List<io.paddock.protocol.txn.Txn> image(byte[] bytes) {
        return images.get(java.nio.ByteBuffer.wrap(bytes).getLong());
    }

    private void clientWrite() {
        SimServer s = servers.get(1L + random.nextInt(servers.size()));
        if (s.write("w" + writes)) {
            writes++;
        }
        at(1 + random.nextInt(6), this::clientWrite);
    }

    private void chaos() {
        if (now >= CHAOS_UNTIL) {
            isolated.clear();
            servers.values().forEach(s -> {
                if (!s.isUp()) {
                    s.start();
                }
            });
            return;
        }
        SimServer s = servers.get(1L + random.nextInt(servers.size()));
        int what = random.nextInt(3);
        if (what == 0 && s.isUp()) {
            crashes++;
            s.crash();
            at(30 + random.nextInt(300), () -> {
                if (!s.isUp()) {
                    s.start();
                }
            });
        } else if (what == 1 && isolated.isEmpty()) {
            isolated.add(s.id);
            at(50 + random.nextInt(300), isolated::clear);
        }
        at(100 + random.nextInt(300), this::chaos);
    }
}
