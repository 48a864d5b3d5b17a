package io.paddock.tests.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.client.MultiResult;
import io.paddock.client.OpResult;
import io.paddock.client.WatchEvent;
import io.paddock.client.ZkClient;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Stat;
import io.paddock.tests.support.PaddockExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's newer ops, builders, typed failures and chroot against a Paddock server (the
 * client module runs the same against Apache ZooKeeper 3.9.5).
 */
class ClientOpsAgainstPaddockTest {
    private static final byte[] NO_DATA = new byte[0];
    private static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.standalone();
    static ActorSystem<Void> system;
    static ZkClient zk;

    @BeforeAll
    static void connect() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "client-ops");
        paddock.closeAfterAll(system::terminate);
        zk = connect(paddock.connectString());
        paddock.closeAfterAll(() -> zk.close().toCompletableFuture().join());
    }

    private static ZkClient connect(String connectString) throws Exception {
        return result(ZkClient.connect(system, connectString, Duration.ofSeconds(10)));
    }

    private static <T> T result(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void multiReadGetEphemeralsGetAllChildrenNumberAndCheckWatches() throws Exception {
        result(zk.create("/ops", "r".getBytes(UTF_8), OPEN, CreateMode.PERSISTENT));
        result(zk.create("/ops/e1", NO_DATA, OPEN, CreateMode.EPHEMERAL));
        result(zk.create("/ops/f1", NO_DATA, OPEN, CreateMode.EPHEMERAL));
        result(zk.create("/ops/p", NO_DATA, OPEN, CreateMode.PERSISTENT));
        result(zk.create("/ops/p/q", NO_DATA, OPEN, CreateMode.PERSISTENT));

        List<OpResult> read = result(zk.multiRead().getData("/ops").getChildren("/ops").getData("/none").execute());
        assertThat(((OpResult.DataRead) read.get(0)).data()).isEqualTo("r".getBytes(UTF_8));
        assertThat(((OpResult.ChildrenRead) read.get(1)).children()).containsExactlyInAnyOrder("e1", "f1", "p");
        assertThat(read.get(2)).isEqualTo(new OpResult.Error(ErrorCode.NONODE));

        assertThat(result(zk.getEphemerals())).containsExactlyInAnyOrder("/ops/e1", "/ops/f1");
        assertThat(result(zk.getEphemerals("/ops/e"))).containsExactly("/ops/e1");
        assertThat(result(zk.getAllChildrenNumber("/ops"))).isEqualTo(4);
        assertThatThrownBy(() -> result(zk.getAllChildrenNumber("/none"))).cause()
            .isInstanceOf(KeeperException.NoNodeException.class);

        result(zk.getData("/ops", true));
        result(zk.checkWatches("/ops", WatcherType.DATA));
        assertThatThrownBy(() -> result(zk.checkWatches("/ops", WatcherType.CHILDREN))).cause()
            .isInstanceOf(KeeperException.NoWatcherException.class);

        MultiResult failed = result(zk.transaction().create("/ops/t", NO_DATA, OPEN, CreateMode.PERSISTENT)
            .check("/ops", 5).commit());
        assertThat(failed.error()).isEqualTo(ErrorCode.BADVERSION);
        MultiResult done = result(zk.transaction().create("/ops/t", NO_DATA, OPEN, CreateMode.PERSISTENT)
            .setData("/ops", NO_DATA, 0).delete("/ops/t", 0).commit());
        assertThat(done.results()).containsExactly(new OpResult.Created("/ops/t", null),
            new OpResult.DataSet(((OpResult.DataSet) done.results().get(1)).stat()), new OpResult.Deleted());
    }

    @Test
    void aChrootAppliesToPathsOutAndIn() throws Exception {
        ZkClient jailed = connect(paddock.connectString() + "/jail");
        BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
        jailed.addWatchListener(events::add);
        try {
            assertThat(result(jailed.exists("/", false))).isNull(); // the chroot node need not exist
            assertThat(result(jailed.create("/", NO_DATA, OPEN, CreateMode.PERSISTENT)).path()).isEqualTo("/");
            String seq = result(jailed.create("/s-", NO_DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL)).path();
            assertThat(seq).startsWith("/s-");
            assertThat(result(zk.exists("/jail" + seq, false))).isNotNull();
            assertThat(result(jailed.getEphemerals())).containsExactly(seq);
            assertThat(result(jailed.getEphemerals("/s"))).containsExactly(seq);
            assertThat(result(jailed.transaction().create("/m", NO_DATA, OPEN, CreateMode.PERSISTENT).commit())
                .results()).containsExactly(new OpResult.Created("/m", null));
            assertThat(((OpResult.ChildrenRead) result(jailed.multiRead().getChildren("/").execute()).get(0))
                .children()).containsExactlyInAnyOrder(seq.substring(1), "m");
            assertThat(result(jailed.getAllChildrenNumber("/"))).isEqualTo(2);
            assertThat(result(jailed.sync("/m"))).isEqualTo("/m");

            result(jailed.addWatch("/m", AddWatchMode.PERSISTENT_RECURSIVE));
            result(jailed.checkWatches("/m", WatcherType.PERSISTENT_RECURSIVE));
            Stat changed = result(zk.setData("/jail/m", "x".getBytes(UTF_8), -1));
            assertThat(events.poll(5, TimeUnit.SECONDS))
                .isEqualTo(new WatchEvent(EventType.NODE_DATA_CHANGED, "/m", changed.mzxid()));
            result(jailed.removeWatches("/m", WatcherType.PERSISTENT_RECURSIVE));
        } finally {
            result(jailed.close());
        }
    }
}
