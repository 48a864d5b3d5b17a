package io.paddock.client;

import io.paddock.client.ZkClientSettings.RetryPolicy;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Retrying after CONNECTIONLOSS. A lost connection leaves a request's fate unknown, so only a
 * request that may run twice without changing its outcome is retried: reads (multiRead,
 * getEphemerals, getAllChildrenNumber and checkWatches among them), sync, whoAmI and addWatch. A write is not (a create or delete retried after it was applied answers NODEEXISTS
 * or NONODE, a versioned setData BADVERSION), and neither are removeWatches (NOWATCHER) and multi.
 */
final class Retries {
    private Retries() {
    }

    /** Whether running {@code request} twice answers as running it once would. */
    static boolean idempotent(ZkRequest<?> request) {
        return request instanceof ZkRequest.GetData || request instanceof ZkRequest.Exists
            || request instanceof ZkRequest.GetChildren || request instanceof ZkRequest.GetAcl
            || request instanceof ZkRequest.MultiRead || request instanceof ZkRequest.GetEphemerals
            || request instanceof ZkRequest.GetAllChildrenNumber || request instanceof ZkRequest.CheckWatches
            || request instanceof ZkRequest.Sync || request instanceof ZkRequest.WhoAmI
            || request instanceof ZkRequest.AddWatch;
    }

    /**
     * The pause before retry number {@code retry} (0 for the first): a ceiling of
     * {@code baseSleep * 2^retry}, at most {@code maxSleep}, and a point in its upper half picked
     * by {@code random} (in [0, 1)). The jitter keeps clients that lost the same server from
     * coming back in step; the lower half is skipped so that a retry never comes at once.
     */
    static Duration backoff(RetryPolicy policy, int retry, double random) {
        long max = policy.maxSleep().toNanos();
        long ceiling = policy.baseSleep().toNanos();
        for (int i = 0; i < retry && ceiling < max; i++) {
            ceiling = ceiling > max / 2 ? max : ceiling * 2; // never past max, so never overflowing
        }
        ceiling = Math.min(ceiling, max);
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random * (ceiling - half)));
    }

    /**
     * Runs {@code attempt} and runs it again after CONNECTIONLOSS, up to the policy's retries,
     * each after its {@link #backoff} ({@code schedule} runs a task after a pause). Any other
     * outcome, or the last CONNECTIONLOSS, is the result.
     */
    static <R> CompletionStage<R> run(RetryPolicy policy, Supplier<CompletionStage<R>> attempt,
                                      BiConsumer<Duration, Runnable> schedule, DoubleSupplier random) {
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(0, policy, attempt, schedule, random, result);
        return result;
    }

    private static <R> void attempt(int retry, RetryPolicy policy, Supplier<CompletionStage<R>> attempt,
                                    BiConsumer<Duration, Runnable> schedule, DoubleSupplier random,
                                    CompletableFuture<R> result) {
        attempt.get().whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (retry < policy.maxRetries() && isConnectionLoss(failure)) {
                schedule.accept(backoff(policy, retry, random.getAsDouble()),
                    () -> attempt(retry + 1, policy, attempt, schedule, random, result));
            } else {
                result.completeExceptionally(failure);
            }
        });
    }

    private static boolean isConnectionLoss(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof KeeperException e && e.code() == ErrorCode.CONNECTIONLOSS;
    }
}
