package io.paddock.client;

import static io.paddock.client.Await.failure;
import static io.paddock.client.Await.result;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.Perms;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CompletionStage facade against Apache ZooKeeper 3.9.5. */
class ZkClientTest extends FacadeTestBase {
    private final BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void listen() {
        client.addWatchListener(events::add);
    }

    /**
     * Asserts that no other event is pending: a sentinel watch is fired after everything the
     * test did, and the server sends events in order, so the sentinel must come next.
     */
    private void assertNoOtherEvent() throws Exception {
        String sentinel = root + "/sentinel-" + System.nanoTime();
        result(client.exists(sentinel, true));
        CreateResult created = result(client.create(sentinel, NO_DATA, OPEN, CreateMode.PERSISTENT));
        assertThat(next(events)).isEqualTo(new WatchEvent(EventType.NODE_CREATED, sentinel, created.stat().czxid()));
    }

    @Test
    void connectsAndKeepsTheNegotiatedTimeout() throws Exception {
        assertThat(client.sessionId()).isNotZero();
        assertThat(client.negotiatedTimeout()).isEqualTo(TIMEOUT);

        ZkClient greedy = result(ZkClient.connect(testKit.system(), server.connectString(), Duration.ofMinutes(1)));
        try {
            // clamped to maxSessionTimeout, 20 ticks by default
            assertThat(greedy.negotiatedTimeout()).isEqualTo(Duration.ofMillis(20L * ReferenceServer.TICK_MS));
            assertThat(greedy.sessionId()).isNotEqualTo(client.sessionId());
        } finally {
            result(greedy.close());
        }
    }

    @Test
    void connectFailsWithConnectionLossWhenNoServerAnswers() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        assertThat(failure(ZkClient.connect(testKit.system(), "127.0.0.1:" + deadPort, Duration.ofMillis(500))))
            .isEqualTo(ErrorCode.CONNECTIONLOSS);
    }

    @Test
    void createsNodesOfEveryMode() throws Exception {
        CreateResult persistent = result(client.create(root + "/p", "v".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT));
        assertThat(persistent.path()).isEqualTo(root + "/p");
        assertThat(persistent.stat().ephemeralOwner()).isZero();
        assertThat(persistent.stat().dataLength()).isEqualTo(1);

        CreateResult ephemeral = result(client.create(root + "/e", NO_DATA, OPEN, CreateMode.EPHEMERAL));
        assertThat(ephemeral.stat().ephemeralOwner()).isEqualTo(client.sessionId());

        CreateResult seq1 = result(client.create(root + "/s-", NO_DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
        CreateResult seq2 = result(client.create(root + "/s-", NO_DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
        // the suffix counts the parent's child creations: p, e, then these two
        assertThat(seq1.path()).isEqualTo(root + "/s-0000000002");
        assertThat(seq2.path()).isEqualTo(root + "/s-0000000003");

        CreateResult container = result(client.create(root + "/c", NO_DATA, OPEN, CreateMode.CONTAINER));
        assertThat(container.path()).isEqualTo(root + "/c");
        assertThat(container.stat().ephemeralOwner()).isZero();

        CreateResult ttl = result(client.create(root + "/t", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, 60_000));
        assertThat(ttl.path()).isEqualTo(root + "/t");
        assertThat(failure(client.create(root + "/t0", NO_DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, 0)))
            .isEqualTo(ErrorCode.BADARGUMENTS);

        assertThat(result(client.getChildren(root, false)).children())
            .containsExactlyInAnyOrder("p", "e", "s-0000000002", "s-0000000003", "c", "t");
    }

    @Test
    void createErrorsCarryZooKeepersCodes() throws Exception {
        result(client.create(root + "/a", NO_DATA, OPEN, CreateMode.EPHEMERAL));
        assertThat(failure(client.create(root + "/a", NO_DATA, OPEN, CreateMode.PERSISTENT)))
            .isEqualTo(ErrorCode.NODEEXISTS);
        assertThat(failure(client.create(root + "/missing/b", NO_DATA, OPEN, CreateMode.PERSISTENT)))
            .isEqualTo(ErrorCode.NONODE);
        assertThat(failure(client.create(root + "/a/b", NO_DATA, OPEN, CreateMode.PERSISTENT)))
            .isEqualTo(ErrorCode.NOCHILDRENFOREPHEMERALS);
        assertThat(failure(client.create(root + "/.", NO_DATA, OPEN, CreateMode.PERSISTENT)))
            .isEqualTo(ErrorCode.BADARGUMENTS);
    }

    @Test
    void failuresAreCompletionExceptionsAroundKeeperExceptions() {
        Throwable thrown = client.getData(root + "/none", false).toCompletableFuture()
            .handle((value, error) -> error).join();
        assertThat(thrown).isInstanceOf(CompletionException.class);
        assertThat(thrown.getCause()).isInstanceOf(KeeperException.class)
            .hasMessageContaining("NONODE").hasMessageContaining(root + "/none");
    }

    @Test
    void dataFollowsVersions() throws Exception {
        String path = root + "/v";
        result(client.create(path, "one".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT));
        DataResult first = result(client.getData(path, false));
        assertThat(new String(first.data(), UTF_8)).isEqualTo("one");
        assertThat(first.stat().version()).isZero();

        Stat afterSet = result(client.setData(path, "two".getBytes(UTF_8), 0));
        assertThat(afterSet.version()).isEqualTo(1);
        assertThat(failure(client.setData(path, "three".getBytes(UTF_8), 0))).isEqualTo(ErrorCode.BADVERSION);
        assertThat(result(client.setData(path, "any".getBytes(UTF_8), -1)).version()).isEqualTo(2);

        DataResult last = result(client.getData(path, false));
        assertThat(new String(last.data(), UTF_8)).isEqualTo("any");
        assertThat(failure(client.getData(root + "/none", false))).isEqualTo(ErrorCode.NONODE);
        assertThat(failure(client.setData(root + "/none", NO_DATA, -1))).isEqualTo(ErrorCode.NONODE);
    }

    @Test
    void deleteChecksVersionThenChildren() throws Exception {
        result(client.create(root + "/d", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.create(root + "/d/child", NO_DATA, OPEN, CreateMode.PERSISTENT));
        assertThat(failure(client.delete(root + "/d", 5))).isEqualTo(ErrorCode.BADVERSION);
        assertThat(failure(client.delete(root + "/d", 0))).isEqualTo(ErrorCode.NOTEMPTY);
        result(client.delete(root + "/d/child", 0));
        result(client.delete(root + "/d", -1));
        assertThat(result(client.exists(root + "/d", false))).isNull();
        assertThat(failure(client.delete(root + "/d", -1))).isEqualTo(ErrorCode.NONODE);
    }

    @Test
    void existsAndGetChildrenReportStats() throws Exception {
        assertThat(result(client.exists(root + "/nothing", false))).isNull();
        result(client.create(root + "/x", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.create(root + "/y", NO_DATA, OPEN, CreateMode.PERSISTENT));
        ChildrenResult children = result(client.getChildren(root, false));
        assertThat(children.children()).containsExactlyInAnyOrder("x", "y");
        assertThat(children.stat().numChildren()).isEqualTo(2);
        assertThat(children.stat().cversion()).isEqualTo(2);
        assertThat(result(client.exists(root, false))).isEqualTo(children.stat());
        assertThat(failure(client.getChildren(root + "/nothing", false))).isEqualTo(ErrorCode.NONODE);
    }

    @Test
    void multiCommitsEveryOpAtOneZxid() throws Exception {
        result(client.create(root + "/old", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.create(root + "/keep", NO_DATA, OPEN, CreateMode.PERSISTENT));
        MultiResult multi = result(client.multi(List.of(
            Op.create(root + "/new", "n".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT),
            Op.create(root + "/box", NO_DATA, OPEN, CreateMode.CONTAINER),
            Op.check(root + "/keep", 0),
            Op.setData(root + "/keep", "k".getBytes(UTF_8), 0),
            Op.delete(root + "/old", 0))));

        assertThat(multi.committed()).isTrue();
        assertThat(multi.error()).isEqualTo(ErrorCode.OK);
        List<OpResult> r = multi.results();
        assertThat(r).hasSize(5);
        assertThat(r.get(0)).isEqualTo(new OpResult.Created(root + "/new", null));
        assertThat(((OpResult.Created) r.get(1)).stat()).isNotNull(); // containers report a stat
        assertThat(r.get(2)).isEqualTo(new OpResult.Checked());
        Stat keep = ((OpResult.DataSet) r.get(3)).stat();
        assertThat(keep.version()).isEqualTo(1);
        assertThat(r.get(4)).isEqualTo(new OpResult.Deleted());
        assertThat(result(client.exists(root + "/new", false)).czxid()).isEqualTo(keep.mzxid());
        assertThat(result(client.exists(root + "/old", false))).isNull();
    }

    @Test
    void failedMultiRollsBackAndReportsEveryOp() throws Exception {
        result(client.create(root + "/a", NO_DATA, OPEN, CreateMode.PERSISTENT));
        MultiResult multi = result(client.multi(List.of(
            Op.create(root + "/b", NO_DATA, OPEN, CreateMode.PERSISTENT),
            Op.setData(root + "/a", NO_DATA, 7),
            Op.delete(root + "/a", -1))));

        assertThat(multi.committed()).isFalse();
        assertThat(multi.error()).isEqualTo(ErrorCode.BADVERSION);
        assertThat(multi.results()).containsExactly(new OpResult.Error(ErrorCode.OK),
            new OpResult.Error(ErrorCode.BADVERSION), new OpResult.Error(ErrorCode.RUNTIMEINCONSISTENCY));
        assertThat(result(client.exists(root + "/b", false))).isNull();
        assertThat(result(client.exists(root + "/a", false))).isNotNull();
    }

    @Test
    void dataWatchFiresOnce() throws Exception {
        String path = root + "/w";
        result(client.create(path, NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.getData(path, true));
        Stat changed = result(client.setData(path, "1".getBytes(UTF_8), -1));
        result(client.setData(path, "2".getBytes(UTF_8), -1));

        assertThat(next(events)).isEqualTo(new WatchEvent(EventType.NODE_DATA_CHANGED, path, changed.mzxid()));
        assertNoOtherEvent();
    }

    @Test
    void childWatchFiresOnceAndExistsWatchSeesCreationThenDeletion() throws Exception {
        String child = root + "/kid";
        result(client.getChildren(root, true));
        assertThat(result(client.exists(child, true))).isNull();
        result(client.create(child, NO_DATA, OPEN, CreateMode.PERSISTENT));

        // one create, two watches: the exists watch on the child and the child watch on the parent
        List<WatchEvent> fired = List.of(next(events), next(events));
        assertThat(fired).extracting(WatchEvent::type, WatchEvent::path).containsExactlyInAnyOrder(
            tuple(EventType.NODE_CREATED, child),
            tuple(EventType.NODE_CHILDREN_CHANGED, root));

        result(client.exists(child, true));
        result(client.delete(child, -1));
        assertThat(next(events)).extracting(WatchEvent::type, WatchEvent::path).containsExactly(EventType.NODE_DELETED, child);
        assertNoOtherEvent();
    }

    @Test
    void persistentRecursiveWatchSeesEveryChangeBelow() throws Exception {
        result(client.addWatch(root, AddWatchMode.PERSISTENT_RECURSIVE));
        result(client.create(root + "/a", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.create(root + "/a/b", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(client.setData(root + "/a/b", "x".getBytes(UTF_8), -1));
        result(client.setData(root + "/a/b", "y".getBytes(UTF_8), -1));
        result(client.delete(root + "/a/b", -1));

        assertThat(List.of(next(events), next(events), next(events), next(events), next(events)))
            .extracting(WatchEvent::type, WatchEvent::path).containsExactly(
                tuple(EventType.NODE_CREATED, root + "/a"),
                tuple(EventType.NODE_CREATED, root + "/a/b"),
                tuple(EventType.NODE_DATA_CHANGED, root + "/a/b"),
                tuple(EventType.NODE_DATA_CHANGED, root + "/a/b"),
                tuple(EventType.NODE_DELETED, root + "/a/b"));

        result(client.removeWatches(root, WatcherType.PERSISTENT_RECURSIVE));
        result(client.create(root + "/quiet", NO_DATA, OPEN, CreateMode.PERSISTENT));
        assertNoOtherEvent();
        assertThat(failure(client.removeWatches(root, WatcherType.PERSISTENT_RECURSIVE))).isEqualTo(ErrorCode.NOWATCHER);
    }

    @Test
    void watchEventsAlsoReachSubscribedActors() throws Exception {
        TestProbe<WatchEvent> probe = testKit.createTestProbe();
        client.subscribeWatches(probe.getRef());
        result(client.exists(root + "/n", true));
        CreateResult created = result(client.create(root + "/n", NO_DATA, OPEN, CreateMode.PERSISTENT));
        probe.expectMessage(new WatchEvent(EventType.NODE_CREATED, root + "/n", created.stat().czxid()));

        client.unsubscribeWatches(probe.getRef());
        result(client.exists(root + "/n2", true));
        result(client.create(root + "/n2", NO_DATA, OPEN, CreateMode.PERSISTENT));
        assertThat(next(events).path()).isEqualTo(root + "/n"); // the listener saw both, in order
        assertThat(next(events).path()).isEqualTo(root + "/n2");
        probe.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void authenticatesAndTellsWhoItIs() throws Exception {
        assertThat(result(client.whoAmI())).containsExactly(new ClientInfo("ip", "127.0.0.1"));
        result(client.addAuth("digest", "alice:secret".getBytes(UTF_8)));
        assertThat(result(client.whoAmI())).contains(new ClientInfo("digest", "alice"));

        List<Acl> creatorOnly = List.of(new Acl(Perms.ALL, new Id("auth", "")));
        result(client.create(root + "/private", "s".getBytes(UTF_8), creatorOnly, CreateMode.PERSISTENT));
        AclResult acl = result(client.getAcl(root + "/private"));
        assertThat(acl.acl()).hasSize(1);
        assertThat(acl.acl().get(0).id().scheme()).isEqualTo("digest");
        assertThat(acl.acl().get(0).id().id()).startsWith("alice:");

        ZkClient stranger = connect(server.connectString());
        try {
            assertThat(failure(stranger.getData(root + "/private", false))).isEqualTo(ErrorCode.NOAUTH);
        } finally {
            result(stranger.close());
        }
        assertThat(result(client.getData(root + "/private", false)).data()).isEqualTo("s".getBytes(UTF_8));
    }

    @Test
    void setAclChangesAccessAndBumpsTheAclVersion() throws Exception {
        result(client.create(root + "/n", NO_DATA, OPEN, CreateMode.PERSISTENT));
        Stat stat = result(client.setAcl(root + "/n", Acl.READ_ACL_UNSAFE, 0));
        assertThat(stat.aversion()).isEqualTo(1);
        assertThat(failure(client.setAcl(root + "/n", OPEN, 0))).isEqualTo(ErrorCode.NOAUTH);
        assertThat(failure(client.setData(root + "/n", NO_DATA, -1))).isEqualTo(ErrorCode.NOAUTH);
        assertThat(result(client.getAcl(root + "/n")).acl()).isEqualTo(Acl.READ_ACL_UNSAFE);
    }

    @Test
    void syncAnswersWithThePath() throws Exception {
        assertThat(result(client.sync(root))).isEqualTo(root);
    }

    @Test
    void closingEndsTheSessionAndItsEphemerals() throws Exception {
        ZkClient owner = connect(server.connectString());
        result(owner.create(root + "/eph", NO_DATA, OPEN, CreateMode.EPHEMERAL));

        result(owner.close());
        // closeSession is a write: once it is answered, the ephemerals are gone
        assertThat(result(client.exists(root + "/eph", false))).isNull();
        assertThat(failure(owner.getData(root, false))).isEqualTo(ErrorCode.SESSIONEXPIRED);
        result(owner.close()); // closing twice is harmless
    }
}
