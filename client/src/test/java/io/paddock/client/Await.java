package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.Assertions;

/** Bounded waits on stages, so a broken test fails instead of hanging. */
final class Await {
    private static final long SECONDS = 10;

    private Await() {
    }

    static <T> T result(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
    }

    /** Polls {@code condition} every 10 ms until it holds; fails after 10 s. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10); // a poll interval, not a guess at how long something takes
        }
    }

    /** The ZooKeeper error code the stage failed with. */
    static ErrorCode failure(CompletionStage<?> stage) throws Exception {
        Throwable failure = thrown(stage);
        Assertions.assertThat(failure).isInstanceOf(KeeperException.class);
        return ((KeeperException) failure).code();
    }

    /** What the stage failed with. */
    static Throwable thrown(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the stage to fail");
    }
}
