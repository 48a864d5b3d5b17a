package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.PaddockExtension;
import io.paddock.tests.support.ZkClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code globalOutstandingLimit} caps the requests in flight across all connections, as in
 * ZooKeeper: over the limit the server stops reading requests until some are answered, so clients
 * see slower replies, never errors.
 */
class GlobalOutstandingLimitTest {
    private static final int LIMIT = 40;
    private static final int CLIENTS = 20;
    private static final int REQUESTS_EACH = 200;

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.withConfig(Map.of(
        "globalOutstandingLimit", Integer.toString(LIMIT), "maxClientCnxns", "0"));

    @Test
    void manyConnectionsWithManyRequestsInFlightStayUnderTheLimitAndAllAreAnswered() throws Exception {
        int port = paddock.server().port();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<ZooKeeper> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int client = i;
            Watcher states = (WatchedEvent e) -> {
                if (e.getType() == Watcher.Event.EventType.None && e.getState() != Watcher.Event.KeeperState.SyncConnected) {
                    problems.add("client " + client + ": " + e.getState());
                }
            };
            ZooKeeper zk = paddock.closeAfterAll(ZkClients.connect(paddock.connectString(), 30_000, states));
            zk.create("/limit-" + i, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            clients.add(zk);
        }
        // srvr's Outstanding, sampled while the requests are in flight
        AtomicLong maxSampled = new AtomicLong();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                maxSampled.accumulateAndGet(Long.parseLong(FourLetter.srvr(port).get("Outstanding")), Math::max);
            }
        }, "srvr-sampler");
        sampler.start();

        CountDownLatch answered = new CountDownLatch(CLIENTS * REQUESTS_EACH);
        try {
            for (int r = 0; r < REQUESTS_EACH; r++) {
                for (int i = 0; i < CLIENTS; i++) {
                    String path = "/limit-" + i;
                    if (r % 2 == 0) {
                        clients.get(i).setData(path, new byte[100], -1, (rc, p, ctx, stat) -> {
                            check(rc, "setData " + p, problems);
                            answered.countDown();
                        }, null);
                    } else {
                        clients.get(i).getData(path, false, (rc, p, ctx, data, stat) -> {
                            check(rc, "getData " + p, problems);
                            answered.countDown();
                        }, null);
                    }
                }
            }
            assertThat(answered.await(120, TimeUnit.SECONDS)).as("every request answered").isTrue();
        } finally {
            sampling.set(false);
            sampler.join();
        }
        assertThat(problems).isEmpty();
        assertThat(maxSampled.get()).as("srvr's Outstanding while %d requests were in flight", CLIENTS * REQUESTS_EACH)
            .isLessThanOrEqualTo(LIMIT);
        // exactly, not sampled: the requests in the server at once, and srvr's count of them at its highest
        var ctx = paddock.server().server().context();
        assertThat(ctx.outstanding().peakRequests()).as("requests admitted at once").isLessThanOrEqualTo(LIMIT)
            .as("the load reached the limit").isGreaterThanOrEqualTo(LIMIT / 2);
        assertThat(ctx.stats().peakOutstanding()).as("srvr's Outstanding at its highest").isLessThanOrEqualTo(LIMIT);
        Await.until(Duration.ofSeconds(30), "srvr's Outstanding back to 0", () -> FourLetter.srvr(port).get("Outstanding").equals("0"));
    }

    private static void check(int rc, String what, ConcurrentLinkedQueue<String> problems) {
        if (rc != KeeperException.Code.OK.intValue()) {
            problems.add(what + ": " + KeeperException.Code.get(rc));
        }
    }
}
