package io.paddock.node.server;

import io.paddock.config.NodeConfig;
import io.paddock.node.cluster.PekkoSettings;
import io.paddock.node.tree.DataTree;
import io.paddock.node.tree.TreeSnapshot;
import io.paddock.persistence.HistoryWindow;
import io.paddock.persistence.TxnLog;
import io.paddock.protocol.Zxid;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Writes a tree built from another store (bin/paddock import-zookeeper) into a stopped node's
 * empty store, the way a learner installs a leader's SNAP: the image goes to the node's
 * {@link TxnLog} as {@code InstallSnapshot} at the tree's zxid, so the node recovers it as it
 * recovers any installed snapshot, and the log ends at that zxid. Both epochs are set to the
 * zxid's epoch, so that the next leader's epoch, and its zxids, are above every imported one.
 * The data directory is locked meanwhile, as a running node locks it.
 */
public final class StoreImport {
    /** Writing a large image takes a while; this only bounds a store that never answers. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private StoreImport() {
    }

    /**
     * Fails, writing nothing, when the node has data of its own, or is running, or something listens on
     * its client port (the ZooKeeper server, most likely, which may still be writing its files).
     */
    public static void write(NodeConfig cfg, DataTree tree) throws StartupException {
        PaddockServer.createDirectory(cfg, cfg.dataDir(), "dataDir");
        PaddockServer.createDirectory(cfg, cfg.dataLogDir(), "dataLogDir");
        FileChannel lock = PaddockServer.lockDataDir(cfg);
        try {
            try {
                PaddockServer.checkClientPortFree(cfg);
            } catch (StartupException e) {
                throw new StartupException(e.getMessage() + ": stop the ZooKeeper server first (its files may still change);"
                    + " nothing was imported");
            }
            if (ZooKeeperData.paddockDataIn(cfg)) {
                throw new StartupException(cfg.sourceFile() + ": the node has Paddock data already (" + cfg.dataLogDir()
                    .resolve("journal") + ", " + cfg.dataDir().resolve("snapshots") + "): nothing was imported");
            }
            install(cfg, tree);
        } finally {
            PaddockServer.release(lock);
        }
    }

    private static void install(NodeConfig cfg, DataTree tree) throws StartupException {
        CompletableFuture<ActorRef<TxnLog.Command>> recovered = new CompletableFuture<>();
        ActorSystem<TxnLog.Recovered> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ActorRef<TxnLog.Command> log = ctx.spawn(TxnLog.create(cfg.serverId(), ctx.getSelf(),
                HistoryWindow.of(cfg.commitLogCount())), "txnlog");
            ctx.watch(log);
            return Behaviors.receive(TxnLog.Recovered.class)
                .onMessage(TxnLog.Recovered.class, r -> {
                    recovered.complete(log);
                    return Behaviors.same();
                })
                .onSignal(Terminated.class, t -> {
                    recovered.completeExceptionally(new IllegalStateException("the transaction log stopped; see the log above"));
                    return Behaviors.stopped();
                })
                .build();
        }), "paddock-import", PekkoSettings.forStore(cfg));
        try {
            ActorRef<TxnLog.Command> log = recovered.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long zxid = tree.lastProcessedZxid();
            long epoch = Zxid.epoch(zxid);
            await(StoreImport.<Done>ask(system, log, r -> new TxnLog.AcceptEpoch(epoch, r)));
            TxnLog.SnapshotResult result = await(ask(system, log,
                r -> new TxnLog.InstallSnapshot(zxid, TreeSnapshot.begin(tree).writeParts(), r)));
            if (!result.saved()) {
                throw new StartupException("the image could not be written: " + result.error());
            }
            // answered once the snapshot that follows the install is stored too
            await(StoreImport.<Done>ask(system, log, r -> new TxnLog.SetCurrentEpoch(epoch, r)));
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new StartupException("writing the node's store failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while writing the node's store", e);
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // the store is written or the error above says why not
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <T> CompletionStage<T> ask(ActorSystem<?> system, ActorRef<TxnLog.Command> log,
                                              Function<ActorRef<T>, TxnLog.Command> message) {
        return AskPattern.ask(log, message::apply, TIMEOUT, system.scheduler());
    }

    private static <T> T await(CompletionStage<T> reply) throws ExecutionException, TimeoutException, InterruptedException {
        return reply.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
