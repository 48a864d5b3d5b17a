package io.paddock.node.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.EventType;
import io.paddock.protocol.WatcherType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchManagerTest {
    record Event(EventType type, String path, long zxid) {
    }

    static final class Recorder implements Watcher {
        final List<Event> events = new ArrayList<>();

        @Override
        public void process(EventType type, String path, long zxid) {
            events.add(new Event(type, path, zxid));
        }
    }

    final WatchManager watches = new WatchManager();
    final Recorder a = new Recorder();
    final Recorder b = new Recorder();

    @Test
    void oneShotDataWatchFiresOnce() {
        watches.addDataWatch("/x", a);
        watches.trigger("/x", EventType.NODE_DATA_CHANGED, 5);
        watches.trigger("/x", EventType.NODE_DATA_CHANGED, 6);
        assertThat(a.events).containsExactly(new Event(EventType.NODE_DATA_CHANGED, "/x", 5));
        assertThat(watches.watchCount()).isZero();
    }

    @Test
    void childWatchFiresOnChildrenChangedAndOnDelete() {
        watches.addChildWatch("/p", a);
        watches.trigger("/p", EventType.NODE_CHILDREN_CHANGED, 1);
        watches.addChildWatch("/p", a);
        watches.trigger("/p", EventType.NODE_DATA_CHANGED, 2);
        watches.trigger("/p", EventType.NODE_DELETED, 3);
        assertThat(a.events).extracting(Event::type)
            .containsExactly(EventType.NODE_CHILDREN_CHANGED, EventType.NODE_DELETED);
    }

    @Test
    void deleteNotifiesAWatcherWithDataAndChildWatchOnce() {
        watches.addDataWatch("/x", a);
        watches.addChildWatch("/x", a);
        watches.trigger("/x", EventType.NODE_DELETED, 9);
        assertThat(a.events).hasSize(1);
    }

    @Test
    void persistentWatchStaysAndSeesChildChangesButRecursiveDoesNot() {
        watches.addPersistentWatch("/p", a, false);
        watches.addPersistentWatch("/p", b, true);
        watches.trigger("/p/c", EventType.NODE_CREATED, 1);
        watches.trigger("/p", EventType.NODE_CHILDREN_CHANGED, 1);
        watches.trigger("/p", EventType.NODE_DATA_CHANGED, 2);
        watches.trigger("/p/c/d", EventType.NODE_DELETED, 3);
        assertThat(a.events).extracting(Event::type)
            .containsExactly(EventType.NODE_CHILDREN_CHANGED, EventType.NODE_DATA_CHANGED);
        assertThat(b.events).extracting(Event::path).containsExactly("/p/c", "/p", "/p/c/d");
    }

    @Test
    void recursiveWatchOnRootSeesEverything() {
        watches.addPersistentWatch("/", a, true);
        watches.trigger("/a/b", EventType.NODE_CREATED, 1);
        assertThat(a.events).hasSize(1);
    }

    @Test
    void removeAndContainsByType() {
        watches.addDataWatch("/x", a);
        watches.addChildWatch("/x", a);
        assertThat(watches.contains("/x", WatcherType.DATA, a)).isTrue();
        assertThat(watches.contains("/x", WatcherType.DATA, b)).isFalse();
        assertThat(watches.remove("/x", WatcherType.CHILDREN, a)).isTrue();
        assertThat(watches.remove("/x", WatcherType.CHILDREN, a)).isFalse();
        assertThat(watches.contains("/x", WatcherType.ANY, a)).isTrue();
        assertThat(watches.remove("/x", WatcherType.ANY, a)).isTrue();
        assertThat(watches.watchCount()).isZero();
    }

    @Test
    void closedWatcherLosesEveryWatch() {
        watches.addDataWatch("/x", a);
        watches.addPersistentWatch("/", a, true);
        watches.addDataWatch("/x", b);
        watches.removeWatcher(a);
        watches.trigger("/x", EventType.NODE_DATA_CHANGED, 1);
        assertThat(a.events).isEmpty();
        assertThat(b.events).hasSize(1);
        assertThat(watches.watcherCount()).isZero();
    }
}
