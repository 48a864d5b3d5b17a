package io.paddock.client.recipes;

import io.paddock.client.ZkClient;
import java.util.List;

/**
 * Curator's {@code InterProcessReadWriteLock} layout: readers ({@code _c_<uuid>-__READ__<seq>})
 * and writers ({@code _c_<uuid>-__WRIT__<seq>}) share one queue under the path. A writer waits
 * for everyone ahead of it; a reader only for the first writer ahead of it, so readers share.
 * Each side is a {@link DistributedLock} with the same re-entrancy and loss notification.
 */
public final class ReadWriteLock {
    private static final List<String> NAMES = List.of(LockOrder.READ_NAME, LockOrder.WRITE_NAME);

    private final DistributedLock read;
    private final DistributedLock write;

    public ReadWriteLock(ZkClient zk, String path) {
        this.read = new DistributedLock(zk, path, LockOrder.READ_NAME, LockOrder.SHARED, NAMES);
        this.write = new DistributedLock(zk, path, LockOrder.WRITE_NAME, LockOrder.EXCLUSIVE, NAMES);
    }

    public DistributedLock readLock() {
        return read;
    }

    public DistributedLock writeLock() {
        return write;
    }
}
