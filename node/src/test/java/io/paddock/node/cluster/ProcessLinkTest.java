package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.config.ServerSpec;
import io.paddock.node.LoopbackPorts;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The learner's link to its leader's process: its end is reported once the leader's ActorSystem
 * (in production: its process) is gone, never after the learner closed it, and never when it
 * could not be opened (then the failure detector is the only source).
 */
class ProcessLinkTest {
    private final ActorTestKit leader = ActorTestKit.create("leader");
    private final ActorTestKit learner = ActorTestKit.create("learner");

    @AfterEach
    void shutdown() {
        learner.shutdownTestKit();
        leader.shutdownTestKit();
    }

    private static ServerSpec server(int electionPort) {
        return new ServerSpec(1, "127.0.0.1", 1, electionPort, ServerSpec.Role.PARTICIPANT, null);
    }

    @Test
    void theEndOfTheLeadersSystemIsReportedAtOnceUnlessTheLinkWasClosedHere() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        ProcessLink.listen(leader.system(), spec.host(), spec.electionPort(), Duration.ofMillis(100)).bound().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CountDownLatch watchedLost = new CountDownLatch(1);
        CountDownLatch closedLost = new CountDownLatch(1);
        ProcessLink.Link watched = ProcessLink.watch(learner.system(), spec, watchedLost::countDown);
        ProcessLink.Link closed = ProcessLink.watch(learner.system(), spec, closedLost::countDown);
        watched.held().toCompletableFuture().get(10, TimeUnit.SECONDS);
        closed.held().toCompletableFuture().get(10, TimeUnit.SECONDS);
        closed.close();

        long stopped = System.nanoTime();
        leader.shutdownTestKit();
        assertThat(watchedLost.await(10, TimeUnit.SECONDS)).as("the leader's end reported").isTrue();
        System.out.printf("the end of the leader's system reported %d ms after its shutdown began%n",
            (System.nanoTime() - stopped) / 1_000_000);
        assertThat(closedLost.getCount()).as("a link closed here is not reported").isEqualTo(1);
    }

    @Test
    void aStoppingLeaderEndsItsLinksBeforeItsSystemEnds() throws Exception {
        ServerSpec spec = server(LoopbackPorts.free());
        ProcessLink.Listener listener = ProcessLink.listen(leader.system(), spec.host(), spec.electionPort(), Duration.ofMillis(100));
        listener.bound().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CountDownLatch lost = new CountDownLatch(1);
        ProcessLink.watch(learner.system(), spec, lost::countDown).held().toCompletableFuture().get(10, TimeUnit.SECONDS);

        listener.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(lost.await(10, TimeUnit.SECONDS)).as("the closed link reported while the leader's system runs").isTrue();
        assertThat(leader.system().getWhenTerminated().toCompletableFuture().isDone()).isFalse();
        ProcessLink.Link late = ProcessLink.watch(learner.system(), spec, () -> { });
        assertThatThrownBy(() -> late.held().toCompletableFuture().get(10, TimeUnit.SECONDS))
            .as("no new link once closed").isInstanceOf(ExecutionException.class);
    }

    @Test
    void aLinkThatCannotBeOpenedReportsNothing() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        ProcessLink.Link link = ProcessLink.watch(learner.system(), server(LoopbackPorts.free()), lost::countDown);
        assertThatThrownBy(() -> link.held().toCompletableFuture().get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class);
        // the stream has ended with the failed connect; a report would have been made by now
        learner.shutdownTestKit();
        assertThat(lost.getCount()).isEqualTo(1);
    }
}
