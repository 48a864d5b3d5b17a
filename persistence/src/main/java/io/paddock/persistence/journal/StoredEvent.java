package io.paddock.persistence.journal;

/** One serialized PersistentRepr as it sits in a journal record, with its sequence number outside the bytes. */
record StoredEvent(long seqNr, byte[] bytes) {
}
