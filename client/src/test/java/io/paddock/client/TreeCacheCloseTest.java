package io.paddock.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.client.recipes.TreeCache;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.proto.ExistsResponse;
import io.paddock.protocol.proto.GetDataResponse;
import io.paddock.protocol.proto.ReplyHeader;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * A TreeCache closed while its walk is under way, scripted frame by frame on a {@link FakeServer}:
 * the walk stops, and the listeners hear nothing more. A walk that went on would read the whole
 * tree for nobody and, when a reconnect had asked for another walk, set the persistent watch on
 * the server again after close removed it.
 */
class TreeCacheCloseTest {
    private static final long SESSION = 0x4242L;
    private static final byte[] PASSWORD = new byte[16];
    private static final Stat STAT = new Stat(5, 5, 0, 0, 0, 0, 0, 0, 1, 0, 5);

    @Test
    void aCacheClosedDuringItsWalkReadsNoFurtherAndReportsNothing() throws Exception {
        ActorTestKit testKit = ActorTestKit.create();
        try (FakeServer server = FakeServer.start()) {
            FakeServer.Connected connected = server.connect(testKit, SESSION, PASSWORD);
            ZkClient zk = connected.zk();
            FakeServer.Peer peer = connected.peer();
            TreeCache cache = new TreeCache(zk, "/tree");
            List<TreeCache.Event> events = new CopyOnWriteArrayList<>();
            cache.addListener(events::add);

            cache.start();
            FakeServer.Request watch = peer.nextRequest();
            assertThat(watch.header().type()).isEqualTo(OpCode.ADD_WATCH);
            peer.send(new ReplyHeader(watch.header().xid(), 5, 0));
            FakeServer.Request read = peer.nextRequest();
            assertThat(read.header().type()).isEqualTo(OpCode.GET_DATA);
            assertThat(read.path()).isEqualTo("/tree");

            CompletableFuture<Void> closed = cache.close().toCompletableFuture();
            FakeServer.Request remove = peer.nextRequest();
            assertThat(remove.header().type()).isEqualTo(OpCode.REMOVE_WATCHES);
            // a request of the test's own behind the walk's read: its reply comes after the read's, so
            // once it is answered the client has handled the read's reply and sent whatever the walk asks next
            CompletableFuture<?> marker = zk.exists("/marker", false).toCompletableFuture();
            FakeServer.Request markerRequest = peer.nextRequest();
            assertThat(markerRequest.path()).isEqualTo("/marker");
            // replies in the order of the requests, as a server sends them
            peer.send(new ReplyHeader(read.header().xid(), 5, 0), new GetDataResponse(new byte[] {1}, STAT));
            peer.send(new ReplyHeader(remove.header().xid(), 5, 0));
            peer.send(new ReplyHeader(markerRequest.header().xid(), 5, 0), new ExistsResponse(STAT));
            closed.get(10, TimeUnit.SECONDS);
            marker.get(10, TimeUnit.SECONDS);

            zk.exists("/probe", false);
            FakeServer.Request next = peer.nextRequest();
            assertThat(next.path()).as("the walk's next read, or the test's probe").isEqualTo("/probe");
            assertThat(events).isEmpty();
        } finally {
            testKit.shutdownTestKit();
        }
    }
}
