package io.paddock.client;

import io.paddock.protocol.CreateMode;
import io.paddock.protocol.data.Acl;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Collects the ops of a multi, from {@link ZkClient#transaction()}:
 * {@code zk.transaction().create(...).setData(...).check(...).delete(...).commit()}. Not
 * thread-safe; one builder makes one multi per {@link #commit()}.
 */
public final class TransactionBuilder {
    private final ZkClient client;
    private final List<Op> ops = new ArrayList<>();

    TransactionBuilder(ZkClient client) {
        this.client = client;
    }

    public TransactionBuilder create(String path, byte[] data, List<Acl> acl, CreateMode mode) {
        return add(Op.create(path, data, acl, mode));
    }

    /** Creates a TTL node ({@code mode} PERSISTENT_WITH_TTL or PERSISTENT_SEQUENTIAL_WITH_TTL). */
    public TransactionBuilder create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs) {
        return add(new Op.Create(path, data, acl, mode, ttlMs));
    }

    public TransactionBuilder setData(String path, byte[] data, int version) {
        return add(Op.setData(path, data, version));
    }

    public TransactionBuilder check(String path, int version) {
        return add(Op.check(path, version));
    }

    public TransactionBuilder delete(String path, int version) {
        return add(Op.delete(path, version));
    }

    public TransactionBuilder add(Op op) {
        ops.add(op);
        return this;
    }

    /** Sends the ops as one multi: all apply or none; see {@link ZkClient#multi(List)}. */
    public CompletionStage<MultiResult> commit() {
        return client.multi(ops);
    }
}
