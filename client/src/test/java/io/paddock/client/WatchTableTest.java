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
}
