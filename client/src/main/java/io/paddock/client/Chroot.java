package io.paddock.client;

import io.paddock.protocol.PathUtils;

/**
 * The chroot of a connect string ("host:port/app"): the node that the session's paths are
 * relative to. As in ZooKeeper's client, the session prepends it to every path it sends ("/"
 * stands for the chroot node itself, which need not exist) and strips it from every path it
 * receives.
 */
public final class Chroot {
    /** No chroot: paths travel as given. */
    public static final Chroot NONE = new Chroot("");

    /** "" for none, else a valid path other than "/". */
    private final String root;

    private Chroot(String root) {
        this.root = root;
    }

    /** The chroot for {@code path}; "/" means none, as in ZooKeeper. */
    static Chroot of(String path) {
        String invalid = PathUtils.invalidReason(path);
        if (invalid != null) {
            throw new IllegalArgumentException("invalid chroot " + path + ": " + invalid);
        }
        return path.equals("/") ? NONE : new Chroot(path);
    }

    /** The server's path for a client's path. */
    public String prefix(String clientPath) {
        if (root.isEmpty() || clientPath == null) {
            return clientPath;
        }
        return clientPath.equals("/") ? root : root + clientPath;
    }

    /** The client's path for a server's path at or below the chroot; other paths stay as they are. */
    public String strip(String serverPath) {
        if (root.isEmpty() || serverPath == null || !PathUtils.isAtOrBelow(serverPath, root)) {
            return serverPath;
        }
        return serverPath.length() == root.length() ? "/" : serverPath.substring(root.length());
    }

    @Override
    public String toString() {
        return root.isEmpty() ? "no chroot" : "chroot " + root;
    }
}
