package io.paddock.tests.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.client.CreateResult;
import io.paddock.client.WatchEvent;
import io.paddock.client.ZkClient;
import io.paddock.client.ZkRequest;
import io.paddock.client.ZkSession;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.data.Acl;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.ZkClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: Paddock's actor client through a leader failover with writes in flight. Every
 * request gets exactly one reply: a success, or CONNECTIONLOSS when the connection went with
 * the requests on it (applied or not, nobody can tell). The session never sends a request twice,
 * so no write is applied twice: each successful create is in the tree exactly once, each lost
 * one at most once. The session carries on on another server, and the watch it had set fires
 * for a change made after the failover.
 */
class ActorClientFailoverTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int WRITES = 400;

    @TempDir
    Path dir;

    @Test
    void writesInFlightThroughALeaderKillAreAnsweredOnceAndAppliedAtMostOnce() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "failover-client");
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3)) {
            int leader = ensemble.awaitServing(PATIENCE);
            ZkClient zk = ZkClient.connect(system, ensemble.connectString(), Duration.ofSeconds(10))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
            BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
            zk.addWatchListener(events::add);
            zk.create("/failover", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture().get();
            zk.getData("/failover", true).toCompletableFuture().get(); // the watch to be set again after failover

            Map<Integer, List<StatusReply<CreateResult>>> replies = new ConcurrentHashMap<>();
            for (int i = 0; i < WRITES; i++) {
                if (i == WRITES / 4) {
                    int sent = i;
                    Await.until(PATIENCE, "the first writes answered", () -> replies.size() >= sent / 2);
                    ensemble.stopNode(leader); // the rest are queued or on the wire when the leader goes
                }
                zk.session().tell(new ZkSession.Execute<>(new ZkRequest.Create("/failover/n-", ("w" + i).getBytes(UTF_8),
                    Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL, 0), recorder(system, replies, i)));
            }
            Await.until(PATIENCE, "every write answered", () -> replies.size() == WRITES);
            // one more round trip on the same session: a second reply to any earlier request would be ahead of it
            zk.sync("/failover").toCompletableFuture().get(30, TimeUnit.SECONDS);

            int succeeded = 0;
            int lost = 0;
            for (Map.Entry<Integer, List<StatusReply<CreateResult>>> e : replies.entrySet()) {
                assertThat(e.getValue()).as("replies to write %d", e.getKey()).hasSize(1);
                StatusReply<CreateResult> reply = e.getValue().get(0);
                if (reply.isSuccess()) {
                    succeeded++;
                } else {
                    assertThat(reply.getError()).as("write %d", e.getKey()).isInstanceOfSatisfying(KeeperException.class,
                        k -> assertThat(k.code()).isEqualTo(ErrorCode.CONNECTIONLOSS));
                    lost++;
                }
            }
            System.out.printf("actor client through a leader kill: %d writes succeeded, %d lost with the connection%n",
                succeeded, lost);
            // the same session writes again once a new leader serves (all the writes above may have gone
            // out before that, on a follower that then lost its leader too)
            Await.until(PATIENCE, "a write through the same session after the failover", () -> {
                try {
                    zk.create("/after", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
                    return true;
                } catch (ExecutionException e) {
                    ErrorCode code = ((KeeperException) e.getCause()).code();
                    if (code == ErrorCode.NODEEXISTS) { // an earlier try was applied, its reply lost
                        return true;
                    }
                    if (code != ErrorCode.CONNECTIONLOSS) {
                        throw new IllegalStateException("the write after the failover failed with " + code);
                    }
                    return false;
                }
            });

            try (ZooKeeper reader = ZkClients.connect(ensemble.connectString())) {
                Map<String, Integer> copies = new HashMap<>();
                for (String child : reader.getChildren("/failover", false)) {
                    copies.merge(new String(reader.getData("/failover/" + child, false, null), UTF_8), 1, Integer::sum);
                }
                assertThat(copies.values()).as("no write applied twice").allMatch(n -> n == 1);
                for (Map.Entry<Integer, List<StatusReply<CreateResult>>> e : replies.entrySet()) {
                    if (e.getValue().get(0).isSuccess()) {
                        assertThat(copies).as("acknowledged write %d", e.getKey()).containsKey("w" + e.getKey());
                    }
                }
                // the watch from before the failover fires for a change after it
                reader.setData("/failover", "changed".getBytes(UTF_8), -1);
                WatchEvent fired = events.poll(30, TimeUnit.SECONDS);
                assertThat(fired).isNotNull();
                assertThat(fired.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
                assertThat(fired.path()).isEqualTo("/failover");
            }
            zk.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            system.terminate();
        }
    }

    /** An actor that keeps every reply it gets for write {@code i}. */
    private static ActorRef<StatusReply<CreateResult>> recorder(ActorSystem<Void> system,
                                                                Map<Integer, List<StatusReply<CreateResult>>> replies, int i) {
        return system.systemActorOf(Behaviors.<StatusReply<CreateResult>>receiveMessage(reply -> {
            replies.computeIfAbsent(i, k -> Collections.synchronizedList(new ArrayList<>())).add(reply);
            return Behaviors.same();
        }), "write-" + i, Props.empty());
    }
}
