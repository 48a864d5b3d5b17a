package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.RawClient;
import io.paddock.tests.support.ReplicaDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper's session owner: once a client has resumed its session through another server, a
 * write still sent through the connection it left must not be applied. Otherwise a write the
 * client gave up on (it saw CONNECTIONLOSS) could be applied after the writes it made since, and
 * a recipe that retries (Curator's protected create) makes its znode twice. As ZooKeeper 3.9.5
 * (compared below), the server closes such a connection without an answer, so that the client
 * sees the connection lost. A refused resumption (a wrong password) moves nothing.
 */
class SessionMovedTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aWriteThroughTheConnectionASessionLeftIsNeverApplied() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            List<Integer> followers = ensemble.ids().stream().filter(id -> id != leader).toList();
            // through every kind of move: follower → leader → the other follower → back to the first
            List<Integer> route = List.of(followers.get(0), leader, followers.get(1), followers.get(0));
            List<RawClient> open = new ArrayList<>();
            try {
                RawClient current = RawClient.open(ensemble.clientPort(route.get(0)));
                open.add(current);
                ConnectResponse session = current.connect();
                int xid = 1;
                assertThat(current.call(xid++, OpCode.CREATE, create("/at-0")).err()).as("a write on its first server").isZero();
                for (int hop = 1; hop < route.size(); hop++) {
                    int server = route.get(hop);
                    try (RawClient wrong = RawClient.open(ensemble.clientPort(server))) {
                        byte[] guess = session.passwd().clone();
                        guess[0] ^= 1;
                        assertThat(wrong.connect(0, session.sessionId(), guess, true).timeOut())
                            .as("a wrong password on server " + server).isZero();
                    }
                    assertThat(current.call(xid++, OpCode.CREATE, create("/still-" + hop)).err())
                        .as("a write on the session's server after a refused resumption elsewhere").isZero();

                    RawClient moved = RawClient.open(ensemble.clientPort(server));
                    open.add(moved);
                    assertThat(moved.connect(0, session.sessionId(), session.passwd(), true).timeOut())
                        .as("resumed on server " + server).isPositive();
                    assertThat(current.call(xid++, OpCode.CREATE, create("/stale-" + hop)))
                        .as("the answer to a write through the connection the session left, on server " + route.get(hop - 1))
                        .isNull();
                    assertThat(moved.call(xid++, OpCode.CREATE, create("/at-" + hop)).err())
                        .as("a write on server " + server + ", where the session moved").isZero();
                    current = moved;
                }
                var nodes = ReplicaDigest.awaitIdentical(ensemble, PATIENCE).nodes();
                assertThat(nodes.keySet().stream().filter(p -> p.startsWith("/stale")).toList())
                    .as("writes through the connections the session left, on any replica").isEmpty();
                for (int hop = 0; hop < route.size(); hop++) {
                    assertThat(nodes).as("the write on hop " + hop).containsKey("/at-" + hop);
                }
                Await.until(PATIENCE, "the session lives on", () -> ensemble.node(leader).context().tree().sessions()
                    .containsKey(session.sessionId()));
            } finally {
                open.forEach(RawClient::close);
            }
        }
    }

    /**
     * The same move against Apache ZooKeeper 3.9.5's own ensemble (one follower to the other):
     * the write through the connection the session left is answered by closing that connection,
     * and never applied.
     */
    @Test
    void zooKeeperRefusesAWriteThroughTheConnectionASessionLeftAlike() throws Exception {
        try (ProcessEnsemble zookeeper = ProcessEnsemble.zookeeper(dir.resolve("zookeeper"), 3, Map.of())) {
            zookeeper.startAll(PATIENCE);
            Await.until(PATIENCE, "ZooKeeper elects a leader",
                () -> zookeeper.ids().stream().filter(id -> zookeeper.mode(id).equals("follower")).count() == 2);
            List<Integer> followers = zookeeper.ids().stream().filter(id -> zookeeper.mode(id).equals("follower")).toList();
            try (RawClient left = RawClient.open(zookeeper.clientPort(followers.get(0)));
                 RawClient moved = RawClient.open(zookeeper.clientPort(followers.get(1)))) {
                ConnectResponse session = left.connect();
                assertThat(left.call(1, OpCode.CREATE, create("/before")).err()).isZero();
                assertThat(moved.connect(0, session.sessionId(), session.passwd(), true).timeOut()).isPositive();
                assertThat(left.call(2, OpCode.CREATE, create("/stale"))).as("the answer on the connection left").isNull();
                assertThat(moved.call(3, OpCode.CREATE, create("/after")).err()).isZero();
                assertThat(moved.call(4, OpCode.EXISTS, new ExistsRequest("/stale", false)).err())
                    .as("the write through the connection left").isEqualTo(ErrorCode.NONODE.code());
            }
        }
    }

    private static CreateRequest create(String path) {
        return new CreateRequest(path, new byte[0], Acl.OPEN_ACL_UNSAFE, 0);
    }
}
