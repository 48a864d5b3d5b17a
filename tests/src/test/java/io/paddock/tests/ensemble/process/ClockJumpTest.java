package io.paddock.tests.ensemble.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.RawClient;
import io.paddock.tests.support.ZkClients;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, "clock jumps" (ZooKeeper's ZOOKEEPER-1366): liveness and session expiry used to read
 * the wall clock, so setting it an hour forward expired every session and deposed the leader, and
 * setting it back kept a vanished client's session (and its locks) alive until the clock caught
 * up. They run on the monotonic clock now.
 *
 * <p>Three nodes in their own JVMs with Debian's libfaketime preloaded, which moves each JVM's
 * wall clock (System.currentTimeMillis) as a file says, and leaves the monotonic clock alone. The
 * test is skipped where libfaketime is not installed ({@code apt-get install faketime}; .ci/run
 * installs it).
 */
class ClockJumpTest {
    /** Where Debian's faketime package puts the library, by architecture. */
    private static final Path LIBFAKETIME = java.util.stream.Stream.of("x86_64-linux-gnu", "aarch64-linux-gnu")
        .map(arch -> Path.of("/usr/lib", arch, "faketime", "libfaketimeMT.so.1")).filter(Files::exists).findFirst()
        .orElse(Path.of("/usr/lib/faketime/libfaketimeMT.so.1"));
    private static final Duration START = Duration.ofSeconds(90);
    /** tickTime 500: session timeouts may be 1 to 10 s. */
    private static final int SESSION_TIMEOUT = 4_000;
    private static final Pattern TROUBLE = Pattern.compile(
        "stepping down|Expiring session|learner session with server \\d+ ended|ending the learner session|LOOKING \\(");

    @TempDir
    Path dir;

    @Test
    void aWallClockSetAnHourForwardOrBackExpiresNoLiveSessionAndKeepsNoDeadOne() throws Exception {
        assumeTrue(Files.exists(LIBFAKETIME), "libfaketime is not installed (Debian package faketime)");
        try (ProcessEnsemble ensemble = ProcessEnsemble.create(dir, 3, Map.of("tickTime", "500"))) {
            for (int id : ensemble.ids()) {
                setClock(id, "+0");
                ensemble.process(id).withEnv(Map.of(
                    "LD_PRELOAD", LIBFAKETIME.toString(),
                    "FAKETIME_TIMESTAMP_FILE", clockFile(id).toString(),
                    "FAKETIME_CACHE_DURATION", "1",
                    "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                    // libfaketime's own fix for pthread_cond_timedwait slowed a node's start from 3 s to 20 s
                    "FAKETIME_FORCE_MONOTONIC_FIX", "0"));
            }
            NodeLogs.keptAfter(ensemble, getClass().getSimpleName(), this::run);
        }
    }

    private void run(ProcessEnsemble ensemble) throws Exception {
        ensemble.startAll(START);
        int leader = ensemble.awaitServing(Duration.ofSeconds(60));
        int follower = ensemble.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
        List<InetSocketAddress> servers = ensemble.addresses();
        try (ZooKeeper live = ZkClients.connectFirstTo(servers, servers.get(follower - 1), SESSION_TIMEOUT, e -> { })) {
            live.create("/live", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            long liveSession = live.getSessionId();
            Map<Integer, Long> mark = NodeLogs.mark(ensemble);

            // an hour forward, on every node
            ensemble.ids().forEach(id -> setClock(id, "+3600"));
            writeFor(live, 3L * SESSION_TIMEOUT);
            assertThat(live.exists("/live", false)).as("the live session's ephemeral after the jump forward").isNotNull();
            assertThat(live.exists("/live", false).getEphemeralOwner()).isEqualTo(liveSession);
            assertThat(ensemble.leader()).as("the leader after the jump forward").contains(leader);

            // a client vanishes (its socket closes, no closeSession), then the clocks are set back two hours
            try (RawClient doomed = RawClient.open(ensemble.clientPort(follower))) {
                doomed.connect();
                RawClient.Reply created = doomed.call(1, OpCode.CREATE, new CreateRequest("/doomed", new byte[0],
                    Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL.toFlag()));
                assertThat(created.err()).isZero();
            }
            ensemble.ids().forEach(id -> setClock(id, "-3600"));
            Await.until(Duration.ofSeconds(40), "the vanished client's session expires after the jump back",
                () -> live.exists("/doomed", false) == null);
            writeFor(live, 3L * SESSION_TIMEOUT);
            assertThat(live.exists("/live", false)).as("the live session's ephemeral after the jump back").isNotNull();
            assertThat(ensemble.leader()).as("the leader after the jump back").contains(leader);

            assertThat(NodeLogs.matchingSince(ensemble, mark, TROUBLE)).as("what the nodes logged of step-downs, elections, expiries and learner sessions:"
                + " only the vanished client's expiry").singleElement().asString()
                .contains("Expiring session").contains("timeout of 10000ms");
        }
    }

    /** Writes through {@code zk} for {@code millis} ms of this JVM's monotonic clock; every write must succeed. */
    private static void writeFor(ZooKeeper zk, long millis) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        byte[] value = new byte[8];
        if (zk.exists("/clock", false) == null) {
            zk.create("/clock", value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        while (System.nanoTime() < end) {
            zk.setData("/clock", value, -1);
            Thread.sleep(50); // pacing the writes over the window, not synchronisation
        }
    }

    private Path clockFile(int id) {
        return dir.resolve("faketime-" + id);
    }

    private void setClock(int id, String offset) {
        try {
            Files.writeString(clockFile(id), offset + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
