package io.paddock.persistence.snapshot;

import io.paddock.persistence.files.CheckedFile;
import io.paddock.persistence.files.DurableFiles;
import io.paddock.persistence.files.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The tree images of one persistenceId's snapshots ({@link ExternalImage}), one checked file each
 * in the snapshot store's directory: {@code image-<encoded persistenceId>.<zxid in hex>-<uuid>}.
 */
public final class ImageFiles {
    private final Path dir;
    private final String prefix;

    public ImageFiles(Path dir, String persistenceId) {
        this.dir = dir.toAbsolutePath();
        // "." never occurs in an encoded id, so one id's prefix is never the start of another's
        this.prefix = "image-" + FileNames.encode(persistenceId) + ".";
    }

    /** A name no other image has, for the image of the tree at {@code zxid}. */
    public String newName(long zxid) {
        return prefix + Long.toHexString(zxid) + "-" + UUID.randomUUID();
    }

    /** Writes the image (its parts, in order) durably; afterwards the file is whole and {@link #read} returns them joined. */
    public void write(String name, List<byte[]> image) throws IOException {
        DurableFiles.createDirectories(dir);
        CheckedFile.write(dir.resolve(name), dir.resolve(LocalSnapshotStore.TEMP_PREFIX + UUID.randomUUID()), image);
    }

    public byte[] read(String name) throws IOException {
        try {
            return CheckedFile.read(dir.resolve(name));
        } catch (IOException e) {
            throw new IOException("cannot read the snapshot image " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    public void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
        DurableFiles.fsyncDirectory(dir);
    }

    /** Deletes this persistenceId's images except {@code kept}. */
    public void deleteAllBut(Set<String> kept) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(prefix) && !kept.contains(name)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
