package io.paddock.persistence.snapshot;

/**
 * A snapshot whose large part (a tree image) was written to a file of its own before the
 * snapshot was saved, so that saving the snapshot itself is quick. The file is in the snapshot
 * store's directory; {@link LocalSnapshotStore} loads it with the snapshot, and skips the
 * snapshot for an older one when it cannot.
 */
public interface ExternalImage {
    /** The image file's name in the snapshot store's directory; null when the snapshot has none. */
    String imageFile();

    /** Hands over the image file's content, read and checked. */
    void imageLoaded(byte[] image);
}
