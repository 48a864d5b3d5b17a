package io.paddock.tests.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.tests.support.PaddockExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.WatcherType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One-shot, persistent and recursive watches, their removal, and the order of events and replies. */
class WatchCompatTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.standalone();
    static ZooKeeper watcher;
    static ZooKeeper writer;

    @BeforeAll
    static void connect() throws Exception {
        watcher = paddock.newClient();
        writer = paddock.newClient();
    }

    private static void create(ZooKeeper zk, String path) throws Exception {
        zk.create(path, DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    private static List<String> describe(List<WatchedEvent> events) {
        return events.stream().map(e -> e.getType() + " " + e.getPath()).toList();
    }

    @Test
    void oneShotWatchesFireOnceWithTheTriggeringZxid() throws Exception {
        EventQueue events = new EventQueue();
        watcher.exists("/once", events);
        create(writer, "/once");
        WatchedEvent created = events.next();
        assertThat(created.getType()).isEqualTo(EventType.NodeCreated);
        assertThat(created.getZxid()).isEqualTo(writer.exists("/once", false).getCzxid());
        watcher.getData("/once", events, null);
        watcher.getChildren("/once", events);
        writer.setData("/once", DATA, -1);
        writer.setData("/once", DATA, -1);
        create(writer, "/once/c");
        create(writer, "/once/d");
        assertThat(describe(events.drainAfterRoundTrip(watcher)))
            .containsExactly("NodeDataChanged /once", "NodeChildrenChanged /once");
    }

    @Test
    void persistentWatchSeesTheNodeAndItsChildListUntilRemoved() throws Exception {
        EventQueue events = new EventQueue();
        watcher.addWatch("/pers", events, AddWatchMode.PERSISTENT);
        create(writer, "/pers");
        create(writer, "/pers/a");
        writer.setData("/pers/a", DATA, -1);
        writer.setData("/pers", DATA, -1);
        writer.delete("/pers/a", -1);
        writer.delete("/pers", -1);
        create(writer, "/pers");
        assertThat(describe(events.drainAfterRoundTrip(watcher))).containsExactly("NodeCreated /pers",
            "NodeChildrenChanged /pers", "NodeDataChanged /pers", "NodeChildrenChanged /pers", "NodeDeleted /pers",
            "NodeCreated /pers");
        watcher.removeWatches("/pers", events, WatcherType.Persistent, false);
        assertThat(describe(List.of(events.next()))).containsExactly("PersistentWatchRemoved /pers");
        writer.setData("/pers", DATA, -1);
        assertThat(events.drainAfterRoundTrip(watcher)).isEmpty();
    }

    @Test
    void recursiveWatchSeesEveryNodeBelowButNoChildListEvents() throws Exception {
        EventQueue events = new EventQueue();
        watcher.addWatch("/rec", events, AddWatchMode.PERSISTENT_RECURSIVE);
        create(writer, "/rec");
        create(writer, "/rec/a");
        create(writer, "/rec/a/b");
        writer.setData("/rec/a/b", DATA, -1);
        writer.delete("/rec/a/b", -1);
        create(writer, "/recursion-is-not-below");
        assertThat(describe(events.drainAfterRoundTrip(watcher))).containsExactly("NodeCreated /rec",
            "NodeCreated /rec/a", "NodeCreated /rec/a/b", "NodeDataChanged /rec/a/b", "NodeDeleted /rec/a/b");
        watcher.removeWatches("/rec", events, WatcherType.PersistentRecursive, false);
        events.next();
        create(writer, "/rec/c");
        assertThat(events.drainAfterRoundTrip(watcher)).isEmpty();
    }

    /** removeWatches for one watcher goes to the server as checkWatches (17), removeAllWatches as removeWatches (18). */
    @Test
    void removeWatchesAndCheckWatchesAskTheServer() throws Exception {
        create(writer, "/rm");
        EventQueue data = new EventQueue();
        EventQueue kids = new EventQueue();
        watcher.getData("/rm", data, null);
        watcher.getChildren("/rm", kids);
        watcher.removeWatches("/rm", data, WatcherType.Data, false);
        assertThat(data.next().getType()).isEqualTo(EventType.DataWatchRemoved);
        assertThatThrownBy(() -> watcher.removeWatches("/rm", data, WatcherType.Data, false))
            .isInstanceOf(KeeperException.NoWatcherException.class);
        watcher.removeAllWatches("/rm", WatcherType.Any, false);
        assertThat(kids.next().getType()).isEqualTo(EventType.ChildWatchRemoved);
        writer.setData("/rm", DATA, -1);
        create(writer, "/rm/c");
        assertThat(data.drainAfterRoundTrip(watcher)).isEmpty();
        assertThat(kids.drainAfterRoundTrip(watcher)).isEmpty();
        assertThatThrownBy(() -> watcher.removeAllWatches("/rm", WatcherType.Any, false))
            .isInstanceOf(KeeperException.NoWatcherException.class);
    }

    /** A reply that shows a change never overtakes the event for it: the event has been delivered when the reply's callback runs. */
    @Test
    void anEventArrivesBeforeAnyLaterReplyThatShowsTheChange() throws Exception {
        create(writer, "/order");
        for (int i = 0; i < 50; i++) {
            EventQueue events = new EventQueue();
            watcher.getData("/order", events, null);
            writer.setData("/order", DATA, -1);
            CompletableFuture<Integer> seen = new CompletableFuture<>();
            watcher.getData("/order", false, (rc, path, ctx, data, stat) ->
                seen.complete(events.drainNow().size() == 1 ? stat.getVersion() : -1), null);
            assertThat(seen.get(10, TimeUnit.SECONDS)).as("round " + i).isEqualTo(i + 1);
        }
    }

    /** The same for the session's own writes: the event comes before the write's own reply. */
    @Test
    void ownWritesFireTheirEventBeforeTheirReply() throws Exception {
        create(watcher, "/own");
        for (int i = 0; i < 50; i++) {
            EventQueue events = new EventQueue();
            watcher.getData("/own", events, null);
            CompletableFuture<Boolean> eventFirst = new CompletableFuture<>();
            watcher.setData("/own", DATA, -1, (rc, path, ctx, stat) -> eventFirst.complete(events.drainNow().size() == 1),
                null);
            assertThat(eventFirst.get(10, TimeUnit.SECONDS)).as("round " + i).isTrue();
        }
        Stat st = watcher.exists("/own", false);
        assertThat(st.getVersion()).isEqualTo(50);
    }
}
