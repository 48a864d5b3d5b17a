package io.paddock.node.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.session.SessionTracker;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.proto.CheckVersionRequest;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.CreateTTLRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.ReconfigRequest;
import io.paddock.protocol.proto.SetACLRequest;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPreparerTest {
    final TreeFixture f = new TreeFixture();
    final long s = f.newSession(30000);

    /** The leader's own request: a fresh random secret each time, whatever the tree holds. */
    @Test
    void theSessionSecretRequestMakesAFreshSecret() {
        TreeFixture.Step first = f.run(0, RequestPreparer.CREATE_SESSION_SECRET, null);
        byte[] secret = ((TxnOp.SessionSecretTxn) first.txn().op()).secret();
        assertThat(secret).hasSize(32);
        assertThat(f.tree.sessionSecret()).isEqualTo(secret);
        TxnOp again = f.prepare(0, RequestPreparer.CREATE_SESSION_SECRET, null).op();
        assertThat(((TxnOp.SessionSecretTxn) again).secret()).isNotEqualTo(secret);
    }

    @Test
    void createFillsStatAsZooKeeperDoes() {
        TreeFixture.Step step = f.create(s, "/a", CreateMode.PERSISTENT);
        Stat st = step.result().stat();
        long z = step.txn().zxid();
        assertThat(st).isEqualTo(new Stat(z, z, f.now, f.now, 0, 0, 0, 0, 1, 0, z));
        Stat root = f.tree.getNode("/").stat();
        assertThat(root.pzxid()).isEqualTo(z);
        assertThat(root.numChildren()).isEqualTo(2);
    }

    @Test
    void sequentialSuffixCountsCreationsWhileCversionCountsCreationsAndDeletions() {
        f.create(s, "/q", CreateMode.PERSISTENT);
        assertThat(f.create(s, "/q/n-", CreateMode.PERSISTENT_SEQUENTIAL).result().path()).isEqualTo("/q/n-0000000000");
        f.delete(s, "/q/n-0000000000", -1);
        assertThat(f.tree.getNode("/q").stat().cversion()).isEqualTo(2);
        assertThat(f.create(s, "/q/n-", CreateMode.PERSISTENT_SEQUENTIAL).result().path()).isEqualTo("/q/n-0000000001");
    }

    @Test
    void failedCreateConsumesAZxidButNoSequenceNumber() {
        f.create(s, "/q", CreateMode.PERSISTENT);
        TreeFixture.Step failed = f.run(s, OpCode.CREATE, new CreateRequest("/q/x-", new byte[0], List.of(), CreateMode.PERSISTENT_SEQUENTIAL.flag()));
        assertThat(TreeFixture.err(failed)).isEqualTo(ErrorCode.INVALIDACL.code());
        assertThat(f.tree.lastProcessedZxid()).isEqualTo(failed.txn().zxid());
        assertThat(f.create(s, "/q/x-", CreateMode.PERSISTENT_SEQUENTIAL).result().path()).isEqualTo("/q/x-0000000000");
    }

    @ParameterizedTest(name = "create {0} -> {1}")
    @CsvSource({
        "a/b, NONODE",
        "/x//y, NONODE",
        "//b, BADARGUMENTS",
        "/., BADARGUMENTS",
        "/zookeeper/, BADARGUMENTS",
        "'', BADARGUMENTS",
        "/, NODEEXISTS",
        "/zookeeper, NODEEXISTS",
        "/missing/child, NONODE"
    })
    void createPathErrors(String path, ErrorCode expected) {
        assertThat(TreeFixture.err(f.create(s, path, CreateMode.PERSISTENT))).isEqualTo(expected.code());
    }

    @Test
    void nulInPathIsBadArguments() {
        assertThat(TreeFixture.err(f.create(s, "/a\u0000b", CreateMode.PERSISTENT))).isEqualTo(ErrorCode.BADARGUMENTS.code());
    }

    @Test
    void deleteChecksVersionBeforeEmptiness() {
        f.create(s, "/p", CreateMode.PERSISTENT);
        f.create(s, "/p/c", CreateMode.PERSISTENT);
        assertThat(TreeFixture.err(f.delete(s, "/p", 7))).isEqualTo(ErrorCode.BADVERSION.code());
        assertThat(TreeFixture.err(f.delete(s, "/p", 0))).isEqualTo(ErrorCode.NOTEMPTY.code());
        assertThat(TreeFixture.err(f.delete(s, "/nope", -1))).isEqualTo(ErrorCode.NONODE.code());
    }

    @ParameterizedTest
    @CsvSource({"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"})
    void specialPathsCannotBeDeleted(String path) {
        assertThat(TreeFixture.err(f.delete(s, path, -1))).isEqualTo(ErrorCode.BADARGUMENTS.code());
    }

    @Test
    void zookeeperNodeAcceptsChildrenButConfigIsReadOnly() {
        assertThat(TreeFixture.err(f.create(s, "/zookeeper/mine", CreateMode.PERSISTENT))).isZero();
        assertThat(TreeFixture.err(f.setData(s, "/zookeeper/config", new byte[1], -1))).isEqualTo(ErrorCode.NOAUTH.code());
    }

    @Test
    void ephemeralsCannotHaveChildren() {
        f.create(s, "/e", CreateMode.EPHEMERAL);
        assertThat(TreeFixture.err(f.create(s, "/e/c", CreateMode.PERSISTENT))).isEqualTo(ErrorCode.NOCHILDRENFOREPHEMERALS.code());
    }

    @Test
    void dependentWritesInOneBurstAreJudgedInOrder() {
        List<TreeFixture.Step> steps = f.burst(s, List.of(
            new Object[] {OpCode.CREATE, new CreateRequest("/a", new byte[0], Acl.OPEN_ACL_UNSAFE, 0)},
            new Object[] {OpCode.CREATE, new CreateRequest("/a/b", new byte[0], Acl.OPEN_ACL_UNSAFE, 0)},
            new Object[] {OpCode.CREATE, new CreateRequest("/a/s-", new byte[0], Acl.OPEN_ACL_UNSAFE, 2)},
            new Object[] {OpCode.CREATE, new CreateRequest("/a/s-", new byte[0], Acl.OPEN_ACL_UNSAFE, 2)},
            new Object[] {OpCode.DELETE, new DeleteRequest("/a", -1)},
            new Object[] {OpCode.CREATE, new CreateRequest("/a/b", new byte[0], Acl.OPEN_ACL_UNSAFE, 0)}));
        assertThat(steps).extracting(TreeFixture::err).containsExactly(0, 0, 0, 0,
            ErrorCode.NOTEMPTY.code(), ErrorCode.NODEEXISTS.code());
        assertThat(steps.get(2).result().path()).isEqualTo("/a/s-0000000001");
        assertThat(steps.get(3).result().path()).isEqualTo("/a/s-0000000002");
    }

    @Test
    void failedMultiReportsOkThenErrorThenRuntimeInconsistencyAndChangesNothing() {
        f.create(s, "/m", CreateMode.PERSISTENT);
        MultiRequest multi = new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/m/a", new byte[0], Acl.OPEN_ACL_UNSAFE, 0)),
            new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest("/m", 5)),
            new MultiRequest.Op(OpCode.DELETE, new DeleteRequest("/m", -1))));
        TreeFixture.Step step = f.run(s, OpCode.MULTI, multi);
        assertThat(((TxnOp.MultiTxn) step.txn().op()).ops()).containsExactly(new TxnOp.ErrorTxn(0),
            new TxnOp.ErrorTxn(ErrorCode.BADVERSION.code()), new TxnOp.ErrorTxn(ErrorCode.RUNTIMEINCONSISTENCY.code()));
        assertThat(f.tree.getNode("/m/a")).isNull();
        assertThat(f.tree.getNode("/m")).isNotNull();
    }

    @Test
    void successfulMultiSeesItsOwnEarlierOpsAndSharesOneZxid() {
        MultiRequest multi = new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/m", new byte[0], Acl.OPEN_ACL_UNSAFE, 0)),
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/m/a", new byte[0], Acl.OPEN_ACL_UNSAFE, 0)),
            new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest("/m", 0))));
        TreeFixture.Step step = f.run(s, OpCode.MULTI, multi);
        assertThat(step.result().multi()).extracting(r -> r.err()).containsOnly(0);
        assertThat(f.tree.getNode("/m/a").czxid()).isEqualTo(f.tree.getNode("/m").czxid()).isEqualTo(step.txn().zxid());
    }

    /**
     * The close names no ephemerals (it would outgrow a peer message for a session with many); the
     * preparer still records their deletion, so writes prepared after it, before it is applied, see
     * them gone, and applying it deletes those the tree holds then: the applied ones and the pending.
     */
    @Test
    void closingASessionDeletesItsEphemeralsIncludingPendingOnes() {
        long other = f.newSession(30000);
        f.create(s, "/e1", CreateMode.EPHEMERAL);
        Txn pendingCreate = f.prepare(s, OpCode.CREATE, new CreateRequest("/e2", new byte[0], Acl.OPEN_ACL_UNSAFE, 1));
        Txn close = f.prepare(s, OpCode.CLOSE_SESSION, null);
        Txn recreate = f.prepare(other, OpCode.CREATE2, new CreateRequest("/e1", new byte[0], Acl.OPEN_ACL_UNSAFE, 1));
        Txn sameName = f.prepare(other, OpCode.CREATE2, new CreateRequest("/e2", new byte[0], Acl.OPEN_ACL_UNSAFE, 0));
        assertThat(((TxnOp.CloseSessionTxn) close.op()).ephemerals()).isEmpty();
        assertThat(recreate.op()).isInstanceOf(TxnOp.CreateTxn.class);
        assertThat(sameName.op()).isInstanceOf(TxnOp.CreateTxn.class);
        for (Txn txn : List.of(pendingCreate, close, recreate, sameName)) {
            assertThat(f.apply(txn).failed()).as(txn.toString()).isFalse();
        }
        assertThat(f.tree.getNode("/e1").ephemeralOwner()).isEqualTo(other);
        assertThat(f.tree.getNode("/e2").ephemeralOwner()).isZero();
        assertThat(f.tree.ephemeralsOf(s)).isEmpty();
        assertThat(f.tree.getNode("/").numChildren()).isEqualTo(3); // zookeeper, e1, e2
        assertThat(f.tree.sessions()).doesNotContainKey(s);
        assertThat(TreeFixture.err(f.create(s, "/e3", CreateMode.EPHEMERAL))).isEqualTo(ErrorCode.SESSIONEXPIRED.code());
    }

    /**
     * ZooKeeper's session owner: writes come through the connection the session was created or
     * last resumed on; any other's are SESSIONMOVED (and take a zxid, as ZooKeeper's error txns
     * do), including an older connection to the same server, which ZooKeeper (whose owner is the
     * server) would still take. A resumption with a wrong password moves nothing; a session nobody
     * owns (a new leader's) goes to the first connection that writes for it. Closing is allowed
     * from anywhere.
     */
    @Test
    void writesFromAConnectionTheSessionLeftAreSessionMoved() {
        f.run(0, RequestPreparer.CREATE_SESSION_SECRET, null);
        byte[] secret = f.tree.sessionSecret();
        byte[] password = SessionTracker.password(secret, s);
        CreateRequest a = new CreateRequest("/a", new byte[0], Acl.OPEN_ACL_UNSAFE, 0);
        CreateRequest b = new CreateRequest("/b", new byte[0], Acl.OPEN_ACL_UNSAFE, 0);
        assertThat(f.prepareFrom(2, s, OpCode.CREATE, a).op()).as("through a connection the session never used")
            .isEqualTo(new TxnOp.ErrorTxn(ErrorCode.SESSIONMOVED.code()));

        f.sessions.revalidate(secret, s, new byte[16], 2);
        assertThat(f.prepareFrom(2, s, OpCode.MULTI, new MultiRequest(List.of(new MultiRequest.Op(OpCode.CREATE, a)))).op())
            .as("a multi after a resumption with a wrong password").isEqualTo(new TxnOp.ErrorTxn(ErrorCode.SESSIONMOVED.code()));

        f.sessions.revalidate(secret, s, password, 2);
        assertThat(f.apply(f.prepareFrom(2, s, OpCode.CREATE, a)).failed()).as("through the connection it moved to").isFalse();
        assertThat(f.prepare(s, OpCode.CREATE, b).op()).as("through the connection it left")
            .isEqualTo(new TxnOp.ErrorTxn(ErrorCode.SESSIONMOVED.code()));

        f.sessions.resetTo(f.tree.sessions()); // a new leader: no owners
        assertThat(f.apply(f.prepare(s, OpCode.CREATE, b)).failed()).as("the first write after an election").isFalse();
        assertThat(f.prepareFrom(2, s, OpCode.SET_DATA, new SetDataRequest("/a", new byte[1], -1)).op())
            .as("then another connection's").isEqualTo(new TxnOp.ErrorTxn(ErrorCode.SESSIONMOVED.code()));
        assertThat(f.prepareFrom(2, s, OpCode.CLOSE_SESSION, null).op()).isInstanceOf(TxnOp.CloseSessionTxn.class);
    }

    /**
     * A request within jute.maxbuffer whose txn would not fit a peer message is refused with
     * BADARGUMENTS before anything is logged: an "auth" ACL expands to every id of the session, so
     * 31 "auth" entries (one per permission set) and a 100 KB id make a 3 MB txn. Nothing of it is
     * recorded: the same path can be created after it.
     */
    @Test
    void aRequestWhoseTxnWouldNotFitAPeerMessageIsRefused() {
        List<Id> bigAuth = List.of(new Id("ip", "127.0.0.1"), new Id("digest", "u".repeat(100_000) + ":hash"));
        List<Acl> everyAuth = new java.util.ArrayList<>();
        for (int perms = 1; perms <= Perms.ALL; perms++) {
            everyAuth.add(new Acl(perms, new Id("auth", "")));
        }
        f.auth = bigAuth;
        CreateRequest create = new CreateRequest("/big", new byte[10], everyAuth, 0);
        TreeFixture.Step refused = f.run(s, OpCode.CREATE, create);
        assertThat(refused.txn().op()).isEqualTo(new TxnOp.ErrorTxn(ErrorCode.BADARGUMENTS.code()));
        TreeFixture.Step multi = f.run(s, OpCode.MULTI, new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.CREATE, new CreateRequest("/small", new byte[0], Acl.OPEN_ACL_UNSAFE, 0)),
            new MultiRequest.Op(OpCode.CREATE, create))));
        assertThat(multi.txn().op()).as("a multi fails as a whole").isEqualTo(new TxnOp.ErrorTxn(ErrorCode.BADARGUMENTS.code()));
        assertThat(f.tree.getNode("/small")).isNull();

        // one "auth" entry makes a 100 KB ACL: that fits, and nothing of the refused requests is left in the way
        TreeFixture.Step created = f.run(s, OpCode.CREATE, new CreateRequest("/big", new byte[10], everyAuth.subList(0, 1), 0));
        assertThat(created.result().failed()).isFalse();
        assertThat(f.tree.getNode("/big").acl().size()).as("the session's digest id (an ip id is not an \"auth\" one)").isEqualTo(1);
        assertThat(TreeFixture.err(f.create(s, "/small", CreateMode.PERSISTENT))).isZero();
    }

    @Test
    void ttlNodesNeedExtendedTypesAndAValidTtl() {
        CreateTTLRequest ttl = new CreateTTLRequest("/t", new byte[0], Acl.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT_WITH_TTL.flag(), 1000);
        assertThat(TreeFixture.err(f.run(s, OpCode.CREATE_TTL, ttl))).isEqualTo(ErrorCode.UNIMPLEMENTED.code());
        TreeFixture ext = new TreeFixture(true);
        long s2 = ext.newSession(30000);
        assertThat(TreeFixture.err(ext.run(s2, OpCode.CREATE_TTL, ttl))).isZero();
        assertThat(ext.tree.getNode("/t").stat().ephemeralOwner()).isZero();
        CreateTTLRequest tooLong = new CreateTTLRequest("/t2", new byte[0], Acl.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT_WITH_TTL.flag(), 1L << 40);
        assertThat(TreeFixture.err(ext.run(s2, OpCode.CREATE_TTL, tooLong))).isEqualTo(ErrorCode.BADARGUMENTS.code());
    }

    @Test
    void aclIsEnforcedOnCreateSetDataAndSetAcl() {
        Acl readOnly = new Acl(Perms.READ, Id.ANYONE);
        f.run(s, OpCode.CREATE, new CreateRequest("/r", new byte[0], List.of(readOnly), 0));
        assertThat(TreeFixture.err(f.create(s, "/r/c", CreateMode.PERSISTENT))).isEqualTo(ErrorCode.NOAUTH.code());
        assertThat(TreeFixture.err(f.setData(s, "/r", new byte[1], -1))).isEqualTo(ErrorCode.NOAUTH.code());
        assertThat(TreeFixture.err(f.run(s, OpCode.SET_ACL, new SetACLRequest("/r", Acl.OPEN_ACL_UNSAFE, -1))))
            .isEqualTo(ErrorCode.NOAUTH.code());
    }

    @Test
    void setAclBumpsAversionAndChecksIt() {
        f.create(s, "/a", CreateMode.PERSISTENT);
        List<Acl> all = List.of(new Acl(Perms.ALL, Id.ANYONE));
        TreeFixture.Step ok = f.run(s, OpCode.SET_ACL, new SetACLRequest("/a", all, 0));
        assertThat(ok.result().stat().aversion()).isEqualTo(1);
        assertThat(TreeFixture.err(f.run(s, OpCode.SET_ACL, new SetACLRequest("/a", all, 0))))
            .isEqualTo(ErrorCode.BADVERSION.code());
        f.run(s, OpCode.SET_ACL, new SetACLRequest("/a", Acl.READ_ACL_UNSAFE, 1));
        assertThat(TreeFixture.err(f.run(s, OpCode.SET_ACL, new SetACLRequest("/a", all, 0))))
            .as("without ADMIN the ACL check comes first").isEqualTo(ErrorCode.NOAUTH.code());
    }

    @Test
    void setDataBumpsVersionAndMzxid() {
        f.create(s, "/a", CreateMode.PERSISTENT);
        TreeFixture.Step set = f.setData(s, "/a", "xyz".getBytes(), 0);
        assertThat(set.result().stat().version()).isEqualTo(1);
        assertThat(set.result().stat().mzxid()).isEqualTo(set.txn().zxid());
        assertThat(set.result().stat().dataLength()).isEqualTo(3);
        assertThat(TreeFixture.err(f.setData(s, "/a", new byte[0], 0))).isEqualTo(ErrorCode.BADVERSION.code());
    }

    @Test
    void deleteContainerRemovesAnEmptyContainer() {
        f.run(s, OpCode.CREATE_CONTAINER, new CreateRequest("/c", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.CONTAINER.flag()));
        assertThat(f.tree.getNode("/c").stat().ephemeralOwner()).isZero();
        assertThat(f.tree.containers()).containsExactly("/c");
        assertThat(TreeFixture.err(f.run(0, OpCode.DELETE_CONTAINER, new DeleteRequest("/c", -1)))).isZero();
        assertThat(f.tree.getNode("/c")).isNull();
    }

    /** ZooKeeper 3.9.5: createContainer makes a container whatever its non-TTL flags; create with the container flag a plain node. */
    @Test
    void theOpcodeDecidesWhatIsAContainer() {
        f.run(s, OpCode.CREATE, new CreateRequest("/flag", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.CONTAINER.flag()));
        f.run(s, OpCode.CREATE_CONTAINER, new CreateRequest("/op", new byte[0], Acl.OPEN_ACL_UNSAFE, 0));
        TreeFixture.Step seq = f.run(s, OpCode.CREATE_CONTAINER, new CreateRequest("/seq-", new byte[0],
            Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL.flag()));
        assertThat(f.tree.containers()).containsExactlyInAnyOrder("/op", seq.result().path());
        assertThat(seq.result().path()).startsWith("/seq-00000000");
        assertThat(f.tree.getNode("/flag").ephemeralOwner()).isZero();
        assertThat(f.tree.ephemeralsOf(s)).isEmpty();
    }

    @ParameterizedTest(name = "createTTL with mode {0} and ttl {1}")
    @CsvSource({"0, 1000", "0, -1", "1, -1", "4, 1000", "5, 0", "5, -1", "6, 1099511627776"})
    void createTtlNeedsATtlModeAndATtlInRange(int flags, long ttl) {
        TreeFixture ext = new TreeFixture(true);
        long s2 = ext.newSession(30000);
        CreateTTLRequest req = new CreateTTLRequest("/t", new byte[0], Acl.OPEN_ACL_UNSAFE, flags, ttl);
        assertThat(TreeFixture.err(ext.run(s2, OpCode.CREATE_TTL, req))).isEqualTo(ErrorCode.BADARGUMENTS.code());
    }

    /** A null path (length -1 on the wire), as ZooKeeper 3.9.5 answers it: observed, and compared by ZooKeeperParityTest. */
    @Test
    void nullPathsFailAsInZooKeeperAndTakeAZxid() {
        TreeFixture ext = new TreeFixture(true);
        long s2 = ext.newSession(30000);
        f.create(s, "/a", CreateMode.PERSISTENT);
        assertThat(TreeFixture.err(ext.run(s2, OpCode.CREATE_TTL, new CreateTTLRequest(null, new byte[0], Acl.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT_WITH_TTL.flag(), 1000)))).isEqualTo(ErrorCode.MARSHALLINGERROR.code());
        assertThat(TreeFixture.err(f.create(s, null, CreateMode.PERSISTENT))).isEqualTo(ErrorCode.MARSHALLINGERROR.code());
        assertThat(TreeFixture.err(f.delete(s, null, -1))).isEqualTo(ErrorCode.MARSHALLINGERROR.code());
        assertThat(TreeFixture.err(f.setData(s, null, new byte[0], -1))).isEqualTo(ErrorCode.BADARGUMENTS.code());
        TreeFixture.Step multi = f.run(s, OpCode.MULTI, new MultiRequest(List.of(
            new MultiRequest.Op(OpCode.DELETE, new DeleteRequest("/a", -1)),
            new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest(null, -1)))));
        assertThat(multi.txn().op()).isEqualTo(new TxnOp.ErrorTxn(ErrorCode.MARSHALLINGERROR.code()));
        assertThat(f.tree.lastProcessedZxid()).isEqualTo(multi.txn().zxid());
        assertThat(f.tree.getNode("/a")).isNotNull();
    }

    @Test
    void deleteChecksTheParentsDeletePermissionBeforeTheChild() {
        f.run(s, OpCode.CREATE, new CreateRequest("/nodel", new byte[0], List.of(new Acl(Perms.ALL & ~Perms.DELETE, Id.ANYONE)), 0));
        f.create(s, "/nodel/c", CreateMode.PERSISTENT);
        assertThat(TreeFixture.err(f.delete(s, "/nodel/missing", -1))).isEqualTo(ErrorCode.NOAUTH.code());
        assertThat(TreeFixture.err(f.delete(s, "/nodel/c", 5))).isEqualTo(ErrorCode.NOAUTH.code());
        assertThat(TreeFixture.err(f.delete(s, "/missing/c", -1))).isEqualTo(ErrorCode.NONODE.code());
    }

    @Test
    void nullDataIsLoggedAsNull() {
        TreeFixture.Step created = f.run(s, OpCode.CREATE, new CreateRequest("/n", null, Acl.OPEN_ACL_UNSAFE, 0));
        assertThat(((TxnOp.CreateTxn) created.txn().op()).data()).isNull();
        TreeFixture.Step set = f.setData(s, "/n", null, 0);
        assertThat(((TxnOp.SetDataTxn) set.txn().op()).data()).isNull();
        assertThat(f.tree.getNode("/n").data()).isNull();
    }

    /** ZooKeeper 3.9.5 with reconfig disabled (its default) refuses it as a failed write: it takes a zxid. */
    @Test
    void reconfigIsRefusedAsAFailedWrite() {
        TreeFixture.Step step = f.run(s, OpCode.RECONFIG, new ReconfigRequest(null, null, "server.1=h:1:2", -1));
        assertThat(TreeFixture.err(step)).isEqualTo(ErrorCode.RECONFIGDISABLED.code());
        assertThat(f.tree.lastProcessedZxid()).isEqualTo(step.txn().zxid());
    }
}
