package io.paddock.persistence.journal;

import io.paddock.persistence.files.DurableFiles;
import io.paddock.persistence.files.LostData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The small metadata file {@code meta} of one persistenceId's directory: the sequence number up
 * to which events are deleted. 16 bytes: int32 magic "PDK1", int64 deletedTo, int32 CRC32C of
 * the first 12. Written to {@code meta.tmp}, forced, and renamed over {@code meta}.
 */
final class DeletionMark {
    static final String FILE = "meta";
    static final String TEMP = "meta.tmp";
    private static final int MAGIC = 0x50444B31;

    private DeletionMark() {
    }

    /** The deleted-to sequence number, 0 when nothing was ever deleted. */
    static long read(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(TEMP)); // a crash before the rename: the old file stands
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length != 16 || in.getInt() != MAGIC) {
            throw new IOException(LostData.message("corrupt journal metadata file " + file + ": unexpected size or magic"));
        }
        long deletedTo = in.getLong();
        if (in.getInt() != crc(bytes)) {
            throw new IOException(LostData.message("corrupt journal metadata file " + file + ": CRC mismatch"));
        }
        return deletedTo;
    }

    static void write(Path dir, long deletedTo) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(16);
        out.putInt(MAGIC).putLong(deletedTo).putInt(crc(out.array()));
        out.flip();
        DurableFiles.writeAtomically(dir.resolve(FILE), dir.resolve(TEMP), out);
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 12);
        return (int) crc.getValue();
    }
}
