package io.paddock.persistence;

import io.paddock.persistence.files.LostData;
import io.paddock.persistence.snapshot.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.txn.Txn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Gathers, while the TxnLog replays, what {@link TxnLog.Recovered} reports: the loaded snapshot's
 * image and every txn logged after it. Lives outside the state because it is unbounded, whereas
 * the state keeps only the recent-txns ring; it is dropped once recovery completes.
 */
final class RecoveryCollector {
    private final ImageFiles images;
    private final long snapshotSeqNr;
    private byte[] image;
    private long snapshotZxid;
    private final ArrayList<Txn> txns;
    private long lastSeqNr;

    private RecoveryCollector(ImageFiles images, byte[] image, long snapshotZxid, long snapshotSeqNr, List<Txn> tail) {
        this.images = images;
        this.image = image;
        this.snapshotZxid = snapshotZxid;
        this.snapshotSeqNr = snapshotSeqNr;
        this.txns = new ArrayList<>(tail);
        this.lastSeqNr = snapshotSeqNr;
    }

    /**
     * Starts from the state recovery began with: the loaded snapshot's, or the empty one. Its image
     * is in the state, loaded with it, or (with a snapshot store that does not load them) read
     * here from its file.
     */
    static RecoveryCollector startingFrom(TxnLog.LogState state, ImageFiles images) {
        byte[] image = state.image();
        if (image == null && state.imageFile() != null) {
            try {
                image = images.read(state.imageFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return image == null
            ? new RecoveryCollector(images, null, 0, 0, List.of())
            : new RecoveryCollector(images, image, state.snapshotZxid(), state.latestSnapshotSeqNr(), state.tail());
    }

    /** The sequence number of the snapshot recovery loaded, 0 when none. */
    long loadedSnapshotSeqNr() {
        return snapshotSeqNr;
    }

    /**
     * Takes the replayed event with sequence number {@code seqNr}. Events must follow the loaded
     * snapshot (or the start) without a gap: a gap means events were deleted that no readable
     * snapshot covers, and recovering anyway would silently lose txns.
     */
    void apply(TxnLog.Event event, long seqNr) {
        if (seqNr != lastSeqNr + 1) {
            throw missingEvents(lastSeqNr + 1, seqNr - 1);
        }
        lastSeqNr = seqNr;
        if (event instanceof TxnLog.ProposalsLogged logged) {
            txns.addAll(logged.txns());
        } else if (event instanceof TxnLog.LogTruncated truncated) {
            while (!txns.isEmpty() && txns.get(txns.size() - 1).zxid() > truncated.toZxid()) {
                txns.remove(txns.size() - 1);
            }
        } else if (event instanceof TxnLog.SnapshotInstalled installed) {
            // its snapshot was not loaded (the node stopped before Pekko stored it, or it is damaged): the
            // image file the event names still holds the leader's tree, which the journal never had
            image = readInstalledImage(installed, seqNr);
            snapshotZxid = installed.zxid();
            txns.clear();
        }
        // a replayed SnapshotTaken changes nothing here: its image was never loaded (its save
        // failed, or its file did not pass the CRC), so the txns after the loaded one still count
    }

    private byte[] readInstalledImage(TxnLog.SnapshotInstalled installed, long seqNr) {
        if (installed.imageFile() == null) {
            throw installedSnapshotNotLoaded(installed.zxid(), seqNr, "its image was in a snapshot that could not be loaded");
        }
        try {
            return images.read(installed.imageFile());
        } catch (IOException e) {
            throw installedSnapshotNotLoaded(installed.zxid(), seqNr, e.getMessage());
        }
    }

    /**
     * A replayed SnapshotInstalled: its image, the leader's, could not be read. The journal never held
     * the txns it covers, so recovering without it would silently forget txns this node may have
     * acknowledged (and so lose committed writes).
     */
    private static IllegalStateException installedSnapshotNotLoaded(long zxid, long seqNr, String why) {
        String at = Zxid.toHex(zxid);
        return new IllegalStateException(LostData.message("the leader's snapshot at zxid " + at
            + " (snapshot " + seqNr + ", installed by a SNAP) could not be loaded: " + why
            + ". This node never logged the txns up to " + at + "; they exist only on the "
            + "other servers, so it refuses to start rather than forget writes it may have acknowledged"));
    }

    /** Checks that replay reached the journal's highest sequence number. */
    void complete(long highestSeqNr) {
        if (highestSeqNr != lastSeqNr) {
            throw missingEvents(lastSeqNr + 1, highestSeqNr);
        }
    }

    private IllegalStateException missingEvents(long from, long to) {
        return new IllegalStateException("events " + from + " to " + to + " are missing after "
            + (snapshotSeqNr == 0 ? "the start of the log (no snapshot could be loaded)" : "the snapshot at " + snapshotSeqNr)
            + ": they were deleted, but no readable snapshot covers them; refusing to recover a log with a hole");
    }

    TxnLog.Recovered result(long acceptedEpoch, long currentEpoch) {
        return new TxnLog.Recovered(acceptedEpoch, currentEpoch, snapshotZxid, image,
            Collections.unmodifiableList(txns));
    }
}
