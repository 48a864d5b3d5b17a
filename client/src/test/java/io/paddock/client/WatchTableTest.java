package io.paddock.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.proto.SetWatches2;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchTableTest {

    private static SetWatches2 only(WatchTable table) {
        List<SetWatches2> packets = table.setWatches(7, Chroot.NONE);
        assertThat(packets).hasSize(1);
        assertThat(packets.get(0).relativeZxid()).isEqualTo(7);
        return packets.get(0);
    }

    @Test
    void remembersTheWatchesThatRequestsLeft() {
        WatchTable table = new WatchTable();
        table.afterReply(new ZkRequest.GetData("/d", true), ErrorCode.OK);
        table.afterReply(new ZkRequest.Exists("/e", true), ErrorCode.NONODE);
        table.afterReply(new ZkRequest.Exists("/d2", true), ErrorCode.OK);
        table.afterReply(new ZkRequest.GetChildren("/c", true), ErrorCode.OK);
        table.afterReply(new ZkRequest.AddWatch("/p", AddWatchMode.PERSISTENT), ErrorCode.OK);
        table.afterReply(new ZkRequest.AddWatch("/r", AddWatchMode.PERSISTENT_RECURSIVE), ErrorCode.OK);

        SetWatches2 p = only(table);
        assertThat(p.dataWatches()).containsExactlyInAnyOrder("/d", "/d2");
        assertThat(p.existWatches()).containsExactly("/e");
        assertThat(p.childWatches()).containsExactly("/c");
        assertThat(p.persistentWatches()).containsExactly("/p");
        assertThat(p.persistentRecursiveWatches()).containsExactly("/r");
    }

    @Test
    void failedOrUnwatchedRequestsLeaveNothing() {
        WatchTable table = new WatchTable();
        table.afterReply(new ZkRequest.GetData("/d", false), ErrorCode.OK);
        table.afterReply(new ZkRequest.GetData("/missing", true), ErrorCode.NONODE);
        table.afterReply(new ZkRequest.GetChildren("/missing", true), ErrorCode.NONODE);
        table.afterReply(new ZkRequest.Exists("/x", true), ErrorCode.NOAUTH);
        table.afterReply(new ZkRequest.AddWatch("/p", AddWatchMode.PERSISTENT), ErrorCode.NOAUTH);
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.setWatches(0, Chroot.NONE)).isEmpty();
    }

    @Test
    void oneShotWatchesLeaveWhenTheyFirePersistentOnesStay() {
        WatchTable table = new WatchTable();
        table.afterReply(new ZkRequest.GetData("/a", true), ErrorCode.OK);
        table.afterReply(new ZkRequest.GetChildren("/a", true), ErrorCode.OK);
        table.afterReply(new ZkRequest.Exists("/b", true), ErrorCode.NONODE);
        table.afterReply(new ZkRequest.AddWatch("/a", AddWatchMode.PERSISTENT_RECURSIVE), ErrorCode.OK);

        table.fired(EventType.NODE_DATA_CHANGED, "/a");
        table.fired(EventType.NODE_CREATED, "/b");
        SetWatches2 p = only(table);
        assertThat(p.dataWatches()).isEmpty();
        assertThat(p.existWatches()).isEmpty();
        assertThat(p.childWatches()).containsExactly("/a");

        table.fired(EventType.NODE_DELETED, "/a");
        p = only(table);
        assertThat(p.childWatches()).isEmpty();
        assertThat(p.persistentRecursiveWatches()).containsExactly("/a");
    }

    @Test
    void removeWatchesDropsTheNamedKind() {
        WatchTable table = new WatchTable();
        table.afterReply(new ZkRequest.GetData("/a", true), ErrorCode.OK);
        table.afterReply(new ZkRequest.GetChildren("/a", true), ErrorCode.OK);
        table.afterReply(new ZkRequest.AddWatch("/a", AddWatchMode.PERSISTENT), ErrorCode.OK);

        table.afterReply(new ZkRequest.RemoveWatches("/a", WatcherType.CHILDREN), ErrorCode.OK);
        assertThat(only(table).childWatches()).isEmpty();
        assertThat(only(table).dataWatches()).containsExactly("/a");

        table.afterReply(new ZkRequest.RemoveWatches("/a", WatcherType.ANY), ErrorCode.NOWATCHER);
        assertThat(table.isEmpty()).isTrue();
    }

    @Test
    void splitsSetWatchesIntoPacketsOfAtMost128KiB() {
        WatchTable table = new WatchTable();
        String prefix = "/" + "x".repeat(995) + "/"; // 1000-byte paths, 1004 bytes on the wire
        for (int i = 0; i < 300; i++) {
            table.afterReply(new ZkRequest.GetData(prefix + String.format("%03d", i), true), ErrorCode.OK);
        }
        List<SetWatches2> packets = table.setWatches(1, Chroot.NONE);
        assertThat(packets).hasSize(3);
        int total = 0;
        for (SetWatches2 p : packets) {
            assertThat(p.dataWatches().size() * 1004).isLessThanOrEqualTo(WatchTable.MAX_BATCH_BYTES);
            total += p.dataWatches().size();
        }
        assertThat(total).isEqualTo(300);
    }

    private static Watcher watcher() {
        Object identity = new Object(); // captured, so that each call makes a consumer of its own
        return new WatchCallback(event -> identity.notify(), null);
    }

    @Test
    void eventsTriggerTheWatchersOfTheirKindOnceEach() {
        WatchTable table = new WatchTable();
        Watcher onData = watcher();
        Watcher onCreation = watcher();
        Watcher onChildren = watcher();
        table.afterReply(new ZkRequest.GetData("/a", true), ErrorCode.OK, onData);
        table.afterReply(new ZkRequest.Exists("/a", true), ErrorCode.OK, onData); // the same watcher again
        table.afterReply(new ZkRequest.Exists("/b", true), ErrorCode.NONODE, onCreation);
        table.afterReply(new ZkRequest.GetChildren("/a", true), ErrorCode.OK, onChildren);
        table.afterReply(new ZkRequest.GetData("/a", true), ErrorCode.OK); // a plain watch = true

        assertThat(table.fired(EventType.NODE_CHILDREN_CHANGED, "/a")).containsExactly(onChildren);
        assertThat(table.fired(EventType.NODE_DATA_CHANGED, "/a")).containsExactly(onData); // once, not twice
        assertThat(table.fired(EventType.NODE_DATA_CHANGED, "/a")).isEmpty(); // one-shot
        assertThat(table.fired(EventType.NODE_CREATED, "/b")).containsExactly(onCreation);
        assertThat(table.isEmpty()).isTrue();
    }

    @Test
    void deletionTriggersDataAndChildWatchersAWatcherOnBothOnce() {
        WatchTable table = new WatchTable();
        Watcher both = watcher();
        Watcher data = watcher();
        table.afterReply(new ZkRequest.GetData("/a", true), ErrorCode.OK, both);
        table.afterReply(new ZkRequest.GetChildren("/a", true), ErrorCode.OK, both);
        table.afterReply(new ZkRequest.Exists("/a", true), ErrorCode.OK, data);
        assertThat(table.fired(EventType.NODE_DELETED, "/a")).containsExactlyInAnyOrder(both, data);
        assertThat(table.isEmpty()).isTrue();
    }

    @Test
    void persistentWatchersHearTheirPathRecursiveOnesTheirSubtreeButNoChildEvents() {
        WatchTable table = new WatchTable();
        Watcher persistent = watcher();
        Watcher recursive = watcher();
        Watcher fromRoot = watcher();
        table.afterReply(new ZkRequest.AddWatch("/a", AddWatchMode.PERSISTENT), ErrorCode.OK, persistent);
        table.afterReply(new ZkRequest.AddWatch("/a", AddWatchMode.PERSISTENT_RECURSIVE), ErrorCode.OK, recursive);
        table.afterReply(new ZkRequest.AddWatch("/", AddWatchMode.PERSISTENT_RECURSIVE), ErrorCode.OK, fromRoot);

        assertThat(table.fired(EventType.NODE_DATA_CHANGED, "/a")).containsExactly(persistent, recursive, fromRoot);
        assertThat(table.fired(EventType.NODE_CHILDREN_CHANGED, "/a")).containsExactly(persistent);
        assertThat(table.fired(EventType.NODE_CREATED, "/a/b/c")).containsExactly(recursive, fromRoot);
        assertThat(table.fired(EventType.NODE_CREATED, "/ab")).containsExactly(fromRoot);
        assertThat(table.fired(EventType.NODE_DELETED, "/a")).containsExactly(persistent, recursive, fromRoot);
        assertThat(table.watchers()).containsExactlyInAnyOrder(persistent, recursive, fromRoot); // they stay
    }

    @Test
    void removingOneWatcherRemovesTheServerWatchOnlyWithItsLast() {
        WatchTable table = new WatchTable();
        Watcher first = watcher();
        Watcher second = watcher();
        table.afterReply(new ZkRequest.AddWatch("/a", AddWatchMode.PERSISTENT), ErrorCode.OK, first);
        table.afterReply(new ZkRequest.AddWatch("/a", AddWatchMode.PERSISTENT), ErrorCode.OK, second);

        assertThat(table.removeWatcher("/a", WatcherType.PERSISTENT_RECURSIVE, first)).isFalse(); // not that kind
        assertThat(table.removeWatcher("/a", WatcherType.PERSISTENT, first)).isFalse();
        assertThat(table.fired(EventType.NODE_DATA_CHANGED, "/a")).containsExactly(second);
        assertThat(table.removeWatcher("/a", WatcherType.PERSISTENT, second)).isTrue();
        assertThat(table.isEmpty()).isTrue();
        assertThat(table.removeWatcher("/a", WatcherType.PERSISTENT, second)).isFalse(); // already gone
    }

    @Test
    void removeWatchesTellsTheRemovedWatchersOnceEach() {
        WatchTable table = new WatchTable();
        Watcher data = watcher();
        Watcher stream = watcher();
        table.afterReply(new ZkRequest.GetData("/a", true), ErrorCode.OK, data);
        table.afterReply(new ZkRequest.Exists("/a", true), ErrorCode.OK, data);
        table.afterReply(new ZkRequest.GetData("/a", true), ErrorCode.OK); // a plain watch: nobody to tell
        table.afterReply(new ZkRequest.AddWatch("/a", AddWatchMode.PERSISTENT), ErrorCode.OK, stream);

        assertThat(table.afterReply(new ZkRequest.RemoveWatches("/a", WatcherType.ANY), ErrorCode.OK)).containsExactly(
            new WatchTable.Notice(data, new WatchEvent(EventType.DATA_WATCH_REMOVED, "/a", -1)),
            new WatchTable.Notice(stream, new WatchEvent(EventType.PERSISTENT_WATCH_REMOVED, "/a", -1)));
        assertThat(table.isEmpty()).isTrue();
    }
}
