package io.paddock.tests.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.tests.support.PaddockExtension;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CheckVersionRequest;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.SetDataResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every data operation of the official ZooKeeper 3.9.5 client against one in-process Paddock server. */
class ZooKeeperClientOpsTest {
    private static final byte[] DATA = "data".getBytes(StandardCharsets.UTF_8);
    private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.withConfig(Map.of("extendedTypesEnabled", "true"));
    static ZooKeeper zk;

    @BeforeAll
    static void connect() throws Exception {
        zk = paddock.newClient();
    }

    @Test
    void everyCreateModeWithItsCreate2Stat() throws Exception {
        Stat parent = new Stat();
        zk.create("/modes", DATA, OPEN, CreateMode.PERSISTENT, parent);
        assertThat(parent.getCzxid()).isPositive().isEqualTo(parent.getMzxid()).isEqualTo(parent.getPzxid());
        assertThat(parent.getCtime()).isPositive().isEqualTo(parent.getMtime());
        assertThat(List.of(parent.getVersion(), parent.getCversion(), parent.getAversion(), parent.getNumChildren()))
            .containsOnly(0);
        assertThat(parent.getEphemeralOwner()).isZero();
        assertThat(parent.getDataLength()).isEqualTo(DATA.length);
        assertThat(zk.exists("/modes", false)).isEqualTo(parent);

        Stat eph = new Stat();
        zk.create("/modes/eph", DATA, OPEN, CreateMode.EPHEMERAL, eph);
        assertThat(eph.getEphemeralOwner()).isEqualTo(zk.getSessionId());
        assertThat(eph.getCzxid()).isGreaterThan(parent.getCzxid());

        String seq = zk.create("/modes/seq-", DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL);
        assertThat(seq).matches("/modes/seq-\\d{10}").isEqualTo("/modes/seq-0000000001");
        Stat ephSeq = new Stat();
        String ephSeqPath = zk.create("/modes/eseq-", DATA, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL, ephSeq);
        assertThat(ephSeqPath).isEqualTo("/modes/eseq-0000000002");
        assertThat(ephSeq.getEphemeralOwner()).isEqualTo(zk.getSessionId());

        Stat container = new Stat();
        zk.create("/modes/container", DATA, OPEN, CreateMode.CONTAINER, container);
        assertThat(container.getEphemeralOwner()).as("containers show no owner").isZero();
        Stat ttl = new Stat();
        zk.create("/modes/ttl", DATA, OPEN, CreateMode.PERSISTENT_WITH_TTL, ttl, 60_000);
        assertThat(ttl.getEphemeralOwner()).as("TTL nodes show no owner").isZero();
        assertThat(zk.create("/modes/ttl-", DATA, OPEN, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, new Stat(), 60_000))
            .isEqualTo("/modes/ttl-0000000005");

        Stat after = zk.exists("/modes", false);
        assertThat(after.getNumChildren()).isEqualTo(6);
        assertThat(after.getCversion()).isEqualTo(6);
        assertThat(after.getPzxid()).isEqualTo(zk.exists("/modes/ttl-0000000005", false).getCzxid());
        assertThat(after.getMzxid()).as("children do not change the parent's mzxid").isEqualTo(parent.getMzxid());
        assertThatThrownBy(() -> zk.create("/modes/eph/child", DATA, OPEN, CreateMode.PERSISTENT))
            .isInstanceOf(KeeperException.NoChildrenForEphemeralsException.class);
        assertThatThrownBy(() -> zk.create("/modes", DATA, OPEN, CreateMode.PERSISTENT))
            .isInstanceOf(KeeperException.NodeExistsException.class);
        assertThatThrownBy(() -> zk.create("/nowhere/x", DATA, OPEN, CreateMode.PERSISTENT))
            .isInstanceOf(KeeperException.NoNodeException.class);
    }

    @Test
    void deleteExistsGetDataAndSetDataWithVersions() throws Exception {
        zk.create("/rw", DATA, OPEN, CreateMode.PERSISTENT);
        zk.create("/rw/child", DATA, OPEN, CreateMode.PERSISTENT);
        Stat read = new Stat();
        assertThat(zk.getData("/rw", false, read)).isEqualTo(DATA);
        Stat written = zk.setData("/rw", "new".getBytes(StandardCharsets.UTF_8), read.getVersion());
        assertThat(written.getVersion()).isEqualTo(1);
        assertThat(written.getDataLength()).isEqualTo(3);
        assertThat(written.getMzxid()).isGreaterThan(read.getMzxid());
        assertThat(written.getCzxid()).isEqualTo(read.getCzxid());
        assertThatThrownBy(() -> zk.setData("/rw", DATA, 0)).isInstanceOf(KeeperException.BadVersionException.class);
        assertThatThrownBy(() -> zk.delete("/rw", 0)).as("the version is checked before emptiness")
            .isInstanceOf(KeeperException.BadVersionException.class);
        assertThatThrownBy(() -> zk.delete("/rw", 1)).isInstanceOf(KeeperException.NotEmptyException.class);
        zk.delete("/rw/child", 0);
        zk.delete("/rw", 1);
        assertThat(zk.exists("/rw", false)).isNull();
        assertThatThrownBy(() -> zk.delete("/rw", -1)).isInstanceOf(KeeperException.NoNodeException.class);
        assertThatThrownBy(() -> zk.setData("/rw", DATA, -1)).isInstanceOf(KeeperException.NoNodeException.class);
        assertThatThrownBy(() -> zk.getData("/rw", false, null)).isInstanceOf(KeeperException.NoNodeException.class);
    }

    @Test
    void getAclAndSetAclWithTheAclVersion() throws Exception {
        zk.create("/acl", DATA, OPEN, CreateMode.PERSISTENT);
        Stat st = new Stat();
        assertThat(zk.getACL("/acl", st)).isEqualTo(OPEN);
        assertThat(st.getAversion()).isZero();
        List<ACL> readOnly = new ArrayList<>(ZooDefs.Ids.READ_ACL_UNSAFE);
        readOnly.add(new ACL(ZooDefs.Perms.ADMIN, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        Stat changed = zk.setACL("/acl", readOnly, 0);
        assertThat(changed.getAversion()).isEqualTo(1);
        assertThat(changed.getMzxid()).as("setACL leaves mzxid alone").isEqualTo(st.getMzxid());
        assertThat(zk.getACL("/acl", new Stat())).isEqualTo(readOnly);
        assertThatThrownBy(() -> zk.setACL("/acl", OPEN, 0)).isInstanceOf(KeeperException.BadVersionException.class);
        assertThatThrownBy(() -> zk.setData("/acl", DATA, -1)).isInstanceOf(KeeperException.NoAuthException.class);
    }

    @Test
    void getChildrenAndGetChildren2() throws Exception {
        zk.create("/kids", DATA, OPEN, CreateMode.PERSISTENT);
        for (String k : List.of("a", "b", "c")) {
            zk.create("/kids/" + k, DATA, OPEN, CreateMode.PERSISTENT);
        }
        assertThat(zk.getChildren("/kids", false)).containsExactlyInAnyOrder("a", "b", "c");
        Stat st = new Stat();
        assertThat(zk.getChildren("/kids", false, st)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(st.getNumChildren()).isEqualTo(3);
        assertThat(st.getCversion()).isEqualTo(3);
        assertThat(zk.getChildren("/kids/a", false)).isEmpty();
        assertThatThrownBy(() -> zk.getChildren("/nokids", false)).isInstanceOf(KeeperException.NoNodeException.class);
    }

    /**
     * A standalone check (opcode 13), which the Java client only sends inside a multi, is
     * answered with the node's stat. Apache ZooKeeper 3.9.5 answers it UNIMPLEMENTED and drops
     * the connection; Paddock supports it, as the issue asks of every op.
     */
    @Test
    void standaloneCheckRepliesWithTheStat() throws Exception {
        zk.create("/checked", DATA, OPEN, CreateMode.PERSISTENT);
        zk.setData("/checked", DATA, 0);
        try (RawZooKeeper raw = new RawZooKeeper(paddock.connectString(), 10_000, e -> { })) {
            SetDataResponse rsp = new SetDataResponse();
            ReplyHeader ok = raw.submit(OpCode.check, new CheckVersionRequest("/checked", 1), rsp);
            assertThat(ok.getErr()).isZero();
            assertThat(rsp.getStat()).isEqualTo(zk.exists("/checked", false));
            assertThat(raw.submit(OpCode.check, new CheckVersionRequest("/checked", 0), new SetDataResponse()).getErr())
                .isEqualTo(KeeperException.Code.BADVERSION.intValue());
            assertThat(raw.submit(OpCode.check, new CheckVersionRequest("/unchecked", -1), new SetDataResponse()).getErr())
                .isEqualTo(KeeperException.Code.NONODE.intValue());
            assertThat(raw.getState().isConnected()).isTrue();
        }
    }

    @Test
    void successfulMultiAppliesEveryOpWithOneZxid() throws Exception {
        List<OpResult> results = zk.multi(List.of(
            Op.create("/multi", DATA, OPEN, CreateMode.PERSISTENT),
            Op.create("/multi/a", DATA, OPEN, CreateMode.PERSISTENT),
            Op.create("/multi/c", DATA, OPEN, CreateMode.CONTAINER),
            Op.setData("/multi", DATA, 0),
            Op.check("/multi", 1),
            Op.delete("/multi/a", 0)));
        assertThat(results).hasSize(6);
        assertThat(((OpResult.CreateResult) results.get(0)).getPath()).isEqualTo("/multi");
        assertThat(((OpResult.CreateResult) results.get(0)).getStat()).as("a plain create in a multi has no stat").isNull();
        Stat containerStat = ((OpResult.CreateResult) results.get(2)).getStat();
        assertThat(containerStat).as("a container create in a multi has a stat").isNotNull();
        Stat set = ((OpResult.SetDataResult) results.get(3)).getStat();
        assertThat(set.getVersion()).isEqualTo(1);
        assertThat(results.get(4)).isInstanceOf(OpResult.CheckResult.class);
        assertThat(results.get(5)).isInstanceOf(OpResult.DeleteResult.class);
        Stat multi = zk.exists("/multi", false);
        assertThat(multi.getCzxid()).isEqualTo(multi.getMzxid()).isEqualTo(containerStat.getCzxid())
            .isEqualTo(set.getMzxid()).isEqualTo(multi.getPzxid());
        assertThat(zk.exists("/multi/a", false)).isNull();
        assertThat(zk.multi(List.of())).isEmpty();
    }

    @Test
    void failedMultiReportsOkThenTheErrorThenRuntimeInconsistency() throws Exception {
        zk.create("/fail", DATA, OPEN, CreateMode.PERSISTENT);
        assertThatThrownBy(() -> zk.multi(List.of(
            Op.create("/fail/a", DATA, OPEN, CreateMode.PERSISTENT),
            Op.check("/fail", 3),
            Op.delete("/fail", -1))))
            .isInstanceOfSatisfying(KeeperException.BadVersionException.class, e -> assertThat(e.getResults())
                .extracting(r -> ((OpResult.ErrorResult) r).getErr())
                .containsExactly(0, KeeperException.Code.BADVERSION.intValue(),
                    KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()));
        assertThat(zk.exists("/fail/a", false)).as("nothing of a failed multi is applied").isNull();
        assertThat(zk.exists("/fail", false).getCversion()).isZero();
    }

    @Test
    void multiReadReportsEachOpOnItsOwn() throws Exception {
        zk.create("/mr", DATA, OPEN, CreateMode.PERSISTENT);
        zk.create("/mr/x", DATA, OPEN, CreateMode.PERSISTENT);
        zk.create("/mr-locked", DATA, new ArrayList<>(List.of(new ACL(ZooDefs.Perms.WRITE, ZooDefs.Ids.ANYONE_ID_UNSAFE))),
            CreateMode.PERSISTENT);
        List<OpResult> results = zk.multi(List.of(Op.getData("/mr"), Op.getChildren("/mr"), Op.getData("/mr-missing"),
            Op.getChildren("/mr-locked")));
        assertThat(((OpResult.GetDataResult) results.get(0)).getData()).isEqualTo(DATA);
        assertThat(((OpResult.GetDataResult) results.get(0)).getStat()).isEqualTo(zk.exists("/mr", false));
        assertThat(((OpResult.GetChildrenResult) results.get(1)).getChildren()).containsExactly("x");
        assertThat(((OpResult.ErrorResult) results.get(2)).getErr()).isEqualTo(KeeperException.Code.NONODE.intValue());
        assertThat(((OpResult.ErrorResult) results.get(3)).getErr()).isEqualTo(KeeperException.Code.NOAUTH.intValue());
    }

    @Test
    void syncCallsBackWithThePath() throws Exception {
        CompletableFuture<String> synced = new CompletableFuture<>();
        zk.sync("/", (rc, path, ctx) -> {
            if (rc == 0) {
                synced.complete(path);
            } else {
                synced.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc)));
            }
        }, null);
        assertThat(synced.get(10, TimeUnit.SECONDS)).isEqualTo("/");
    }

    @Test
    void ephemeralsChildrenCountsAndWhoAmI() throws Exception {
        try (ZooKeeper other = ZkClients.connect(paddock.connectString())) {
            other.create("/who", DATA, OPEN, CreateMode.PERSISTENT);
            other.create("/who/a", DATA, OPEN, CreateMode.EPHEMERAL);
            other.create("/who/b", DATA, OPEN, CreateMode.PERSISTENT);
            other.create("/who/b/c", DATA, OPEN, CreateMode.EPHEMERAL);
            other.create("/who-else", DATA, OPEN, CreateMode.EPHEMERAL);
            assertThat(other.getEphemerals()).containsExactlyInAnyOrder("/who/a", "/who/b/c", "/who-else");
            assertThat(other.getEphemerals("/who")).as("a prefix, not a subtree")
                .containsExactlyInAnyOrder("/who/a", "/who/b/c", "/who-else");
            assertThat(other.getEphemerals("/who/b")).containsExactly("/who/b/c");
            assertThat(zk.getEphemerals("/who")).as("another session's ephemerals are not mine").isEmpty();
            assertThat(other.getAllChildrenNumber("/who")).isEqualTo(3);
            assertThat(other.getAllChildrenNumber("/who/b/c")).isZero();
            assertThatThrownBy(() -> other.getAllChildrenNumber("/who-not"))
                .isInstanceOf(KeeperException.NoNodeException.class);
            assertThat(other.whoAmI()).extracting(ClientInfo::getAuthScheme, ClientInfo::getUser)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ip", "127.0.0.1"));
            other.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
            assertThat(other.whoAmI()).extracting(ClientInfo::getAuthScheme, ClientInfo::getUser)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ip", "127.0.0.1"),
                    org.assertj.core.groups.Tuple.tuple("digest", "alice"));
        }
        assertThat(zk.exists("/who/a", false)).as("closing the session deleted its ephemerals").isNull();
        assertThat(zk.exists("/who/b/c", false)).isNull();
        assertThat(zk.exists("/who/b", false)).isNotNull();
    }
}
