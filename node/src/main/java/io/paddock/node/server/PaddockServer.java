package io.paddock.node.server;

import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.node.admin.AdminContext;
import io.paddock.node.admin.AdminEndpoint;
import io.paddock.node.cluster.ClusterJoiner;
import io.paddock.node.cluster.LearnerLink;
import io.paddock.node.cluster.PeerAddresses;
import io.paddock.node.cluster.PekkoSettings;
import io.paddock.node.cnxn.ClientPort;
import io.paddock.node.context.ServerContext;
import io.paddock.node.logging.NodeThreads;
import io.paddock.node.role.PeerCommand;
import io.paddock.node.role.QuorumPeer;
import io.paddock.node.session.SessionTracker;
import io.paddock.persistence.files.DurableFiles;
import io.paddock.persistence.journal.JournalObserver;
import io.paddock.protocol.peer.PeerFrames;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Paddock node: its ActorSystem, its peer, and its client port. Used by the
 * command line and, in-process, by tests.
 */
public final class PaddockServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PaddockServer.class);
    /** Recovering a large log can take a while; this only bounds a node that never gets going. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(10);

    private record Incarnation(ActorSystem<StopPeer> system, ServerContext context, ClientPort port) {
    }

    /**
     * The guardian's one command, from coordinated shutdown: stop the peer now (it stops voting,
     * leading and following), then end the learners' links; the ActorSystem (the cluster leave,
     * then the rest) shuts down after that.
     */
    private enum StopPeer { INSTANCE }

    private final NodeConfig cfg;
    /** Every thread of this node has it as its context class loader: it names the node in log lines (NodeThreads). */
    private final ClassLoader threads;
    private final FileChannel lockChannel;
    private final CompletableFuture<Done> stopped = new CompletableFuture<>();
    private volatile Incarnation current;
    private volatile boolean closing;
    /** A restart after the cluster removed this node, while it runs (guarded by this). */
    private Thread restarting;

    private PaddockServer(NodeConfig cfg, ClassLoader threads, FileChannel lockChannel) {
        this.cfg = cfg;
        this.threads = threads;
        this.lockChannel = lockChannel;
    }

    public static PaddockServer start(NodeConfig cfg) throws StartupException {
        ClassLoader threads = NodeThreads.classLoader(cfg.serverId());
        // the caller's thread works for this node while it starts it
        try (NodeThreads.Scope starting = NodeThreads.workFor(threads)) {
            return start(cfg, threads);
        }
    }

    private static PaddockServer start(NodeConfig cfg, ClassLoader threads) throws StartupException {
        createDirectory(cfg, cfg.dataDir(), "dataDir");
        createDirectory(cfg, cfg.dataLogDir(), "dataLogDir");
        Optional<Path> zooKeeperData = ZooKeeperData.foundIn(cfg);
        if (zooKeeperData.isPresent() && !ZooKeeperData.paddockDataIn(cfg)) {
            throw new StartupException(ZooKeeperData.refusal(cfg, zooKeeperData.get()));
        }
        FileChannel lock = lockDataDir(cfg);
        try {
            checkClientPortFree(cfg);
        } catch (StartupException e) {
            release(lock);
            throw e;
        }
        PaddockServer server = new PaddockServer(cfg, threads, lock);
        try {
            server.current = server.startIncarnation();
        } catch (StartupException e) {
            release(lock);
            throw e;
        }
        return server;
    }

    /**
     * One life of the node: an ActorSystem, the state it serves from, and the client port. An
     * ensemble node that the cluster removed (downed while cut off, or on the losing side of two
     * clusters) must come back as a new ActorSystem on the same port; any other end is final.
     */
    private Incarnation startIncarnation() throws StartupException {
        while (true) {
            try {
                return startOnce();
            } catch (RemovedWhileStarting e) {
                // two nodes restarted together can form a cluster of their own before they find the one that
                // runs, and the older cluster wins: come back as a running node would (ended)
                log.warn("the cluster removed this node while it started; starting it again as a new incarnation");
            }
        }
    }

    /** The cluster downed this node before it served; {@link #startIncarnation} starts it again. */
    private static final class RemovedWhileStarting extends Exception {
        RemovedWhileStarting() {
            super(null, null, false, false);
        }
    }

    private Incarnation startOnce() throws StartupException, RemovedWhileStarting {
        ServerContext context = new ServerContext(cfg, new SessionTracker(cfg.serverId(), System.currentTimeMillis(),
            SessionTracker::monotonicMillis));
        CompletableFuture<Done> ready = new CompletableFuture<>();
        CompletableFuture<Done> peerEnded = new CompletableFuture<>();
        ActorSystem<StopPeer> system = ActorSystem.create(Behaviors.setup(ctx -> {
            LearnerLink.Listener links = null;
            if (!cfg.isStandalone()) {
                // found at its well-known path by the other servers' joiners
                ctx.spawn(ClusterJoiner.create(cfg), ClusterJoiner.NAME);
                // learner sessions run over a TCP link to their leader's election port, whose end also tells them at
                // once that the leader's process died (bound before the log is recovered, so before this node can lead)
                links = LearnerLink.listen(ctx.getSystem(), cfg.peerBindHost(), cfg.self().electionPort(),
                    PeerFrames.frameSize(cfg.maxBuffer()), id -> {
                        ServerSpec spec = cfg.servers().get(id);
                        return spec == null ? null : PeerAddresses.address(spec);
                    });
            }
            JournalObserver.get(ctx.getSystem()).listen(context.metrics()::fsynced);
            ActorRef<PeerCommand> peer = ctx.spawn(QuorumPeer.create(context, ready, links), "peer");
            AdminContext.get(ctx.getSystem()).attach(context);
            ctx.spawn(AdminEndpoint.create(context), AdminEndpoint.NAME);
            // bounded by the phase's timeout (Pekko's default 5 s); done at once if the peer has ended already
            CoordinatedShutdown.get(ctx.getSystem()).addTask(CoordinatedShutdown.PhaseServiceStop(), "stop-zab-peer", () -> {
                ctx.getSelf().tell(StopPeer.INSTANCE);
                return peerEnded;
            });
            return new Guardian(ctx, peer, links, peerEnded).behavior();
        }), PekkoSettings.SYSTEM_NAME, BootstrapSetup.create(PekkoSettings.forNode(cfg)).withClassloader(threads));
        system.getWhenTerminated().thenRun(() -> ready.completeExceptionally(
            new IllegalStateException("the node stopped while starting")));
        ClientPort port = new ClientPort(context, system);
        try {
            ready.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            port.bind(system).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            system.terminate();
            awaitTermination(system);
            if (removedByCluster(system)) {
                throw new RemovedWhileStarting();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof org.apache.pekko.stream.BindFailedException || cause instanceof java.net.BindException) {
                throw new StartupException(clientPortProblem(cfg, cause.getMessage()), cause);
            }
            throw new StartupException("the node could not start: " + cause.getMessage(), cause);
        }
        HTTPServer metricsPort = MetricsPort.start(cfg, context.metrics());
        system.getWhenTerminated().thenRun(() -> {
            // closed first: a next incarnation (ended) binds the same port
            if (metricsPort != null) {
                metricsPort.close();
            }
            ended(system);
        });
        Management.start(system, cfg, Duration.ofSeconds(30));
        return new Incarnation(system, context, port);
    }

    /**
     * The ActorSystem's guardian: it watches the peer. The peer's end on its own ends the node (the
     * ActorSystem stops); a stop asked by coordinated shutdown keeps the guardian, and so the
     * ActorSystem, until the shutdown's later phases (the cluster leave) are done. Once the peer has
     * stopped, the learners' links end.
     */
    private static final class Guardian {
        private final ActorContext<StopPeer> ctx;
        private final ActorRef<PeerCommand> peer;
        private final LearnerLink.Listener links;
        private final CompletableFuture<Done> peerEnded;
        private boolean stopAsked;

        Guardian(ActorContext<StopPeer> ctx, ActorRef<PeerCommand> peer, LearnerLink.Listener links,
                 CompletableFuture<Done> peerEnded) {
            this.ctx = ctx;
            this.peer = peer;
            this.links = links;
            this.peerEnded = peerEnded;
            ctx.watch(peer);
        }

        Behavior<StopPeer> behavior() {
            return Behaviors.receive(StopPeer.class)
                .onMessageEquals(StopPeer.INSTANCE, this::onStopPeer)
                .onSignal(Terminated.class, t -> onPeerEnded())
                .build();
        }

        private Behavior<StopPeer> onStopPeer() {
            if (!stopAsked && !peerEnded.isDone()) {
                stopAsked = true;
                ctx.stop(peer);
            }
            return Behaviors.same();
        }

        private Behavior<StopPeer> onPeerEnded() {
            if (links != null) {
                links.close();
            }
            peerEnded.complete(Done.getInstance());
            return stopAsked ? Behaviors.same() : Behaviors.stopped();
        }
    }

    /** Whether {@code system} ended because the cluster downed this node (it lost a split, or two clusters met). */
    private static boolean removedByCluster(ActorSystem<?> system) {
        Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(system).getShutdownReason();
        return reason.isPresent() && reason.get() == CoordinatedShutdown.clusterDowningReason();
    }

    private void ended(ActorSystem<?> system) {
        boolean removed = removedByCluster(system);
        Thread restart;
        synchronized (this) {
            if (closing) {
                return;
            }
            if (!removed) {
                stopped.complete(Done.getInstance());
                return;
            }
            log.warn("the cluster removed this node; starting it again as a new incarnation");
            restart = new Thread(() -> {
                try {
                    current = startIncarnation();
                } catch (StartupException e) {
                    log.error("the node could not start again: {}", e.getMessage());
                    stopped.complete(Done.getInstance());
                }
            }, "paddock-restart");
            restart.setContextClassLoader(threads);
            // close() waits for it, so that no incarnation outlives close()
            restarting = restart;
        }
        restart.start();
    }

    static void createDirectory(NodeConfig cfg, Path dir, String key) throws StartupException {
        try {
            DurableFiles.createDirectories(dir); // forced: a node may acknowledge writes into it soon after
        } catch (IOException e) {
            throw new StartupException(cfg.sourceFile() + ": " + key + ": " + dir + " cannot be created: " + e);
        }
        if (!Files.isWritable(dir)) {
            throw new StartupException(cfg.sourceFile() + ": " + key + ": " + dir + " is not writable");
        }
    }

    /** Two nodes writing one journal would corrupt it; the second one is refused. */
    static FileChannel lockDataDir(NodeConfig cfg) throws StartupException {
        Path dataDir = cfg.dataDir();
        Path lockFile = dataDir.resolve("paddock.lock");
        try {
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                throw new StartupException(cfg.sourceFile() + ": dataDir: " + dataDir
                    + " is in use by another Paddock node (" + lockFile + " is locked)");
            }
            return ch;
        } catch (IOException e) {
            throw new StartupException(cfg.sourceFile() + ": dataDir: cannot lock " + lockFile + ": " + e);
        }
    }

    /**
     * Fails fast, before the log is recovered (which may take a while), when the client port is
     * taken, and with one line rather than the client port's bind error and stack trace.
     * Binding for real can still fail (the port may be taken in between); that is reported alike.
     */
    static void checkClientPortFree(NodeConfig cfg) throws StartupException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(cfg.clientAddress());
        } catch (IOException e) {
            throw new StartupException(clientPortProblem(cfg, e.getMessage()), e);
        }
    }

    private static String clientPortProblem(NodeConfig cfg, String reason) {
        InetSocketAddress a = cfg.clientAddress();
        return cfg.sourceFile() + ": clientPort: " + a.getPort() + " on " + a.getHostString() + " is not available ("
            + reason + ")";
    }

    static void release(FileChannel lock) {
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("could not release the data directory lock: {}", e.toString());
        }
    }

    private static void awaitTermination(ActorSystem<?> system) {
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("the actor system did not terminate cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The admin port's address (with admin.enableServer), or null. */
    public String managementUrl() {
        return cfg.adminEnableServer() ? Management.url(cfg) : null;
    }

    public InetSocketAddress clientAddress() {
        return current.port().localAddress();
    }

    /** The current incarnation's shared state. */
    public ServerContext context() {
        return current.context();
    }

    public ActorSystem<?> system() {
        return current.system();
    }

    /** Completes when the node has stopped for good, whether asked to or because it failed (not when it is merely restarted). */
    public CompletionStage<Done> whenTerminated() {
        return stopped;
    }

    /** Stops serving, closes every connection (sessions live on), and stops the node. */
    @Override
    public void close() {
        try (NodeThreads.Scope stopping = NodeThreads.workFor(threads)) {
            stop();
        }
    }

    private void stop() {
        Thread restart;
        synchronized (this) {
            closing = true;
            restart = restarting;
        }
        if (restart != null) {
            try {
                restart.join(STARTUP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Incarnation in = current;
        try {
            in.port().unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("unbinding the client port failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        in.context().connections().closeAll();
        in.system().terminate();
        awaitTermination(in.system());
        release(lockChannel);
        stopped.complete(Done.getInstance());
    }
}
