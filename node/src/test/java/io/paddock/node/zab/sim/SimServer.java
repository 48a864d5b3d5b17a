package io.paddock.node.zab.sim;

import io.paddock.node.zab.ElectionTally;
import io.paddock.node.zab.LearnerSync;
import io.paddock.node.zab.Leadership;
import io.paddock.node.zab.SessionChannel;
import io.paddock.node.zab.Silence;
import io.paddock.persistence.HistoryWindow;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.Notification;
import io.paddock.protocol.peer.PeerMessage;
import io.paddock.protocol.peer.ServerState;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated server: the durable state a crash keeps (epochs, the log) and what it loses
 * (the tree, the role, writes on their way to disk), driven by the pure cores as the node's
 * actors drive them ({@code Looking}, {@code Leading}, {@code Learner}): the same actions, taken
 * the same way, with a disk whose writes complete in order after 1 to 3 ms. Roles are inner
 * classes; a timer or a disk completion acts only if the role (and incarnation) that started it
 * is still current.
 */
final class SimServer {
    private static final Leadership.Settings SETTINGS = new Leadership.Settings(Simulation.TICK, Simulation.SYNC_LIMIT,
        Simulation.INIT_LIMIT, 1 << 20, HistoryWindow.of(50), 0xffffffffL, 1L << 30);

    final long id;
    private final Simulation sim;
    // durable
    private long acceptedEpoch;
    private long currentEpoch;
    private List<Txn> log = new ArrayList<>();
    // lost in a crash
    private boolean up;
    private int incarnation;
    private long diskFree;
    private List<Txn> tree = new ArrayList<>();
    /** How much of the tree the checker has seen as committed. */
    private int checked;
    private ArrayDeque<Txn> unapplied = new ArrayDeque<>();
    private long lastLogged;
    private long loggingUpTo;
    private long logicalClock;
    private Notification announcement;
    private final Map<Long, LearnerMessage.FollowerInfo> earlyInfos = new TreeMap<>();
    private Role role;

    SimServer(long id, Simulation sim) {
        this.id = id;
        this.sim = sim;
    }

    private interface Role {
        void receive(PeerMessage message);

        void durable(long zxid);
    }

    // ---------------------------------------------------------------- life

    /** Starts (or restarts) from what is durable: the tree is the whole log, as the node's recovery makes it. */
    void start() {
        up = true;
        incarnation++;
        diskFree = sim.now;
        tree = new ArrayList<>(log);
        checked = 0; // recovered, not known to be committed: checked once a commit covers it
        unapplied = new ArrayDeque<>();
        lastLogged = lastZxid(log);
        loggingUpTo = lastLogged;
        logicalClock = 0;
        announcement = null;
        earlyInfos.clear();
        look();
    }

    void crash() {
        up = false;
        incarnation++;
        role = null;
    }

    boolean isUp() {
        return up;
    }

    int incarnation() {
        return incarnation;
    }

    List<Txn> durableLog() {
        return log;
    }

    void receive(PeerMessage message) {
        if (!up) {
            return;
        }
        if (message instanceof Notification n && !(role instanceof Looking)) {
            if (announcement != null && sim.verifier.isVoter(id)) { // observers never answer
                ElectionTally.answerWhileNotLooking(announcement, n).ifPresent(s -> send(s.to(), s.notification()));
            }
            return;
        }
        role.receive(message);
    }

    /** A client's write: proposed if this server leads an established epoch. */
    boolean write(String value) {
        if (up && role instanceof Leading l && l.core.established() && !l.core.exhausted()) {
            long zxid = l.core.nextZxid();
            Txn txn = new Txn(zxid, 1, 1, 0, new TxnOp.SetDataTxn("/k", value.getBytes(StandardCharsets.UTF_8), -1));
            l.act(l.core.propose(txn, value));
            return true;
        }
        return false;
    }

    private void send(long to, PeerMessage message) {
        sim.send(id, to, message);
    }

    /** Runs {@code action} after {@code delay} if {@code owner} is still this server's role. */
    private void timer(Role owner, long delay, Runnable action) {
        sim.at(delay, () -> {
            if (up && role == owner) {
                action.run();
            }
        });
    }

    // ---------------------------------------------------------------- disk and tree

    /** A durable write: {@code effect} happens when it completes, in order, unless the server crashed first. */
    private void disk(Runnable effect) {
        long at = Math.max(sim.now, diskFree) + 1 + sim.random.nextInt(3);
        diskFree = at;
        int inc = incarnation;
        sim.at(at - sim.now, () -> {
            if (up && incarnation == inc) {
                effect.run();
            }
        });
    }

    private void logTxns(List<Txn> txns) {
        if (txns.isEmpty()) {
            return;
        }
        loggingUpTo = txns.get(txns.size() - 1).zxid();
        disk(() -> {
            for (Txn t : txns) {
                if (!log.isEmpty() && t.zxid() <= lastZxid(log)) {
                    throw new AssertionError("server " + id + " logs " + Zxid.toHex(t.zxid()) + " after "
                        + Zxid.toHex(lastZxid(log)) + ": the log must stay in zxid order");
                }
                log.add(t);
            }
            lastLogged = Math.max(lastLogged, lastZxid(log));
            if (role != null) {
                role.durable(lastLogged);
            }
        });
    }

    private boolean drained() {
        return lastLogged >= loggingUpTo;
    }

    private long applied() {
        return lastZxid(tree);
    }

    /** Applies committed txns (those above the tree), and has the checker look at them. */
    private void applyCommitted(List<Txn> txns) {
        for (Txn t : txns) {
            if (t.zxid() > applied()) {
                tree.add(t);
            }
        }
        committedUpTo(applied());
    }

    /** Everything in the tree up to {@code zxid} is committed (recovered txns included). */
    private void committedUpTo(long zxid) {
        int upTo = checked;
        while (upTo < tree.size() && tree.get(upTo).zxid() <= zxid) {
            upTo++;
        }
        if (upTo > checked) {
            sim.checker.committed(id, tree.subList(0, upTo), checked);
            checked = upTo;
        }
    }

    private void applyUpTo(long zxid) {
        List<Txn> batch = new ArrayList<>();
        while (!unapplied.isEmpty() && unapplied.peek().zxid() <= zxid) {
            batch.add(unapplied.poll());
        }
        applyCommitted(batch);
        committedUpTo(Math.min(zxid, applied()));
    }

    static long lastZxid(List<Txn> txns) {
        return txns.isEmpty() ? 0 : txns.get(txns.size() - 1).zxid();
    }

    /** The txn with {@code zxid} in a zxid-ordered list, or null. */
    static Txn find(List<Txn> txns, long zxid) {
        int lo = 0;
        int hi = txns.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long z = txns.get(mid).zxid();
            if (z == zxid) {
                return txns.get(mid);
            } else if (z < zxid) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- LOOKING

    private void look() {
        Looking looking = new Looking();
        role = looking;
        looking.act(looking.tally.start());
    }

    private final class Looking implements Role {
        final ElectionTally tally = new ElectionTally(id, sim.verifier, logicalClock, lastLogged, currentEpoch);
        long resendAfter = 10;
        boolean resendPending;
        int finalizeGeneration;

        void act(List<ElectionTally.Action> actions) {
            for (ElectionTally.Action action : actions) {
                if (action instanceof ElectionTally.Send s) {
                    send(s.to(), s.notification());
                } else if (action == ElectionTally.StartFinalizeWait.INSTANCE) {
                    int generation = ++finalizeGeneration;
                    timer(this, 20, () -> {
                        if (generation == finalizeGeneration) {
                            act(tally.finalizeTimeout());
                        }
                    });
                } else if (action instanceof ElectionTally.Decision d) {
                    logicalClock = tally.logicalClock();
                    announcement = d.announcement();
                    if (d.state() == ServerState.LEADING) {
                        lead();
                    } else {
                        earlyInfos.values().forEach(info -> {
                            sim.sessionsToANonLeader.add(info.session());
                            LearnerSync.notLeading(id, info, "it follows server " + d.leader())
                                .ifPresent(e -> send(info.sender(), e));
                        });
                        earlyInfos.clear();
                        follow(d.leader(), d.state() == ServerState.OBSERVING
                            && sim.fault != Simulation.Fault.OBSERVER_ACKS_COUNTED);
                    }
                    return;
                }
            }
            logicalClock = tally.logicalClock();
            if (!resendPending) {
                resendPending = true;
                timer(this, resendAfter, () -> {
                    resendPending = false;
                    resendAfter = Math.min(resendAfter * 2, Simulation.TICK);
                    act(tally.resend());
                });
            }
        }

        @Override
        public void receive(PeerMessage message) {
            if (message instanceof Notification n) {
                act(tally.receive(n));
            } else if (message instanceof LearnerMessage.FollowerInfo info) {
                earlyInfos.put(info.sender(), info);
            } else if (message instanceof LearnerMessage m) {
                LearnerSync.notLeading(id, m, "it is looking").ifPresent(e -> send(m.sender(), e));
            }
        }

        @Override
        public void durable(long zxid) {
        }
    }

    // ---------------------------------------------------------------- LEADING

    private void lead() {
        Leading leading = new Leading();
        role = leading;
        timer(leading, Simulation.INIT_LIMIT * Simulation.TICK, () -> leading.act(leading.core.establishTimeout()));
        leading.ping();
        for (LearnerMessage.FollowerInfo info : List.copyOf(earlyInfos.values())) {
            leading.act(leading.core.learnerMessage(info, sim.now));
        }
        earlyInfos.clear();
        if (role == leading && drained()) {
            leading.act(leading.core.start(acceptedEpoch, currentEpoch, lastLogged));
        }
    }

    private final class Leading implements Role {
        final Leadership<String> core = Leadership.elected(id,
            sim.fault == Simulation.Fault.OBSERVER_ACKS_COUNTED ? sim.everyone : sim.verifier, SETTINGS);
        private final ArrayDeque<Leadership.Action<String>> todo = new ArrayDeque<>();
        private boolean acting;

        void ping() {
            timer(this, Simulation.TICK / 2, () -> {
                act(core.tick(sim.now));
                ping();
            });
        }

        void act(List<Leadership.Action<String>> actions) {
            todo.addAll(actions);
            if (acting) {
                return;
            }
            acting = true;
            while (!todo.isEmpty() && role == this) {
                take(todo.poll());
            }
            todo.clear();
            acting = false;
        }

        private void take(Leadership.Action<String> action) {
            if (action instanceof Leadership.Send<String> s) {
                send(s.to(), s.message());
            } else if (action instanceof Leadership.Log<String> l) {
                logTxns(l.txns());
                if (sim.fault == Simulation.Fault.LEADER_COUNTS_ITSELF_BEFORE_DURABLE) {
                    act(core.logDurable(lastZxid(l.txns())));
                }
            } else if (action instanceof Leadership.FlushLater<String>) {
                timer(this, 0, () -> act(core.flush()));
            } else if (action instanceof Leadership.PersistAcceptedEpoch<String> p) {
                disk(() -> {
                    acceptedEpoch = p.epoch();
                    if (role == this) {
                        act(core.acceptedEpochPersisted());
                    }
                });
            } else if (action instanceof Leadership.PersistCurrentEpoch<String> p) {
                disk(() -> {
                    currentEpoch = p.epoch();
                    if (role == this) {
                        act(core.currentEpochPersisted());
                    }
                });
            } else if (action instanceof Leadership.SerializeImage<String> s) {
                // the view is taken now; the image arrives later, as from the node's blocking dispatcher
                Leadership.Image image = new Leadership.Image(applied(), sim.image(tree));
                disk(() -> {
                    if (role == this) {
                        act(core.imageReady(s.learner(), s.session(), image));
                    }
                });
            } else if (action instanceof Leadership.ReadHistory<String>) {
                int keep = Math.min(log.size(), 50); // the TxnLog's ring, as the history window keeps it
                long floor = log.size() > keep ? log.get(log.size() - keep - 1).zxid() : 0;
                act(core.historyRead(List.copyOf(log.subList(log.size() - keep, log.size())), floor, lastZxid(log),
                    applied(), unapplied));
            } else if (action instanceof Leadership.Established<String> e) {
                List<Txn> own = new ArrayList<>();
                while (!unapplied.isEmpty() && unapplied.peek().zxid() <= e.zxid()) {
                    own.add(unapplied.poll());
                }
                unapplied.clear();
                applyCommitted(own);
                committedUpTo(e.zxid());
                sim.checker.established(id, e.epoch(), log);
            } else if (action instanceof Leadership.Apply<String> a) {
                List<Txn> txns = a.committed().stream().map(Leadership.Proposed::txn).toList();
                applyCommitted(txns);
                for (Leadership.Proposed<String> p : a.committed()) {
                    if (p.request() != null) {
                        sim.checker.acked(p.txn(), sim.servers.values());
                    }
                }
            } else if (action instanceof Leadership.Synced<String> s) {
                sim.syncs.merge(s.plan().getClass().getSimpleName(), 1, Integer::sum);
            } else if (action instanceof Leadership.StepDown<String> s) {
                unapplied.addAll(s.uncommitted());
                look();
            }
        }

        @Override
        public void receive(PeerMessage message) {
            if (message instanceof LearnerMessage m) {
                act(core.learnerMessage(m, sim.now));
            }
        }

        @Override
        public void durable(long zxid) {
            if (core.started()) {
                act(core.logDurable(zxid));
            } else if (drained()) {
                act(core.start(acceptedEpoch, currentEpoch, lastLogged));
            }
        }
    }

    // ---------------------------------------------------------------- FOLLOWING

    /** Follows (or, as {@code observer}, observes) {@code leader}. */
    private void follow(long leader, boolean observer) {
        Following following = new Following(leader, observer);
        role = following;
        following.ping();
        if (drained()) {
            following.startSync();
        }
    }

    private final class Following implements Role {
        final long leader;
        final boolean observer;
        final SessionChannel.Outgoing out;
        final SessionChannel.Incoming in;
        final Silence leaderSilence = new Silence(sim.now, Simulation.TICK);
        LearnerSync sync;
        boolean serving;
        boolean rewriting;
        long acked;

        Following(long leader, boolean observer) {
            this.leader = leader;
            this.observer = observer;
            long session = 1 + (sim.random.nextLong() & Long.MAX_VALUE - 1);
            this.out = new SessionChannel.Outgoing(session);
            this.in = new SessionChannel.Incoming(session);
        }

        void startSync() {
            sync = new LearnerSync(id, out, observer, acceptedEpoch, currentEpoch, lastLogged);
            act(sync.start());
        }

        void ping() {
            timer(this, Simulation.TICK / 2, () -> {
                int ticks = serving ? Simulation.SYNC_LIMIT : Simulation.INIT_LIMIT;
                long silent = leaderSilence.tick(sim.now);
                if (silent > ticks * Simulation.TICK) {
                    if (!serving && sim.sessionsToANonLeader.contains(out.session())) {
                        sim.stuckOnANonLeader++;
                    }
                    end("the leader was silent for " + silent + " ms");
                    return;
                }
                if (sync != null) {
                    send(leader, new LearnerMessage.LearnerPing(id, out.session(), out.next(), List.of()));
                }
                ping();
            });
        }

        void act(List<LearnerSync.Action> actions) {
            for (LearnerSync.Action a : actions) {
                if (role != this) {
                    return;
                }
                if (a instanceof LearnerSync.Send s) {
                    send(leader, s.message());
                    if (s.message() instanceof LearnerMessage.FollowerInfo info) {
                        resendFollowerInfo(info);
                    }
                } else if (a instanceof LearnerSync.PersistAcceptedEpoch p) {
                    disk(() -> {
                        acceptedEpoch = p.epoch();
                        if (role == this) {
                            act(sync.acceptedEpochPersisted());
                        }
                    });
                } else if (a instanceof LearnerSync.PersistCurrentEpoch p) {
                    disk(() -> {
                        currentEpoch = p.epoch();
                        if (role == this) {
                            act(sync.currentEpochPersisted());
                        }
                    });
                } else if (a instanceof LearnerSync.Truncate t) {
                    truncate(t.toZxid());
                } else if (a instanceof LearnerSync.InstallSnapshot s) {
                    installSnapshot(s.zxid(), io.paddock.protocol.ByteParts.join(s.image()));
                } else if (a instanceof LearnerSync.Log l) {
                    unapplied.addAll(l.txns());
                    logTxns(l.txns());
                } else if (a instanceof LearnerSync.Apply ap) {
                    applyUpTo(ap.upToZxid());
                } else if (a instanceof LearnerSync.StartServing) {
                    serving = true;
                } else if (a instanceof LearnerSync.Fail f) {
                    end(f.reason());
                }
            }
        }

        private void resendFollowerInfo(LearnerMessage.FollowerInfo info) {
            timer(this, 50, () -> {
                if (in.expectedSeq() == 1) {
                    send(leader, info);
                    resendFollowerInfo(info);
                }
            });
        }

        private void truncate(long to) {
            rewriting = true;
            disk(() -> {
                log.removeIf(t -> t.zxid() > to);
                if (to < applied()) {
                    // the tree shows txns that never committed (recovery applied the whole log): the node restarts
                    crash();
                    start();
                    return;
                }
                lastLogged = to;
                loggingUpTo = to;
                unapplied.removeIf(t -> t.zxid() > to);
                rewriting = false;
                if (role == this) {
                    act(sync.truncated());
                }
            });
        }

        private void installSnapshot(long zxid, byte[] image) {
            List<Txn> txns = sim.image(image);
            tree = new ArrayList<>(txns);
            checked = 0; // not served before UpToDate: checked when the sync applies it
            unapplied.clear();
            rewriting = true;
            disk(() -> {
                log = new ArrayList<>(txns);
                lastLogged = zxid;
                loggingUpTo = zxid;
                rewriting = false;
                if (role == this) {
                    act(sync.snapshotInstalled());
                }
            });
        }

        void end(String why) {
            if (sync != null) {
                send(leader, new LearnerMessage.EndSession(id, out.session(), out.next(), why));
            }
            look();
        }

        @Override
        public void receive(PeerMessage message) {
            if (message instanceof LearnerMessage m && m.sender() != leader) {
                if (m instanceof LearnerMessage.FollowerInfo) {
                    sim.sessionsToANonLeader.add(m.session());
                }
                LearnerSync.notLeading(id, m, "it follows server " + leader).ifPresent(e -> send(m.sender(), e));
                return;
            }
            if (!(message instanceof LearnerMessage m) || sync == null) {
                return;
            }
            SessionChannel.Verdict verdict = in.accept(m);
            if (verdict instanceof SessionChannel.ForeignSession) {
                return;
            }
            if (verdict instanceof SessionChannel.Gap gap) {
                end("message " + gap.expected() + " was lost");
                return;
            }
            leaderSilence.heard();
            if (m instanceof LearnerMessage.LeaderPing) {
                return;
            }
            if (m instanceof LearnerMessage.EndSession e) {
                end("the leader ended the session: " + e.reason());
                return;
            }
            if (!serving) {
                act(sync.receive(m));
            } else if (observer && m instanceof LearnerMessage.Inform inform) {
                // committed txns: logged and applied at once, acked never (as Observing)
                unapplied.addAll(inform.txns());
                logTxns(inform.txns());
                applyUpTo(lastZxid(inform.txns()));
            } else if (!observer && m instanceof LearnerMessage.Proposal p) {
                unapplied.addAll(p.txns());
                logTxns(p.txns());
                if (sim.fault == Simulation.Fault.FOLLOWER_ACKS_BEFORE_DURABLE) {
                    acked = lastZxid(p.txns());
                    send(leader, new LearnerMessage.Ack(id, out.session(), out.next(), acked));
                }
            } else if (!observer && m instanceof LearnerMessage.Commit c) {
                applyUpTo(c.upToZxid());
            } else {
                end("unexpected " + m.getClass().getSimpleName());
            }
        }

        @Override
        public void durable(long zxid) {
            if (sync == null) {
                if (drained()) {
                    startSync();
                }
            } else if (serving) {
                if (!observer && zxid > acked) {
                    acked = zxid;
                    send(leader, new LearnerMessage.Ack(id, out.session(), out.next(), zxid));
                }
            } else if (!rewriting) {
                act(sync.logged(Math.min(zxid, lastLogged)));
            }
        }
    }
}
