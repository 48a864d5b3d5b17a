package io.paddock.node.logging;

/**
 * Which node a thread works for, so that every log line can name it ({@link MyIdConverter},
 * {@code [myid:N]} in conf/logback.xml). docs/node.md, "Logs", says why it is done this way.
 *
 * <p>The nodes of one JVM (bin/paddock ensemble, in-process tests) cannot be told apart by
 * thread: their ActorSystems all have the name {@code paddock} (one Pekko cluster needs one
 * name), so Pekko's threads are named alike, and most lines come from static loggers on those
 * threads with no MDC (Pekko typed clears the MDC around each message anyway). What Pekko does
 * put on every thread it makes (its dispatchers, the scheduler, and through them Artery, the
 * streams and persistence) is the ActorSystem's class loader, as the thread's context class
 * loader. So each node's ActorSystem is given a class loader of its own that loads nothing
 * itself (everything goes to its parent, so every class and resource is the one it would have
 * been) and carries the server id.
 *
 * <p>Threads no node made say nothing ({@code [myid:]}, as ZooKeeper prints a thread outside
 * its quorum peer), unless a process runs one node only: then {@link #setProcessServerId} names
 * them all.
 */
public final class NodeThreads {
    private static volatile String processServerId = "";

    private NodeThreads() {
    }

    /** A class loader over the current thread's context class loader that names {@code serverId}'s threads. */
    public static ClassLoader classLoader(long serverId) {
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        if (parent instanceof NodeClassLoader other) {
            parent = other.getParent(); // started from another node's thread: no chain of them
        }
        return new NodeClassLoader(serverId, parent != null ? parent : NodeThreads.class.getClassLoader());
    }

    /** This process runs one node only: threads of no node (main, signal handlers, shutdown hooks) are its threads too. */
    public static void setProcessServerId(long serverId) {
        processServerId = Long.toString(serverId);
    }

    /** The server id of the node the current thread works for, or "" when it works for none. */
    public static String currentServerId() {
        return Thread.currentThread().getContextClassLoader() instanceof NodeClassLoader node ? node.serverId
            : processServerId;
    }

    /**
     * Makes the current thread work for the node of {@code loader} (one from {@link #classLoader})
     * until the scope is closed: for a node's start and stop, which run on a caller's thread.
     */
    public static Scope workFor(ClassLoader loader) {
        Thread thread = Thread.currentThread();
        Scope scope = new Scope(thread, thread.getContextClassLoader());
        thread.setContextClassLoader(loader);
        return scope;
    }

    /** Gives the thread its context class loader back. */
    public record Scope(Thread thread, ClassLoader previous) implements AutoCloseable {
        @Override
        public void close() {
            thread.setContextClassLoader(previous);
        }
    }

    /** Loads nothing itself; it only says whose thread it is the context class loader of. */
    private static final class NodeClassLoader extends ClassLoader {
        static {
            // no lock of its own around the lookups it passes on to its parent
            registerAsParallelCapable();
        }

        final String serverId;

        NodeClassLoader(long serverId, ClassLoader parent) {
            super("paddock-node-" + serverId, parent);
            this.serverId = Long.toString(serverId);
        }
    }
}
