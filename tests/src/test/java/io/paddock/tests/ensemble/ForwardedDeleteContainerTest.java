package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.request.Request;
import io.paddock.node.tree.ApplyResult;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ReplicaDigest;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deleteContainer (opcode 20) is the leader's own, for its reaper. Clients cannot send it (their
 * connection refuses it, see BadInputTest), but a learner forwards what it is handed: the leader
 * must refuse one that arrives in a learner's ForwardRequest, not delete the container.
 */
class ForwardedDeleteContainerTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private record Outcome(Txn txn, ApplyResult result) {
    }

    @Test
    void theLeaderRefusesADeleteContainerForwardedByALearner() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            int follower = leader == 1 ? 2 : 1;
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(follower))) {
                zk.create("/never-had-a-child", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.CONTAINER);
                // what the follower's connection would hand on if it let opcode 20 through
                CompletableFuture<Outcome> outcome = new CompletableFuture<>();
                ensemble.node(follower).context().submitter().submit(new Request(zk.getSessionId(), 1_000_000,
                    OpCode.DELETE_CONTAINER, new DeleteRequest("/never-had-a-child", -1), List.of(), Request.SERVER,
                    (request, txn, result) -> outcome.complete(new Outcome(txn, result))));
                Outcome o = outcome.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(o.txn().op()).isEqualTo(new TxnOp.ErrorTxn(ErrorCode.UNIMPLEMENTED.code()));
                assertThat(o.result().err()).isEqualTo(ErrorCode.UNIMPLEMENTED.code());
                // the ensemble goes on committing
                zk.create("/after", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            ReplicaDigest agreed = ReplicaDigest.awaitIdentical(ensemble, PATIENCE);
            assertThat(agreed.nodes()).containsKeys("/never-had-a-child", "/after");
        }
    }
}
