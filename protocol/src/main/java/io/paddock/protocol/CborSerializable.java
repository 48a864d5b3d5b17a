package io.paddock.protocol;

/**
 * Marker for everything Paddock sends between nodes or writes to its journal: Pekko binds it
 * to the jackson-cbor serializer, so records need no further annotations.
 */
public interface CborSerializable {
}
