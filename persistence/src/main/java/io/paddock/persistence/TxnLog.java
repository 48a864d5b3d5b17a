package io.paddock.persistence;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.typesafe.config.ConfigFactory;
import io.paddock.protocol.CborSerializable;
import io.paddock.protocol.Throwables;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.txn.Txn;
import io.paddock.persistence.snapshot.ExternalImage;
import io.paddock.persistence.snapshot.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.SnapshotFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The node's transaction log: an event-sourced behavior with persistenceId
 * {@code zab-log-<serverId>}. A journal sequence number is not a zxid.
 *
 * <p>Every reply is sent only after the write it reports is durable. A journal write failure
 * stops the TxnLog (never ack what is not durable); the node watches it. So does an Append whose
 * txns are not above the last logged zxid: the log is a zxid-ordered prefix, and anything else
 * is a bug in the caller (a divergent suffix must be truncated first). So does an installed
 * snapshot (the leader's image) that cannot be saved: the log would start at an image not on disk.
 *
 * <p>On recovery it sends one {@link Recovered} to the recovery listener. While running, its
 * state stays small: epochs, the last logged zxid, a ring of as many recent txns as
 * {@code recentTxnsKept} allows, and the sequence numbers of recent snapshots.
 */
public final class TxnLog extends EventSourcedBehavior<TxnLog.Command, TxnLog.Event, TxnLog.LogState> {

    public static Behavior<Command> create(long serverId, ActorRef<Recovered> recoveryListener, HistoryWindow recentTxnsKept) {
        return Behaviors.setup(ctx -> new TxnLog(ctx, serverId, recoveryListener, recentTxnsKept,
            new ImageFiles(Path.of(ctx.getSystem().settings().config().getString(IMAGE_DIR)), persistenceIdOf(serverId))));
    }

    /** Where local snapshots' tree images go: the snapshot store's directory, where it finds them. */
    static final String IMAGE_DIR = "paddock.snapshot-store.dir";

    public static String persistenceIdOf(long serverId) {
        return "zab-log-" + serverId;
    }

    // ---------------------------------------------------------------- commands

    public sealed interface Command {
    }

    /** Log these txns (in zxid order, above the last logged one); the reply comes once they are durable. */
    public record Append(List<Txn> txns, ActorRef<Appended> replyTo) implements Command {
    }

    /** @param lastZxid the last zxid logged by that Append; @param count how many txns it logged */
    public record Appended(long lastZxid, int count) {
    }

    /** Durably record the epoch this server accepted (ZAB's acceptedEpoch) before acting on it. */
    public record AcceptEpoch(long epoch, ActorRef<Done> replyTo) implements Command {
    }

    /** Durably record the epoch this server acknowledged as current (ZAB's currentEpoch). */
    public record SetCurrentEpoch(long epoch, ActorRef<Done> replyTo) implements Command {
    }

    /** Drop every logged txn with a zxid above {@code toZxid}. */
    public record Truncate(long toZxid, ActorRef<Done> replyTo) implements Command {
    }

    /**
     * Save {@code image}, the node's serialized DataTree as of {@code zxid}, as a snapshot. Txns
     * above {@code zxid} that are already logged go into the snapshot as its tail, taken from the
     * ring of recent txns. The reply says saved=false, and nothing changes, when {@code zxid} is
     * above the last logged zxid (a snapshot never claims txns the log does not hold durably), the
     * ring no longer reaches back to it, or another snapshot is being saved.
     *
     * <p>The image is written to a file of its own off this actor, while appends go on; only then
     * is the snapshot (the log's small state, naming that file) saved, and commands wait for that
     * short save only. The checks are made again once the file is written: a truncation or an
     * installed snapshot meanwhile refuses it.
     */
    public record SaveSnapshot(long zxid, List<byte[]> image, ActorRef<SnapshotResult> replyTo) implements Command {
    }

    /**
     * Install {@code image} (in parts, as its SnapParts came), the leader's DataTree as of
     * {@code zxid} (a SNAP), as a snapshot that replaces everything logged, above {@code zxid} too:
     * afterwards the last logged zxid is {@code zxid}. The txns up to it exist only in the image and
     * on the other servers, so the image is written to its own file before the install is logged,
     * and a recovery that cannot read that file refuses to start. An image that cannot be written
     * is answered {@code saved=false} and changes nothing. Commands wait while it is written.
     */
    public record InstallSnapshot(long zxid, List<byte[]> image, ActorRef<SnapshotResult> replyTo) implements Command {
    }

    /**
     * A snapshot of the tree at {@code zxid} is being serialized: keep every logged txn above
     * {@code zxid} in the ring until a SaveSnapshot at {@code zxid} or above is answered, so that
     * however long the image takes, and however many txns are logged meanwhile, its tail is still
     * there. A Truncate or an InstallSnapshot drops every hold.
     */
    public record HoldRecent(long zxid) implements Command {
    }

    /** @param error null when saved */
    public record SnapshotResult(long zxid, boolean saved, String error) {
    }

    /**
     * The logged txns the in-memory ring still holds: a leader's history for DIFF syncs. Read
     * only; answered from memory at once.
     */
    public record ReadRecent(ActorRef<Recent> replyTo) implements Command {
    }

    /** Every logged txn above {@code floor}, oldest first; {@code lastZxid} is the last one logged (or the floor). */
    public record Recent(long floor, long lastZxid, List<Txn> txns) {
    }

    /**
     * Delete the snapshots, and the events, older than the {@code retainSnapshots}-th newest
     * snapshot (at least 1), and the snapshots that could not be read back. Only snapshots known
     * to be readable count: ones whose save failed, or that recovery had to skip, never do.
     */
    public record Purge(int retainSnapshots, ActorRef<Done> replyTo) implements Command {
    }

    // ---------------------------------------------------------------- events

    public sealed interface Event extends CborSerializable {
    }

    public record ProposalsLogged(List<Txn> txns) implements Event {
    }

    public record EpochAccepted(long epoch) implements Event {
    }

    public record EpochCurrent(long epoch) implements Event {
    }

    public record LogTruncated(long toZxid) implements Event {
    }

    /**
     * A snapshot of the tree at {@code zxid} was taken; {@code imageFile} = the file its image is in
     * (null: the image is in the snapshot itself, as in logs written before images had files).
     * {@code tail} = the txns above {@code zxid} logged by then, in logs written before the ring held
     * them for the snapshot; empty now: the ring, part of the snapshot, holds them (a held
     * snapshot's tail can be tens of thousands of txns, which were then written twice more).
     */
    public record SnapshotTaken(long zxid, List<Txn> tail, String imageFile) implements Event {
    }

    /**
     * The leader's image at {@code zxid} replaced the log (a SNAP). {@code imageFile} = the file its
     * image is in, written before this event, so that recovery finds the image even when the node
     * stopped before Pekko stored the snapshot (null in logs written before: the image is in the
     * snapshot itself).
     */
    public record SnapshotInstalled(long zxid, String imageFile) implements Event {
    }

    // ---------------------------------------------------------------- recovery report

    /**
     * What the log holds, sent once after recovery.
     *
     * @param snapshotZxid the zxid of the snapshot's image, 0 when there is none
     * @param image        the snapshot's image, null when there is none
     * @param txns         every logged txn after {@code snapshotZxid}, in zxid order, truncations applied
     */
    public record Recovered(long acceptedEpoch, long currentEpoch, long snapshotZxid, byte[] image, List<Txn> txns) {
    }

    // ---------------------------------------------------------------- state

    /**
     * The TxnLog's state, and the snapshot payload. Mutable: the event handler changes it in
     * place. That is safe because Pekko stashes commands (so applies no events) while a snapshot
     * of it is being stored, and the state never leaves this actor otherwise.
     */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    public static final class LogState implements CborSerializable, ExternalImage {
        /** Enough for any sane retention; older sequence numbers only matter to a Purge keeping more. */
        private static final int SNAPSHOTS_REMEMBERED = 64;

        private long acceptedEpoch;
        private long currentEpoch;
        private long lastZxid;
        private long snapshotZxid;
        private final ArrayList<Long> snapshotSeqNrs; // of SnapshotTaken events, oldest first
        private final RecentTxns recent;
        /** The image files of the remembered snapshots that have one, by sequence number. */
        private final TreeMap<Long, String> imageFiles;
        // Only in the state right after a SnapshotTaken, until the snapshot is stored, and in a
        // loaded snapshot until recovery completes: memory stays small while running.
        private byte[] image;
        private String imageFile;
        private List<Txn> tail;

        LogState() {
            this(0, 0, 0, 0, List.of(), new RecentTxns(), null, null, null, null);
        }

        @JsonCreator
        LogState(@JsonProperty("acceptedEpoch") long acceptedEpoch,
                 @JsonProperty("currentEpoch") long currentEpoch,
                 @JsonProperty("lastZxid") long lastZxid,
                 @JsonProperty("snapshotZxid") long snapshotZxid,
                 @JsonProperty("snapshotSeqNrs") List<Long> snapshotSeqNrs,
                 @JsonProperty("recent") RecentTxns recent,
                 @JsonProperty("image") byte[] image,
                 @JsonProperty("tail") List<Txn> tail,
                 @JsonProperty("imageFile") String imageFile,
                 @JsonProperty("imageFiles") Map<Long, String> imageFiles) {
            this.acceptedEpoch = acceptedEpoch;
            this.currentEpoch = currentEpoch;
            this.lastZxid = lastZxid;
            this.snapshotZxid = snapshotZxid;
            this.snapshotSeqNrs = new ArrayList<>(snapshotSeqNrs == null ? List.of() : snapshotSeqNrs);
            this.recent = recent == null ? new RecentTxns() : recent;
            this.image = image;
            this.tail = tail;
            this.imageFile = imageFile;
            this.imageFiles = new TreeMap<>(imageFiles == null ? Map.of() : imageFiles);
        }

        @Override
        public String imageFile() {
            return imageFile;
        }

        @Override
        public void imageLoaded(byte[] image) {
            this.image = image;
        }

        /** The image files of the snapshots with sequence numbers from {@code seqNr} on. */
        Collection<String> imageFilesFrom(long seqNr) {
            return imageFiles.tailMap(seqNr, true).values();
        }

        public long acceptedEpoch() {
            return acceptedEpoch;
        }

        public long currentEpoch() {
            return currentEpoch;
        }

        public long lastZxid() {
            return lastZxid;
        }

        public long snapshotZxid() {
            return snapshotZxid;
        }

        byte[] image() {
            return image;
        }

        /** The txns logged above the snapshot's zxid when it was taken: its tail if it has one, else the ring's. */
        List<Txn> tail() {
            return tail != null && !tail.isEmpty() ? tail : recent.after(snapshotZxid);
        }

        List<Long> snapshotSeqNrs() {
            return snapshotSeqNrs;
        }

        long latestSnapshotSeqNr() {
            return snapshotSeqNrs.isEmpty() ? 0 : snapshotSeqNrs.get(snapshotSeqNrs.size() - 1);
        }

        RecentTxns recent() {
            return recent;
        }

        /** @param keepAbove no txn above it leaves the ring, whatever the window (a snapshot being serialized needs them) */
        LogState logged(List<Txn> txns, HistoryWindow recentTxnsKept, long keepAbove) {
            recent.append(txns, recentTxnsKept, keepAbove);
            lastZxid = txns.get(txns.size() - 1).zxid();
            return releaseSnapshotPayload();
        }

        LogState epochAccepted(long epoch) {
            acceptedEpoch = epoch;
            return releaseSnapshotPayload();
        }

        LogState epochCurrent(long epoch) {
            currentEpoch = epoch;
            return releaseSnapshotPayload();
        }

        LogState truncated(long toZxid) {
            recent.truncate(toZxid);
            lastZxid = Math.min(lastZxid, toZxid);
            return releaseSnapshotPayload();
        }

        LogState snapshotInstalled(long zxid, String imageFile, long seqNr) {
            recent.resetTo(zxid);
            lastZxid = zxid;
            return snapshotTaken(zxid, List.of(), imageFile, seqNr);
        }

        /** The snapshot Pekko stores next refers to its image file; only snapshots of old logs carry the image itself. */
        LogState snapshotTaken(long zxid, List<Txn> tail, String imageFile, long seqNr) {
            snapshotZxid = zxid;
            snapshotSeqNrs.add(seqNr);
            if (imageFile != null) {
                imageFiles.put(seqNr, imageFile);
            }
            if (snapshotSeqNrs.size() > SNAPSHOTS_REMEMBERED) {
                imageFiles.remove(snapshotSeqNrs.remove(0));
            }
            this.image = null;
            this.imageFile = imageFile;
            this.tail = List.copyOf(tail);
            return this;
        }

        LogState releaseSnapshotPayload() {
            image = null;
            imageFile = null;
            tail = null;
            return this;
        }
    }

    // ---------------------------------------------------------------- behavior

    /** A SaveSnapshot or InstallSnapshot between its command and its reply. */
    private static final class PendingSnapshot {
        final long zxid;
        final boolean installed;
        final ActorRef<SnapshotResult> replyTo;
        SnapshotResult result;

        PendingSnapshot(long zxid, boolean installed, ActorRef<SnapshotResult> replyTo) {
            this.zxid = zxid;
            this.installed = installed;
            this.replyTo = replyTo;
        }
    }

    /** A SaveSnapshot (or, {@code installed}, an InstallSnapshot) whose image file is being written. */
    private record ImageWrite(long zxid, String file, boolean installed, ActorRef<SnapshotResult> replyTo) {
    }

    /** The image file of a SaveSnapshot or InstallSnapshot is written ({@code failure} null) or could not be. */
    private record ImageWritten(ImageWrite write, Throwable failure) implements Command {
    }

    private final ActorContext<Command> context;
    private final ActorRef<Recovered> recoveryListener;
    private final HistoryWindow recentTxnsKept;
    private final ImageFiles images;
    private final Executor fileIo;
    private ImageWrite imageWrite; // null when no image file of a SaveSnapshot is being written
    /** The InstallSnapshot whose image file is being written; every other command waits for it. */
    private ImageWrite installing;
    /** The zxids of snapshots being serialized ({@link HoldRecent}): the ring keeps every txn above the lowest. */
    private final TreeSet<Long> holds = new TreeSet<>();
    /** The log was truncated or replaced while the image was written: it may show txns the log no longer has. */
    private boolean imageWriteStale;
    private boolean recovered;
    private RecoveryCollector collector; // only while replaying
    private PendingSnapshot pendingSnapshot;
    // Sequence numbers of SnapshotTaken events with no readable snapshot behind them (the save
    // failed, or recovery skipped them). Signals cannot change the persisted state, so this lives
    // here; Purge never keeps such a "snapshot" as the one to recover from.
    private final Set<Long> unusableSnapshots = new HashSet<>();

    private TxnLog(ActorContext<Command> context, long serverId, ActorRef<Recovered> recoveryListener,
                   HistoryWindow recentTxnsKept, ImageFiles images) {
        super(PersistenceId.ofUniqueId(persistenceIdOf(serverId)));
        this.images = images;
        this.fileIo = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.context = context;
        this.recoveryListener = recoveryListener;
        this.recentTxnsKept = recentTxnsKept;
    }

    @Override
    public LogState emptyState() {
        return new LogState();
    }

    @Override
    public CommandHandler<Command, Event, LogState> commandHandler() {
        CommandHandlerBuilder<Command, Event, LogState> handlers = newCommandHandlerBuilder();
        // the txns that follow the leader's image must be logged after it
        handlers.forState(state -> installing != null)
            .onCommand(ImageWritten.class, this::onImageWritten)
            .onAnyCommand(c -> Effect().stash());
        handlers.forAnyState()
            .onCommand(Append.class, this::onAppend)
            .onCommand(AcceptEpoch.class, (state, c) -> c.epoch() == state.acceptedEpoch()
                ? done(c.replyTo())
                : Effect().persist(new EpochAccepted(c.epoch())).thenRun(s -> c.replyTo().tell(Done.getInstance())))
            .onCommand(SetCurrentEpoch.class, (state, c) -> c.epoch() == state.currentEpoch()
                ? done(c.replyTo())
                : Effect().persist(new EpochCurrent(c.epoch())).thenRun(s -> c.replyTo().tell(Done.getInstance())))
            .onCommand(Truncate.class, (state, c) -> {
                if (c.toZxid() >= state.lastZxid()) {
                    return done(c.replyTo());
                }
                logRewritten();
                return Effect().persist(new LogTruncated(c.toZxid())).thenRun(s -> c.replyTo().tell(Done.getInstance()));
            })
            .onCommand(SaveSnapshot.class, this::onSaveSnapshot)
            .onCommand(ImageWritten.class, this::onImageWritten)
            .onCommand(InstallSnapshot.class, this::onInstallSnapshot)
            .onCommand(Purge.class, this::onPurge)
            .onCommand(HoldRecent.class, (state, c) -> {
                holds.add(c.zxid());
                return Effect().none();
            })
            .onCommand(ReadRecent.class, (state, c) -> Effect().none().thenRun(st -> c.replyTo().tell(
                new Recent(st.recent().floor(), st.lastZxid(), st.recent().after(st.recent().floor())))));
        return handlers.build();
    }

    private Effect<Event, LogState> done(ActorRef<Done> replyTo) {
        return Effect().none().thenRun(s -> replyTo.tell(Done.getInstance()));
    }

    private Effect<Event, LogState> onAppend(LogState state, Append c) {
        List<Txn> txns = List.copyOf(c.txns());
        if (txns.isEmpty()) {
            return Effect().none().thenRun(s -> c.replyTo().tell(new Appended(s.lastZxid(), 0)));
        }
        long previous = state.lastZxid();
        for (Txn txn : txns) {
            if (txn.zxid() <= previous) {
                throw new IllegalArgumentException("txn " + Zxid.toHex(txn.zxid()) + " is not above "
                    + Zxid.toHex(previous) + ": the log must stay in zxid order (truncate a divergent suffix first)");
            }
            previous = txn.zxid();
        }
        long lastZxid = previous;
        return Effect().persist(new ProposalsLogged(txns))
            .thenRun(s -> c.replyTo().tell(new Appended(lastZxid, txns.size())));
    }

    private Effect<Event, LogState> onSaveSnapshot(LogState state, SaveSnapshot c) {
        if (imageWrite != null) {
            // only this snapshot's hold ends: the image being written keeps its own, older one
            holds.remove(c.zxid());
            c.replyTo().tell(new SnapshotResult(c.zxid(), false,
                "the snapshot at " + Zxid.toHex(imageWrite.zxid()) + " is still being saved"));
            return Effect().none();
        }
        String refused = c.image() == null ? "no image" : refusal(state, c.zxid());
        if (refused != null) {
            return refuse(c.zxid(), refused, c.replyTo());
        }
        imageWrite = writeImage(c.zxid(), false, c.image(), c.replyTo());
        imageWriteStale = false;
        return Effect().none();
    }

    /** Writes an image file off this actor's thread; {@link ImageWritten} says when it is durable. */
    private ImageWrite writeImage(long zxid, boolean installed, List<byte[]> image, ActorRef<SnapshotResult> replyTo) {
        ImageWrite write = new ImageWrite(zxid, images.newName(zxid), installed, replyTo);
        context.pipeToSelf(CompletableFuture.runAsync(() -> {
            try {
                images.write(write.file(), image);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, fileIo), (ok, failure) -> new ImageWritten(write, failure));
        return write;
    }

    private Effect<Event, LogState> onImageWritten(LogState state, ImageWritten written) {
        ImageWrite write = written.write();
        if (write.installed()) {
            return onInstallImageWritten(write, written.failure());
        }
        imageWrite = null;
        String refused = written.failure() != null ? "cannot write its image: " + Throwables.root(written.failure())
            : imageWriteStale ? "the log was truncated or replaced while its image was written"
            : refusal(state, write.zxid());
        if (refused != null) {
            deleteQuietly(write.file());
            context.getLog().warn("Snapshot at {} not saved: {}", Zxid.toHex(write.zxid()), refused);
            return refuse(write.zxid(), refused, write.replyTo());
        }
        pendingSnapshot = new PendingSnapshot(write.zxid(), false, write.replyTo());
        // Pekko stores the snapshot (shouldSnapshot) and signals the outcome before this runs
        return Effect().persist(new SnapshotTaken(write.zxid(), List.of(), write.file()))
            .thenRun(s -> answerSnapshot());
    }

    private void deleteQuietly(String imageFile) {
        try {
            images.delete(imageFile);
        } catch (IOException e) {
            context.getLog().warn("Cannot delete the unused snapshot image {}: {}", imageFile, e.toString());
        }
    }

    /** Why a local snapshot at {@code zxid} cannot be saved; null when it can. */
    private static String refusal(LogState state, long zxid) {
        if (zxid > state.lastZxid()) {
            return "it is above the last logged zxid " + Zxid.toHex(state.lastZxid())
                + ": a snapshot never claims txns the log does not hold durably";
        }
        if (!state.recent().reachesBack(zxid)) {
            return "the " + state.recent().size() + " recent txns kept no longer reach back to " + Zxid.toHex(zxid)
                + " (they start above " + Zxid.toHex(state.recent().floor()) + "): snapshot more often or keep more txns";
        }
        return null;
    }

    private Effect<Event, LogState> refuse(long zxid, String reason, ActorRef<SnapshotResult> replyTo) {
        answered(zxid);
        replyTo.tell(new SnapshotResult(zxid, false, reason));
        return Effect().none();
    }

    /**
     * The log is cut back or replaced: an image being written may show txns it no longer has, and
     * the snapshots being serialized are of a tree the node drops, so nothing is held for them.
     */
    private void logRewritten() {
        imageWriteStale = imageWrite != null;
        holds.clear();
    }

    /** A snapshot at {@code zxid} was answered: its hold, and any older one (of a snapshot dropped on the way), ends. */
    private void answered(long zxid) {
        holds.headSet(zxid, true).clear();
    }

    private Effect<Event, LogState> onInstallSnapshot(LogState state, InstallSnapshot c) {
        if (c.image() == null) {
            return refuse(c.zxid(), "no image", c.replyTo());
        }
        logRewritten();
        installing = writeImage(c.zxid(), true, c.image(), c.replyTo());
        return Effect().none();
    }

    /**
     * The leader's image is durable in its file: the event that replaces the log with it follows.
     * An image that could not be written changes nothing in the log (the learner then stops).
     */
    private Effect<Event, LogState> onInstallImageWritten(ImageWrite write, Throwable failure) {
        installing = null;
        if (failure != null) {
            deleteQuietly(write.file());
            refuse(write.zxid(), "cannot write its image: " + Throwables.root(failure), write.replyTo());
            return Effect().unstashAll();
        }
        pendingSnapshot = new PendingSnapshot(write.zxid(), true, write.replyTo());
        return Effect().persist(new SnapshotInstalled(write.zxid(), write.file()))
            .thenRun(s -> answerSnapshot())
            .thenUnstashAll();
    }

    private void answerSnapshot() {
        PendingSnapshot pending = pendingSnapshot;
        pendingSnapshot = null;
        if (pending == null) {
            return;
        }
        // an installed image is saved once its event is durable: the event names its file, so recovery
        // finds it even where Pekko could not store the snapshot (which then only costs a longer replay)
        SnapshotResult result = pending.installed ? new SnapshotResult(pending.zxid, true, null)
            : pending.result != null ? pending.result
            : new SnapshotResult(pending.zxid, false, "no snapshot was stored");
        answered(pending.zxid);
        pending.replyTo.tell(result);
    }

    private Effect<Event, LogState> onPurge(LogState state, Purge c) {
        int retain = Math.max(1, c.retainSnapshots());
        List<Long> usable = state.snapshotSeqNrs().stream()
            .filter(seqNr -> !unusableSnapshots.contains(seqNr))
            .sorted(Comparator.reverseOrder())
            .toList();
        if (usable.size() < retain) {
            c.replyTo().tell(Done.getInstance());
            return Effect().none();
        }
        long kept = usable.get(retain - 1);
        Set<String> keptImages = new HashSet<>(state.imageFilesFrom(kept));
        if (imageWrite != null) {
            keptImages.add(imageWrite.file());
        }
        try {
            images.deleteAllBut(keptImages);
        } catch (IOException e) {
            context.getLog().warn("Purging the snapshot images of {} failed: {}", persistenceId().id(), e.toString());
        }
        Persistence persistence = Persistence.get(Adapter.toClassic(context.getSystem()));
        context.spawnAnonymous(Purger.create(
            persistence.journalFor(journalPluginId(), ConfigFactory.empty()),
            persistence.snapshotStoreFor(snapshotPluginId(), ConfigFactory.empty()),
            persistenceId().id(), kept, unusableSnapshots.stream().filter(seqNr -> seqNr > kept).toList(),
            c.replyTo()));
        return Effect().none();
    }

    @Override
    public EventHandler<LogState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
            .onEvent(ProposalsLogged.class, (state, e) -> collect(state, e).logged(e.txns(), recentTxnsKept,
                holds.isEmpty() ? Long.MAX_VALUE : holds.first()))
            .onEvent(EpochAccepted.class, (state, e) -> collect(state, e).epochAccepted(e.epoch()))
            .onEvent(EpochCurrent.class, (state, e) -> collect(state, e).epochCurrent(e.epoch()))
            .onEvent(LogTruncated.class, (state, e) -> collect(state, e).truncated(e.toZxid()))
            .onEvent(SnapshotTaken.class, (state, e) -> collect(state, e)
                .snapshotTaken(e.zxid(), e.tail(), e.imageFile(), lastSequenceNumber(context)))
            .onEvent(SnapshotInstalled.class, (state, e) -> collect(state, e)
                .snapshotInstalled(e.zxid(), e.imageFile(), lastSequenceNumber(context)))
            .build();
    }

    /** While replaying, feeds the event to the collector (first seeding it from the state recovery began with). */
    private LogState collect(LogState state, Event event) {
        if (!recovered) {
            if (collector == null) {
                collector = RecoveryCollector.startingFrom(state, images);
            }
            collector.apply(event, lastSequenceNumber(context));
        }
        return state;
    }

    @Override
    public boolean shouldSnapshot(LogState state, Event event, long sequenceNr) {
        return (event instanceof SnapshotTaken || event instanceof SnapshotInstalled)
            && (state.image() != null || state.imageFile() != null);
    }

    @Override
    public SignalHandler<LogState> signalHandler() {
        return newSignalHandlerBuilder()
            .onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted)
            .onSignal(SnapshotCompleted.class, (state, signal) -> snapshotStored(state, signal.metadata().sequenceNr(), null))
            .onSignal(SnapshotFailed.class, (state, signal) ->
                snapshotStored(state, signal.metadata().sequenceNr(), signal.getFailure()))
            .build(); // a failed recovery stops the TxnLog, and Pekko logs why
    }

    private void onRecoveryCompleted(LogState state) {
        RecoveryCollector collected = collector != null ? collector : RecoveryCollector.startingFrom(state, images);
        collected.complete(lastSequenceNumber(context)); // throws, so the TxnLog stops, if there is a hole
        for (long seqNr : state.snapshotSeqNrs()) {
            if (seqNr > collected.loadedSnapshotSeqNr()) {
                unusableSnapshots.add(seqNr); // taken after the snapshot recovery could load
            }
        }
        Recovered result = collected.result(state.acceptedEpoch(), state.currentEpoch());
        collector = null;
        recovered = true;
        state.releaseSnapshotPayload();
        context.getLog().info("Recovered {}: acceptedEpoch {}, currentEpoch {}, snapshot at {}, {} txns after it",
            persistenceId().id(), result.acceptedEpoch(), result.currentEpoch(), Zxid.toHex(result.snapshotZxid()),
            result.txns().size());
        recoveryListener.tell(result);
    }

    private void snapshotStored(LogState state, long seqNr, Throwable failure) {
        if (failure != null) {
            unusableSnapshots.add(seqNr);
            context.getLog().warn("Snapshot {} of {} was not saved", seqNr, persistenceId().id(), failure);
        }
        if (pendingSnapshot != null) {
            pendingSnapshot.result = new SnapshotResult(pendingSnapshot.zxid, failure == null,
                failure == null ? null : failure.toString());
        }
        state.releaseSnapshotPayload();
    }
}
