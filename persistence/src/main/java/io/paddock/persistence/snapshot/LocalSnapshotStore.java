package io.paddock.persistence.snapshot;

import com.typesafe.config.Config;
import io.paddock.persistence.files.CheckedFile;
import io.paddock.persistence.files.DurableFiles;
import io.paddock.persistence.files.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.serialization.Snapshot;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;

/**
 * Paddock's embedded snapshot-store plugin: one file per snapshot in {@code dir}, named
 * {@code snapshot-<encoded persistenceId>-<sequenceNr>-<timestamp>}, holding
 * {@code int32 length, int32 CRC32C(payload), payload} where the payload is the snapshot wrapped
 * in Pekko's {@link Snapshot} and serialized by Pekko Serialization.
 *
 * <p>Saving writes a temporary file, forces it, renames it into place and forces the directory,
 * so a crash leaves either no snapshot or a whole one. Loading takes the newest snapshot that
 * matches and passes its CRC, falling back to older ones with a warning. A snapshot that keeps
 * its large part in a file of its own ({@link ExternalImage}, in this directory) counts as
 * readable only if that file is there and passes its CRC too. File I/O is synchronous on the
 * plugin's dispatcher.
 */
public final class LocalSnapshotStore extends SnapshotStore {
    private static final Logger log = LoggerFactory.getLogger(LocalSnapshotStore.class);
    private static final String PREFIX = "snapshot-";
    /** Files being written (snapshots and their images) until renamed into place; a crash leaves them behind. */
    static final String TEMP_PREFIX = "tmp-";

    private final Path dir;
    private final Serialization serialization;

    public LocalSnapshotStore(Config config) {
        this.dir = Path.of(config.getString("dir")).toAbsolutePath();
        this.serialization = SerializationExtension.get(context().system());
    }

    /** One snapshot file and what its name says. */
    private record SnapshotFile(Path path, SnapshotMetadata metadata) {
    }

    @Override
    public void preStart() throws Exception {
        DurableFiles.createDirectories(dir);
        // leftovers of saves that a crash interrupted before their rename
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).toList()) {
                Files.deleteIfExists(file);
            }
        }
        log.info("Local snapshot store in {}", dir);
    }

    @Override
    public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        try {
            List<SnapshotFile> candidates = list(persistenceId, criteria::matches);
            for (SnapshotFile candidate : candidates) {
                try {
                    Snapshot snapshot = serialization.deserialize(CheckedFile.read(candidate.path()), Snapshot.class).get();
                    if (snapshot.data() instanceof ExternalImage external && external.imageFile() != null) {
                        external.imageLoaded(new ImageFiles(dir, persistenceId).read(external.imageFile()));
                    }
                    return Futures.successful(Optional.of(SelectedSnapshot.create(candidate.metadata(), snapshot.data())));
                } catch (Exception e) {
                    log.warn("Skipping snapshot file {}: {}; trying an older one", candidate.path(), e.toString());
                }
            }
            if (!candidates.isEmpty()) {
                // recovering from nothing could silently drop data whose events were already deleted
                throw new IOException("none of the " + candidates.size() + " snapshots of " + persistenceId
                    + " in " + dir + " can be read");
            }
            return Futures.successful(Optional.empty());
        } catch (Exception e) {
            return Futures.failed(e);
        }
    }

    @Override
    public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
        Path target = dir.resolve(PREFIX + FileNames.encode(metadata.persistenceId()) + "-" + metadata.sequenceNr()
            + "-" + metadata.timestamp());
        try {
            CheckedFile.write(target, dir.resolve(TEMP_PREFIX + UUID.randomUUID()),
                List.of(serialization.serialize(new Snapshot(snapshot)).get()));
            return Futures.successful(null);
        } catch (Exception e) {
            log.error("Saving snapshot {} failed: {}", target, e.toString());
            return Futures.failed(new IOException("cannot save snapshot " + target + ": " + e, e));
        }
    }

    @Override
    public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
        // a timestamp of 0 means "whatever its timestamp", as in Pekko's own stores
        return delete(metadata.persistenceId(), m -> m.sequenceNr() == metadata.sequenceNr()
            && (metadata.timestamp() == 0 || m.timestamp() == metadata.timestamp()));
    }

    @Override
    public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
        return delete(persistenceId, criteria::matches);
    }

    private Future<Void> delete(String persistenceId, Predicate<SnapshotMetadata> which) {
        try {
            for (SnapshotFile file : list(persistenceId, which)) {
                Files.deleteIfExists(file.path());
            }
            return Futures.successful(null);
        } catch (IOException e) {
            return Futures.failed(e);
        }
    }

    /** The matching snapshots of a persistenceId, newest first. */
    private List<SnapshotFile> list(String persistenceId, Predicate<SnapshotMetadata> which) throws IOException {
        String prefix = PREFIX + FileNames.encode(persistenceId) + "-";
        try (Stream<Path> files = Files.list(dir)) {
            return files
                .map(path -> parse(path, prefix, persistenceId))
                .flatMap(Optional::stream)
                .filter(file -> which.test(file.metadata()))
                .sorted(Comparator.comparingLong((SnapshotFile f) -> f.metadata().sequenceNr())
                    .thenComparingLong(f -> f.metadata().timestamp()).reversed())
                .toList();
        }
    }

    /** The file's metadata if its name is {@code prefix<sequenceNr>-<timestamp>}. */
    private static Optional<SnapshotFile> parse(Path path, String prefix, String persistenceId) {
        String name = path.getFileName().toString();
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        String[] numbers = name.substring(prefix.length()).split("-", -1);
        if (numbers.length != 2) {
            return Optional.empty(); // another id that shares this prefix, e.g. "a" and "a-1"
        }
        try {
            return Optional.of(new SnapshotFile(path,
                new SnapshotMetadata(persistenceId, Long.parseLong(numbers[0]), Long.parseLong(numbers[1]))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
