package io.paddock.persistence.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A whole file written once: {@code int32 length, int32 CRC32C(payload), payload}, written to a
 * temporary file, forced and renamed into place, so a crash leaves either no file or a whole one,
 * and reading it back notices a torn or damaged one.
 */
public final class CheckedFile {
    private CheckedFile() {
    }

    /**
     * Writes the payload, given in parts (written one after the other), to {@code target} through
     * {@code temp} (in the same directory).
     */
    public static void write(Path target, Path temp, List<byte[]> payload) throws IOException {
        CRC32C crc = new CRC32C();
        long length = 0;
        ByteBuffer[] buffers = new ByteBuffer[payload.size() + 1];
        for (int i = 0; i < payload.size(); i++) {
            byte[] part = payload.get(i);
            crc.update(part);
            length += part.length;
            buffers[i + 1] = ByteBuffer.wrap(part);
        }
        if (length > Integer.MAX_VALUE) {
            throw new IOException("a payload of " + length + " bytes does not fit a checked file (2 GiB at most)");
        }
        buffers[0] = ByteBuffer.allocate(8).putInt((int) length).putInt((int) crc.getValue()).flip();
        DurableFiles.writeAtomically(target, temp, buffers);
    }

    /** The payload, or an IOException saying what is wrong with the file. Reads it once, into the array returned. */
    public static byte[] read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(8);
            readFully(channel, header);
            if (header.hasRemaining()) {
                throw new IOException("truncated header");
            }
            int length = header.getInt(0);
            int expected = header.getInt(4);
            long follows = channel.size() - 8;
            if (length != follows) {
                throw new IOException("length " + length + " in the header, but " + follows + " bytes follow");
            }
            byte[] payload = new byte[length];
            readFully(channel, ByteBuffer.wrap(payload));
            CRC32C crc = new CRC32C();
            crc.update(payload);
            if ((int) crc.getValue() != expected) {
                throw new IOException("CRC mismatch");
            }
            return payload;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into) throws IOException {
        while (into.hasRemaining() && channel.read(into) >= 0) {
            // a file read returns less than asked only at its end
        }
    }
}
