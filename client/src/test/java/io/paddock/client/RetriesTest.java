package io.paddock.client;

import static io.paddock.client.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.client.ZkClientSettings.RetryPolicy;
import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetriesTest {
    private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(300));

    @Test
    void backoffDoublesUpToTheMaximumWithJitterInTheUpperHalf() {
        assertThat(Retries.backoff(POLICY, 0, 0.0)).isEqualTo(Duration.ofMillis(50));
        assertThat(Retries.backoff(POLICY, 0, 0.5)).isEqualTo(Duration.ofMillis(75));
        assertThat(Retries.backoff(POLICY, 1, 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(Retries.backoff(POLICY, 1, 0.999_999)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
        assertThat(Retries.backoff(POLICY, 2, 0.0)).isEqualTo(Duration.ofMillis(150)); // 400 capped at 300
        assertThat(Retries.backoff(POLICY, 62, 0.0)).isEqualTo(Duration.ofMillis(150));
        RetryPolicy huge = new RetryPolicy(100, Duration.ofNanos(3), Duration.ofNanos(Long.MAX_VALUE));
        assertThat(Retries.backoff(huge, 99, 0.0)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE / 2));
        assertThat(Retries.backoff(RetryPolicy.NONE, 5, 0.7)).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsSyncAndAddWatchAreRetriedWritesAreNot() {
        assertThat(Retries.idempotent(new ZkRequest.GetData("/a", true))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.Exists("/a", false))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.GetChildren("/a", false))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.GetAcl("/a"))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.Sync("/a"))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.MultiRead(List.of()))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.GetEphemerals("/"))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.GetAllChildrenNumber("/a"))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.CheckWatches("/a", WatcherType.ANY))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.AddWatch("/a", AddWatchMode.PERSISTENT))).isTrue();
        assertThat(Retries.idempotent(new ZkRequest.Create("/a", new byte[0], Acl.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT, 0))).isFalse();
        assertThat(Retries.idempotent(new ZkRequest.SetData("/a", new byte[0], -1))).isFalse();
        assertThat(Retries.idempotent(new ZkRequest.Delete("/a", -1))).isFalse();
        assertThat(Retries.idempotent(new ZkRequest.RemoveWatches("/a", WatcherType.ANY))).isFalse();
        assertThat(Retries.idempotent(new ZkRequest.Multi(List.of()))).isFalse();
    }

    @Test
    void retriesConnectionLossWithBackoffUntilSuccess() throws Exception {
        List<Duration> pauses = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        CompletionStage<String> result = Retries.run(POLICY,
            () -> attempts.incrementAndGet() <= 2 ? failed(ErrorCode.CONNECTIONLOSS) : CompletableFuture.completedFuture("ok"),
            (pause, task) -> {
                pauses.add(pause);
                task.run();
            }, () -> 0.0);
        assertThat(result.toCompletableFuture().get()).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void givesUpAfterMaxRetriesAndNeverRetriesOtherErrors() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CompletionStage<String> lost = Retries.run(POLICY, () -> {
            attempts.incrementAndGet();
            return failed(ErrorCode.CONNECTIONLOSS);
        }, (pause, task) -> task.run(), () -> 0.5);
        assertThat(failure(lost)).isEqualTo(ErrorCode.CONNECTIONLOSS);
        assertThat(attempts).hasValue(1 + POLICY.maxRetries());

        attempts.set(0);
        CompletionStage<String> missing = Retries.run(POLICY, () -> {
            attempts.incrementAndGet();
            return failed(ErrorCode.NONODE);
        }, (pause, task) -> task.run(), () -> 0.5);
        assertThat(failure(missing)).isEqualTo(ErrorCode.NONODE);
        assertThat(attempts).hasValue(1);
    }

    private static CompletionStage<String> failed(ErrorCode code) {
        return CompletableFuture.failedFuture(new CompletionException(KeeperException.create(code)));
    }
}
