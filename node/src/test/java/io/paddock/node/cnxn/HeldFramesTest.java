package io.paddock.node.cnxn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class HeldFramesTest {
    private final HeldFrames held = new HeldFrames();
    private final List<String> ran = new ArrayList<>();

    @Test
    void nothingIsHeldWithoutALookup() {
        assertThat(held.holding()).isFalse();
    }

    @Test
    void heldFramesRunAfterTheLookupInTheOrderTheyCame() {
        CompletableFuture<Void> lookedUp = new CompletableFuture<>();
        held.holdUntil(lookedUp);
        assertThat(held.holding()).isTrue();
        CompletionStage<Void> first = held.hold(() -> run("first"));
        CompletionStage<Void> second = held.hold(() -> run("second"));
        assertThat(ran).isEmpty();
        assertThat(first.toCompletableFuture()).isNotDone();

        lookedUp.complete(null);
        assertThat(ran).containsExactly("first", "second");
        assertThat(first.toCompletableFuture()).isDone();
        assertThat(second.toCompletableFuture()).isDone();
        assertThat(held.holding()).isFalse();
    }

    /**
     * A held write is handed on and waits for its reply; the read held behind it runs at once
     * (the connection orders their replies itself). Chaining each held frame on the one before's
     * answer, through the connection's own tail, made a held read wait on itself for ever.
     */
    @Test
    void aHeldFrameWaitsForTheOneBeforeToBeHandedOnNotAnswered() {
        CompletableFuture<Void> lookedUp = new CompletableFuture<>();
        CompletableFuture<Void> reply = new CompletableFuture<>();
        held.holdUntil(lookedUp);
        CompletionStage<Void> write = held.hold(() -> {
            ran.add("write");
            return reply;
        });
        CompletionStage<Void> read = held.hold(() -> run("read"));

        lookedUp.complete(null);
        assertThat(ran).containsExactly("write", "read");
        assertThat(read.toCompletableFuture()).isDone();
        assertThat(write.toCompletableFuture()).as("until its reply").isNotDone();
        reply.complete(null);
        assertThat(write.toCompletableFuture()).isDone();
    }

    @Test
    void aFrameThatFailsDoesNotStopTheOnesBehindIt() {
        CompletableFuture<Void> lookedUp = new CompletableFuture<>();
        held.holdUntil(lookedUp);
        CompletionStage<Void> failing = held.hold(() -> {
            throw new IllegalStateException("a bug");
        });
        CompletionStage<Void> next = held.hold(() -> run("next"));
        lookedUp.complete(null);
        assertThat(failing.toCompletableFuture()).as("failed, as the frame would fail unheld").isCompletedExceptionally();
        assertThat(ran).containsExactly("next");
        assertThat(next.toCompletableFuture()).isDone();
    }

    private CompletionStage<Void> run(String name) {
        ran.add(name);
        return CompletableFuture.completedFuture(null);
    }
}
