package io.paddock.tests.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per session, replies come in request order even with thousands of reads and writes in flight
 * (the Java client drops the connection on an out-of-order xid, which would show here as
 * CONNECTIONLOSS), and every read sees the session's own earlier writes.
 */
class ReplyOrderCompatTest {
    private static final int CALLS = 3000;

    @TempDir
    Path dir;

    @Test
    void manyAsyncCallsAreAnsweredInOrder() throws Exception {
        try (InProcessServer server = InProcessServer.start(dir);
             ZooKeeper zk = ZkClients.connect(server.connectString())) {
            zk.create("/order", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            List<String> answered = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch done = new CountDownLatch(CALLS);
            for (int i = 0; i < CALLS; i++) {
                String id = Integer.toString(i);
                switch (i % 4) {
                    case 0 -> zk.create("/order/n" + i, id.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT, (rc, path, ctx, name) -> {
                            check(rc == 0, id, "create", problems);
                            answered.add(id);
                            done.countDown();
                        }, null);
                    case 1 -> zk.getData("/order/n" + (i - 1), false, (rc, path, ctx, data, stat) -> {
                        // the read was sent after the create, so it must see it
                        check(rc == 0 && new String(data, StandardCharsets.UTF_8).equals(Integer.toString(Integer.parseInt(id) - 1)),
                            id, "read of the create before it", problems);
                        answered.add(id);
                        done.countDown();
                    }, null);
                    case 2 -> zk.setData("/order", id.getBytes(StandardCharsets.UTF_8), -1, (rc, path, ctx, stat) -> {
                        check(rc == 0, id, "setData", problems);
                        answered.add(id);
                        done.countDown();
                    }, null);
                    default -> zk.exists("/order", false, (rc, path, ctx, stat) -> {
                        check(rc == 0 && stat.getVersion() == (Integer.parseInt(id) + 1) / 4, id, "exists sees its setData",
                            problems);
                        answered.add(id);
                        done.countDown();
                    }, null);
                }
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).as("all %d calls answered", CALLS).isTrue();
            assertThat(problems).isEmpty();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                expected.add(Integer.toString(i));
            }
            assertThat(answered).containsExactlyElementsOf(expected);
        }
    }

    private static void check(boolean ok, String id, String what, List<String> problems) {
        if (!ok) {
            problems.add("call " + id + ": " + what);
        }
    }
}
