package io.paddock.node.zab;

import io.paddock.protocol.peer.Notification;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deterministic in-memory network of election tallies: every step delivers the oldest message
 * of one channel chosen at random (channels are FIFO per sender and receiver, as Artery is), or
 * starts a node. Finalize waits are longer than any message delay: their timers fire only when
 * no message is in flight. Undecided nodes resend when nothing else can happen, as a LOOKING
 * node does when it hears nothing. A node missing from the network is down: messages to it are
 * lost. Everything iterates in a fixed order so that a seed replays exactly.
 */
final class ElectionNetwork {
    private final Random random;
    private final Map<Long, ElectionTally> tallies = new TreeMap<>();
    private final Map<Long, ElectionTally.Decision> decisions = new TreeMap<>();
    private final Map<Long, Map<Long, Deque<Notification>>> channels = new TreeMap<>();
    private final TreeSet<Long> notStarted = new TreeSet<>();
    private final TreeSet<Long> finalizing = new TreeSet<>();
    private int resends;

    ElectionNetwork(long seed) {
        this.random = new Random(seed);
    }

    /** A node that will start looking at a random moment. */
    void looking(long id, ElectionTally tally) {
        tallies.put(id, tally);
        notStarted.add(id);
    }

    /** A node of an established ensemble: it only answers LOOKING peers. */
    void established(long id, ElectionTally.Decision decision) {
        decisions.put(id, decision);
    }

    Map<Long, ElectionTally.Decision> decisions() {
        return decisions;
    }

    /** Runs until nothing can happen any more or undecided nodes have resent {@code maxResends} times. */
    void run(int maxResends) {
        while (true) {
            List<Runnable> events = new ArrayList<>();
            for (long id : notStarted) {
                events.add(() -> {
                    notStarted.remove(id);
                    apply(id, tallies.get(id).start());
                });
            }
            channels.forEach((from, byReceiver) -> byReceiver.forEach((to, queue) -> {
                if (!queue.isEmpty() && !notStarted.contains(to)) {
                    events.add(() -> deliver(to, queue.poll()));
                }
            }));
            if (!events.isEmpty()) {
                events.get(random.nextInt(events.size())).run();
            } else if (!finalizing.isEmpty()) {
                long id = pick(finalizing);
                finalizing.remove(id);
                apply(id, tallies.get(id).finalizeTimeout());
            } else {
                TreeSet<Long> undecided = new TreeSet<>(tallies.keySet());
                undecided.removeAll(decisions.keySet());
                if (undecided.isEmpty() || resends == maxResends) {
                    return;
                }
                resends++;
                long id = pick(undecided);
                apply(id, tallies.get(id).resend());
            }
        }
    }

    private long pick(TreeSet<Long> ids) {
        return new ArrayList<>(ids).get(random.nextInt(ids.size()));
    }

    private void deliver(long to, Notification n) {
        ElectionTally.Decision decided = decisions.get(to);
        if (decided != null) {
            ElectionTally.answerWhileNotLooking(decided.announcement(), n).ifPresent(send -> send(to, send));
        } else {
            apply(to, tallies.get(to).receive(n));
        }
    }

    private void apply(long id, List<ElectionTally.Action> actions) {
        for (ElectionTally.Action action : actions) {
            if (action instanceof ElectionTally.Send send) {
                send(id, send);
            } else if (action == ElectionTally.StartFinalizeWait.INSTANCE) {
                finalizing.add(id);
            } else if (action instanceof ElectionTally.Decision d) {
                decisions.put(id, d);
                finalizing.remove(id);
            }
        }
    }

    private void send(long from, ElectionTally.Send send) {
        if (tallies.containsKey(send.to()) || decisions.containsKey(send.to())) {
            channels.computeIfAbsent(from, k -> new TreeMap<>())
                .computeIfAbsent(send.to(), k -> new ArrayDeque<>())
                .add(send.notification());
        }
    }
}
