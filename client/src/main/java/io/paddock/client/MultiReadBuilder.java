package io.paddock.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Collects the reads of a multiRead, from {@link ZkClient#multiRead()}:
 * {@code zk.multiRead().getData(p).getChildren(q).execute()}. Not thread-safe.
 */
public final class MultiReadBuilder {
    private final ZkClient client;
    private final List<ReadOp> ops = new ArrayList<>();

    MultiReadBuilder(ZkClient client) {
        this.client = client;
    }

    public MultiReadBuilder getData(String path) {
        ops.add(ReadOp.getData(path));
        return this;
    }

    public MultiReadBuilder getChildren(String path) {
        ops.add(ReadOp.getChildren(path));
        return this;
    }

    /** Sends the reads in one request; see {@link ZkClient#multiRead(List)}. */
    public CompletionStage<List<OpResult>> execute() {
        return client.multiRead(ops);
    }
}
