package io.paddock.client;

import static io.paddock.client.Await.failure;
import static io.paddock.client.Await.result;
import static io.paddock.client.Await.thrown;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Stat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ops beyond the basics, the builders, chroot, typed failures and the settings, against Apache ZooKeeper 3.9.5. */
class ZkClientOpsTest extends FacadeTestBase {
    @Test
    void multiReadAnswersEachReadOnItsOwnAndLeavesNoWatch() throws Exception {
        Stat a = result(client.create(root + "/a", "x".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT)).stat();
        result(client.create(root + "/a/c", NO_DATA, OPEN, CreateMode.PERSISTENT));

        List<OpResult> results = result(client.multiRead().getData(root + "/a").getChildren(root + "/a")
            .getData(root + "/none").getChildren(root + "/none").execute());

        assertThat(results).hasSize(4);
        OpResult.DataRead data = (OpResult.DataRead) results.get(0);
        assertThat(data.data()).isEqualTo("x".getBytes(UTF_8));
        assertThat(data.stat().czxid()).isEqualTo(a.czxid());
        assertThat(data.stat().numChildren()).isEqualTo(1);
        assertThat(results.get(1)).isEqualTo(new OpResult.ChildrenRead(List.of("c")));
        assertThat(results.subList(2, 4)).containsExactly(new OpResult.Error(ErrorCode.NONODE),
            new OpResult.Error(ErrorCode.NONODE));
        assertThat(failure(client.checkWatches(root + "/a", WatcherType.ANY))).isEqualTo(ErrorCode.NOWATCHER);
        assertThat(result(client.multiRead(List.of()))).isEmpty();
    }

    /**
     * A caller's argument that cannot be encoded (a null in an ACL list) fails its own request with
     * BADARGUMENTS; it used to stop the session actor, after which every request of the client
     * timed out.
     */
    @Test
    void aRequestThatCannotBeEncodedFailsAloneAndTheSessionGoesOn() throws Exception {
        List<Acl> broken = new ArrayList<>();
        broken.add(null);
        assertThat(failure(client.create(root + "/bad", NO_DATA, broken, CreateMode.PERSISTENT)))
            .isEqualTo(ErrorCode.BADARGUMENTS);
        assertThat(result(client.create(root + "/good", NO_DATA, OPEN, CreateMode.PERSISTENT)).path())
            .isEqualTo(root + "/good");
    }

    @Test
    void getEphemeralsListsTheSessionsOwnWithAndWithoutAPrefix() throws Exception {
        result(client.create(root + "/e1", NO_DATA, OPEN, CreateMode.EPHEMERAL));
        result(client.create(root + "/f1", NO_DATA, OPEN, CreateMode.EPHEMERAL));
        result(client.create(root + "/e2", NO_DATA, OPEN, CreateMode.PERSISTENT));
        ZkClient other = connect(server.connectString());
        try {
            result(other.create(root + "/e3", NO_DATA, OPEN, CreateMode.EPHEMERAL));
            assertThat(result(client.getEphemerals())).containsExactlyInAnyOrder(root + "/e1", root + "/f1");
            assertThat(result(client.getEphemerals(root + "/e"))).containsExactly(root + "/e1");
            assertThat(result(client.getEphemerals("/no-such-prefix"))).isEmpty();
            assertThat(result(other.getEphemerals("/"))).containsExactly(root + "/e3");
        } finally {
            result(other.close());
        }
    }

    @Test
    void getAllChildrenNumberCountsTheWholeSubtree() throws Exception {
        result(client.create(root + "/a", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.create(root + "/a/b", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.create(root + "/c", NO_DATA, OPEN, CreateMode.EPHEMERAL));
        assertThat(result(client.getAllChildrenNumber(root))).isEqualTo(3);
        assertThat(result(client.getAllChildrenNumber(root + "/c"))).isZero();
        assertThat(thrown(client.getAllChildrenNumber(root + "/none"))).isInstanceOf(KeeperException.NoNodeException.class);
    }

    @Test
    void checkWatchesTellsWhichWatchesTheSessionHas() throws Exception {
        result(client.getData(root, true));
        result(client.addWatch(root + "/p", AddWatchMode.PERSISTENT_RECURSIVE));
        result(client.checkWatches(root, WatcherType.DATA));
        result(client.checkWatches(root, WatcherType.ANY));
        result(client.checkWatches(root + "/p", WatcherType.PERSISTENT_RECURSIVE));
        assertThat(thrown(client.checkWatches(root, WatcherType.CHILDREN)))
            .isInstanceOf(KeeperException.NoWatcherException.class);
        // checking leaves the watch in place
        result(client.checkWatches(root, WatcherType.DATA));
    }

    @Test
    void aTransactionCommitsAllOrNothing() throws Exception {
        MultiResult done = result(client.transaction()
            .create(root + "/t", "a".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT)
            .setData(root + "/t", "b".getBytes(UTF_8), 0)
            .check(root + "/t", 1)
            .create(root + "/u", NO_DATA, OPEN, CreateMode.PERSISTENT)
            .delete(root + "/u", 0)
            .commit());
        assertThat(done.committed()).isTrue();
        assertThat(done.results()).hasSize(5);
        assertThat(done.results().get(0)).isEqualTo(new OpResult.Created(root + "/t", null));
        assertThat(((OpResult.DataSet) done.results().get(1)).stat().version()).isEqualTo(1);
        assertThat(done.results().subList(2, 5)).containsExactly(new OpResult.Checked(),
            new OpResult.Created(root + "/u", null), new OpResult.Deleted());

        MultiResult failed = result(client.transaction()
            .create(root + "/v", NO_DATA, OPEN, CreateMode.PERSISTENT)
            .check(root + "/t", 0)
            .commit());
        assertThat(failed.committed()).isFalse();
        assertThat(failed.error()).isEqualTo(ErrorCode.BADVERSION);
        assertThat(result(client.exists(root + "/v", false))).isNull();
    }

    @Test
    void failuresAreTheSubclassOfTheirCode() throws Exception {
        assertThat(thrown(client.getData(root + "/none", false))).isInstanceOf(KeeperException.NoNodeException.class)
            .hasMessage("NONODE for " + root + "/none");
        assertThat(thrown(client.create(root, NO_DATA, OPEN, CreateMode.PERSISTENT)))
            .isInstanceOf(KeeperException.NodeExistsException.class);
        assertThat(thrown(client.setData(root, NO_DATA, 7))).isInstanceOf(KeeperException.BadVersionException.class);
        result(client.create(root + "/child", NO_DATA, OPEN, CreateMode.PERSISTENT));
        assertThat(thrown(client.delete(root, -1))).isInstanceOf(KeeperException.NotEmptyException.class);
    }

    @Test
    void aChrootAppliesToEveryPathOutAndIn() throws Exception {
        String jail = root + "/jail";
        try (TcpProxy proxy = TcpProxy.start(server.port())) {
            ZkClient jailed = connect(proxy.address() + jail); // the chroot node need not exist yet
            BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
            jailed.addWatchListener(events::add);
            BlockingQueue<SessionEvent> states = new LinkedBlockingQueue<>();
            jailed.addSessionListener(states::add);
            try {
                assertThat(result(jailed.exists("/", true))).isNull();
                assertThat(result(jailed.create("/", NO_DATA, OPEN, CreateMode.PERSISTENT)).path()).isEqualTo("/");
                assertThat(next(events).path()).isEqualTo("/"); // NODE_CREATED of the chroot node
                assertThat(result(client.exists(jail, false))).isNotNull();

                CreateResult seq = result(jailed.create("/s-", NO_DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
                assertThat(seq.path()).startsWith("/s-").hasSize(13);
                assertThat(result(client.exists(jail + seq.path(), false))).isNotNull();
                assertThat(result(jailed.getEphemerals())).containsExactly(seq.path());
                assertThat(result(jailed.getEphemerals("/s"))).containsExactly(seq.path());

                MultiResult multi = result(jailed.transaction().create("/m", NO_DATA, OPEN, CreateMode.PERSISTENT)
                    .check("/m", 0).setData("/", "j".getBytes(UTF_8), -1).commit());
                assertThat(multi.results().get(0)).isEqualTo(new OpResult.Created("/m", null));
                List<OpResult> read = result(jailed.multiRead().getData("/").getChildren("/").execute());
                assertThat(((OpResult.DataRead) read.get(0)).data()).isEqualTo("j".getBytes(UTF_8));
                assertThat(((OpResult.ChildrenRead) read.get(1)).children())
                    .containsExactlyInAnyOrder(seq.path().substring(1), "m");
                assertThat(result(jailed.getAllChildrenNumber("/"))).isEqualTo(2);
                assertThat(result(jailed.sync("/m"))).isEqualTo("/m");

                // watches, set again on a new connection with their server paths
                result(jailed.getData("/m", true));
                result(jailed.getChildren("/", true));
                result(jailed.addWatch("/r", AddWatchMode.PERSISTENT_RECURSIVE));
                result(jailed.checkWatches("/m", WatcherType.DATA));
                proxy.dropAll();
                Await.until("the session to reconnect", () -> states.stream()
                    .anyMatch(s -> s.state() == SessionEvent.State.RECONNECTED));
                result(jailed.sync("/")); // after SetWatches2 on the same connection, so the watches are set
                Stat changed = result(client.setData(jail + "/m", "x".getBytes(UTF_8), -1));
                assertThat(next(events)).isEqualTo(new WatchEvent(EventType.NODE_DATA_CHANGED, "/m", changed.mzxid()));
                Stat r = result(client.create(jail + "/r", NO_DATA, OPEN, CreateMode.PERSISTENT)).stat();
                assertThat(List.of(next(events), next(events))).containsExactlyInAnyOrder(
                    new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/", r.czxid()),
                    new WatchEvent(EventType.NODE_CREATED, "/r", r.czxid()));
                result(jailed.removeWatches("/r", WatcherType.PERSISTENT_RECURSIVE));
            } finally {
                result(jailed.close());
            }
        }
    }

    @Test
    void aReplyAboveJuteMaxBufferDropsTheConnection() throws Exception {
        result(client.create(root + "/big", new byte[100_000], OPEN, CreateMode.PERSISTENT));
        ZkClientSettings small = ZkClientSettings.create(testKit.system()).withSessionTimeout(TIMEOUT)
            .withJuteMaxBuffer(10_000);
        ZkClient limited = result(ZkClient.connect(testKit.system(), server.connectString(), small));
        BlockingQueue<SessionEvent> states = new LinkedBlockingQueue<>();
        limited.addSessionListener(states::add);
        try {
            assertThat(failure(limited.getData(root + "/big", false))).isEqualTo(ErrorCode.CONNECTIONLOSS);
            assertThat(states.poll(10, TimeUnit.SECONDS).state()).isEqualTo(SessionEvent.State.DISCONNECTED);
            assertThat(result(limited.exists(root + "/big", false)).dataLength()).isEqualTo(100_000);
        } finally {
            result(limited.close());
        }
    }
}
