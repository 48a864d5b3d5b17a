package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The bystander: an official ZooKeeper client session that must not notice anything while other
 * connections misbehave. It remembers every write the server acknowledged to it, and
 * {@link #assertHealthy} checks that it never lost its connection, still has its session, can
 * still write, and finds every acknowledged write with its data.
 */
final class HealthySession implements AutoCloseable {
    private static final String ROOT = "/healthy";

    private final ZooKeeper zk;
    private final long sessionId;
    private final List<WatchedEvent> stateChanges;
    private final Map<String, String> acknowledged = new LinkedHashMap<>();

    private HealthySession(ZooKeeper zk, List<WatchedEvent> stateChanges) {
        this.zk = zk;
        this.sessionId = zk.getSessionId();
        this.stateChanges = stateChanges;
    }

    static HealthySession connect(String connectString) throws Exception {
        List<WatchedEvent> events = new CopyOnWriteArrayList<>();
        ZooKeeper zk = ZkClients.connect(connectString, 10_000, e -> {
            if (e.getType() == Watcher.Event.EventType.None) {
                events.add(e);
            }
        });
        HealthySession s = new HealthySession(zk, events);
        try {
            zk.create(ROOT, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // a second bystander on the same server
        }
        return s;
    }

    ZooKeeper zk() {
        return zk;
    }

    long sessionId() {
        return sessionId;
    }

    /** Writes one more node (the write is acknowledged or the test fails) and remembers it. */
    synchronized String write(String note) throws Exception {
        String data = note + " @" + System.nanoTime();
        String path = zk.create(ROOT + "/n-", data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT_SEQUENTIAL);
        acknowledged.put(path, data);
        return path;
    }

    synchronized int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Connected all along, same session, can write, and every acknowledged write is there with its data. */
    void assertHealthy(String after) throws Exception {
        assertThat(stateChanges).as("connection state changes of the bystander session after %s", after)
            .allMatch(e -> e.getState() == Watcher.Event.KeeperState.SyncConnected);
        assertThat(zk.getState()).as("bystander state after %s", after).isEqualTo(ZooKeeper.States.CONNECTED);
        assertThat(zk.getSessionId()).as("bystander session after %s", after).isEqualTo(sessionId);
        write("after " + after);
        Map<String, String> expected;
        synchronized (this) {
            expected = new LinkedHashMap<>(acknowledged);
        }
        List<String> children = new ArrayList<>(zk.getChildren(ROOT, false));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(children).as("acknowledged write %s after %s", e.getKey(), after)
                .contains(e.getKey().substring(ROOT.length() + 1));
            assertThat(new String(zk.getData(e.getKey(), false, null), StandardCharsets.UTF_8))
                .as("data of %s after %s", e.getKey(), after).isEqualTo(e.getValue());
        }
    }

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
