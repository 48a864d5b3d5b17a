package io.paddock.persistence.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Damages files the way crashes and bad disks do. */
public final class DiskDamage {
    private DiskDamage() {
    }

    public static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    public static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0x5a);
        }
    }

    public static void writeInt(Path file, long offset, int value) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.writeInt(value);
        }
    }

    /** Where each record of an undamaged segment starts. */
    public static List<Long> recordOffsets(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Long> offsets = new ArrayList<>();
        while (bytes.remaining() >= SegmentReader.HEADER) {
            offsets.add((long) bytes.position());
            int length = bytes.getInt();
            bytes.position(bytes.position() + 4 + length);
        }
        return offsets;
    }
}
