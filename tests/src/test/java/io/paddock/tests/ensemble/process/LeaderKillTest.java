package io.paddock.tests.ensemble.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.WriteLoad;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.ZkClients;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, fault test 1: three nodes in their own JVMs with ZooKeeper's default timing
 * (tickTime 2000, initLimit 10, syncLimit 5); the leader is killed with SIGKILL while sessions
 * on every server write, the official client with the full connect string, each session first
 * connected to a given server so that all three serve writers.
 *
 * <p>{@link WriteLoad}s write creates, setData, sequential creates, deletes and multis, and write
 * on through each failover: a session whose connection is lost reconnects to whichever server it
 * finds and goes on, and a write whose answer was lost with the connection is recorded as
 * indeterminate. One load per kill (six sessions, 32 writes in flight each) starts before it and
 * stops once every one of its sessions has had a write acknowledged by the new leader, so the kill
 * finds many writes in flight. Another (three sessions, 8 in flight) writes through the whole
 * test: the time from a kill to the first of its writes acknowledged in the new leader's epoch is
 * printed as the failover time. It keeps writing while the old leader restarts and catches up.
 * Then the same again: the new leader is killed, with the first victim back as a follower. At the
 * end every server (both restarted ones too), read alone after a sync, holds the same tree, with
 * every acknowledged write of every load, every indeterminate one whole or not at all, and
 * nothing else.
 */
class LeaderKillTest {
    private static final Duration START = Duration.ofSeconds(90);
    /** Kills: the second one finds the first one's victim back as a follower (it may even be elected). */
    private static final int ROUNDS = 2;

    @TempDir
    Path dir;

    @Test
    void aNewLeaderServesWritesAndNoAcknowledgedWriteIsLost() throws Exception {
        try (ProcessEnsemble ensemble = ProcessEnsemble.create(dir, 3, Map.of())) {
            try {
                run(ensemble);
            } finally {
                // the nodes' directories are temporary; their logs are worth a look after a run, failed or not
                NodeLogs.keep(ensemble, getClass().getSimpleName());
            }
        }
    }

    private void run(ProcessEnsemble ensemble) throws Exception {
        long started = System.nanoTime();
        ensemble.startAll(START);
        int leader = ensemble.awaitServing(Duration.ofSeconds(60));
        System.out.print(String.format("ensemble of 3 JVMs serving %d ms after the start; leader %d%n",
            (System.nanoTime() - started) / 1_000_000, leader));
        List<InetSocketAddress> servers = ensemble.addresses();
        String all = ensemble.connectString();
        WriteLoad.Sessions spread = (w, watcher) -> ZkClients.connectFirstTo(servers, servers.get(w % 3), 10_000, watcher);

        List<WriteLoad> loads = new ArrayList<>();
        List<Long> failovers = new ArrayList<>();
        try (WriteLoad through = WriteLoad.start(all, "/through", 3, 8, spread)) {
            loads.add(through);
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    WriteLoad load = WriteLoad.start(all, "/load" + round, 6, spread);
                    loads.add(load);
                    failovers.add(killLeaderDuringLoad(ensemble, round, leader, load, through));
                    int killed = leader;
                    leader = ensemble.awaitServing(Duration.ofSeconds(30));

                    // the old leader comes back on its data and catches up while the writes go on
                    long ackedBeforeRestart = through.acked();
                    long restartAt = System.nanoTime();
                    ensemble.restart(killed, START);
                    System.out.println(String.format("round %d: old leader %d restarted and serving as %s after %d ms "
                        + "(JVM start included)", round, killed, ensemble.mode(killed), (System.nanoTime() - restartAt) / 1_000_000));
                    Await.until(Duration.ofSeconds(30), "more writes after the restart",
                        () -> through.acked() >= ackedBeforeRestart + 300);
                    leader = ensemble.awaitServing(Duration.ofSeconds(30));
                }
            } finally {
                for (WriteLoad load : loads) {
                    load.stopAndClose();
                }
            }

            Map<Integer, SortedMap<String, TreeDump.Node>> dumps = Replicas.dumpAll(ensemble);
            SortedMap<String, TreeDump.Node> tree = Replicas.assertIdentical(dumps);
            List<String> problems = new ArrayList<>();
            int appliedUnacked = 0;
            long acked = 0;
            long indeterminate = 0;
            for (WriteLoad load : loads) {
                appliedUnacked += load.verify(tree, problems);
                acked += load.acked();
                indeterminate += load.indeterminate();
            }
            assertThat(problems.subList(0, Math.min(20, problems.size())))
                .as("acknowledged writes missing or changed (" + problems.size() + " problems)").isEmpty();
            System.out.println(String.format("all 3 replicas identical: %d znodes; %d writes acknowledged (%d of them through "
                + "the whole test), %d indeterminate of which %d took effect; failovers %s ms", tree.size(), acked,
                through.acked(), indeterminate, appliedUnacked, failovers));
        }
    }

    /**
     * Kills the leader once {@code load} has 3000 acknowledged writes, and lets it write on until each
     * of its sessions has had a write acknowledged by the new leader; returns the ms from the kill until
     * a write of {@code through} was acknowledged in the new epoch.
     */
    private static long killLeaderDuringLoad(ProcessEnsemble ensemble, int round, int leader, WriteLoad load,
                                             WriteLoad through) throws Exception {
        long throughBefore = through.acked();
        Await.until(Duration.ofSeconds(120), "3000 acknowledged writes before the kill",
            () -> load.acked() >= 3000 && through.acked() >= throughBefore + 300);
        long epochBefore = Math.max(load.lastAckedEpoch(), through.lastAckedEpoch());

        long killedAt = System.nanoTime();
        LocalTime killedClock = LocalTime.now();
        ensemble.kill9(leader);
        long ackedAtKill = load.acked();
        System.out.println(String.format("round %d: SIGKILL to leader %d at %s after %d acknowledged writes of the load "
            + "(%d attempted)", round, leader, killedClock, ackedAtKill, load.attempted()));

        Await.until(Duration.ofSeconds(60), "a write acknowledged in a new epoch",
            () -> through.firstAckAfterEpoch(epochBefore) > 0);
        long failoverMs = (through.firstAckAfterEpoch(epochBefore) - killedAt) / 1_000_000;
        Await.until(Duration.ofSeconds(60), "a write of every session of the load acknowledged in a new epoch",
            () -> load.writers().stream().allMatch(w -> w.lastAckedEpoch() > epochBefore));
        load.stopAndClose();
        System.out.println(String.format("round %d: failover: first write acknowledged in the new epoch %d ms after the kill "
            + "(%d writes in flight at the kill); the load: %d acknowledged, %d indeterminate, of %d attempted", round,
            failoverMs, load.unansweredAt(killedAt) + through.unansweredAt(killedAt), load.acked(), load.indeterminate(),
            load.attempted()));
        NodeLogs.printRoleChanges(ensemble, killedClock);
        return failoverMs;
    }
}
