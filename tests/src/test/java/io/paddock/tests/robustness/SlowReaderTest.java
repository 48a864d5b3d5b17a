package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.RequestHeader;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.RawClient;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends requests and does not read the replies must not hurt anyone else: the
 * server stops taking its requests once a few MiB of replies wait for it (instead of holding every
 * reply in memory), the bystander is served as usual, and when the slow client finally reads, it
 * gets every reply, in order. One that never reads and goes away is let go.
 */
class SlowReaderTest {
    private static final int REQUESTS = 1000;
    private static final int DATA = 256 * 1024; // 1000 replies of 256 KiB: 256 MiB if the server queued them all

    @TempDir
    Path dir;

    @Test
    void clientThatDoesNotReadItsRepliesDoesNotHurtOthers() throws Exception {
        try (InProcessServer server = InProcessServer.start(dir);
             HealthySession bystander = HealthySession.connect(server.connectString())) {
            int port = server.port();
            bystander.zk().create("/big-reply", new byte[DATA], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heapBefore = heapAfterGc(memory);

            try (RawClient slow = RawClient.open(port)) {
                slow.connect();
                int localPort = slow.socket().getLocalPort();
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int xid = 1; xid <= REQUESTS; xid++) {
                    burst.write(RawClient.frame(RawClient.encode(new RequestHeader(xid, OpCode.GET_DATA),
                        new GetDataRequest("/big-reply", false))));
                }
                slow.sendRaw(burst.toByteArray()); // 1000 requests, a few tens of KiB: they all fit in the socket buffers
                Await.until(Duration.ofSeconds(10), "the server to start answering the slow client",
                    () -> repliesSentTo(port, localPort) > 0);

                // everyone else is served while the slow client sits on its replies
                for (int i = 0; i < 50; i++) {
                    bystander.write("while a client does not read");
                    assertThat(bystander.zk().getData("/big-reply", false, null)).hasSize(DATA);
                }
                bystander.assertHealthy("a client not reading its replies");

                long sent = repliesSentTo(port, localPort);
                assertThat(sent).as("replies the server queued for a client that reads nothing").isLessThan(REQUESTS / 4);
                long heapGrowth = heapAfterGc(memory) - heapBefore;
                assertThat(heapGrowth).as("heap held for a client that reads nothing (bytes)").isLessThan(64L << 20);

                // when it reads at last, every reply is there, in order
                for (int xid = 1; xid <= REQUESTS; xid++) {
                    RawClient.Reply r = slow.nextReply();
                    assertThat(r).as("reply %d", xid).isNotNull();
                    assertThat(r.header().xid()).isEqualTo(xid);
                    assertThat(r.err()).isZero();
                    assertThat(r.body().readBuffer()).hasSize(DATA);
                    Stat.read(r.body());
                }
            }
            bystander.assertHealthy("the slow client read everything");

            // one that never reads and goes away is let go, with its held-back requests
            int connectionsBefore = FourLetter.connections(port);
            try (RawClient gone = RawClient.open(port)) {
                gone.connect();
                ByteArrayOutputStream burst = new ByteArrayOutputStream();
                for (int xid = 1; xid <= REQUESTS; xid++) {
                    burst.write(RawClient.frame(RawClient.encode(new RequestHeader(xid, OpCode.GET_DATA),
                        new GetDataRequest("/big-reply", false))));
                }
                gone.sendRaw(burst.toByteArray());
                Await.until(Duration.ofSeconds(10), "the server to start answering",
                    () -> repliesSentTo(port, gone.socket().getLocalPort()) > 0);
                gone.socket().setSoLinger(true, 0);
            }
            Await.until(Duration.ofSeconds(10), "the server to release the client that went away",
                () -> FourLetter.connections(port) == connectionsBefore);
            bystander.assertHealthy("a client went away without reading");
        }
    }

    /** The "sent=" count cons shows for the connection from {@code localPort}: connect response plus replies. */
    private static long repliesSentTo(int port, int localPort) {
        Matcher m = Pattern.compile("/127\\.0\\.0\\.1:" + localPort + "\\[\\d+]\\(queued=\\d+,recved=\\d+,sent=(\\d+)")
            .matcher(FourLetter.ask(port, "cons"));
        if (!m.find()) {
            throw new AssertionError("no cons line for the connection from port " + localPort);
        }
        return Long.parseLong(m.group(1)) - 1;
    }

    private static long heapAfterGc(MemoryMXBean memory) {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
