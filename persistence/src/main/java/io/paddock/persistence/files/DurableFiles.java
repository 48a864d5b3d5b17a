package io.paddock.persistence.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The fsync rules both plugins follow (internal to the persistence plugins): a file's data is
 * durable after {@code force}, but its name only after its directory has been forced too.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Makes the directory's entries (files created, renamed or deleted in it) durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Creates {@code dir} and any missing parents, making each new entry durable in its parent. An
     * existing {@code dir}'s entry is made durable too, where its parent can be opened: a crash
     * (or another program) may have left it created and not yet forced.
     */
    public static void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            if (absolute.getParent() != null) {
                try {
                    fsyncDirectory(absolute.getParent());
                } catch (IOException e) {
                    // a parent this process may not read: it did not create the entry either
                }
            }
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
            return; // someone else just created it (and fsyncs its parent)
        }
        if (parent != null) {
            fsyncDirectory(parent);
        }
    }

    private static final int SLICE = 1 << 20;
    private static final long FORCE_EVERY = 8 << 20;

    /**
     * Replaces {@code target} with {@code data} so that a crash leaves either the old file or the
     * whole new one: write a temporary file beside it, force it, rename it over the target, and
     * force the directory.
     */
    public static void writeAtomically(Path target, Path temp, ByteBuffer... data) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            long unforced = 0;
            for (ByteBuffer buffer : data) {
                while (buffer.hasRemaining()) {
                    // a slice at a time: the JDK copies a heap buffer into a direct one of the same size
                    ByteBuffer slice = buffer.slice();
                    slice.limit(Math.min(slice.remaining(), SLICE));
                    int written = ch.write(slice);
                    buffer.position(buffer.position() + written);
                    unforced += written;
                    if (unforced >= FORCE_EVERY) {
                        // a large file forced in one go holds the journal's fsyncs behind it (one disk,
                        // one filesystem journal) for as long as it takes: force it as it goes instead
                        ch.force(false);
                        unforced = 0;
                    }
                }
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot write " + temp + ": " + e.getMessage(), e);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(target.toAbsolutePath().getParent());
    }
}
