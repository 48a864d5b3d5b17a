package io.paddock.protocol.jute;

/** A jute record could not be decoded: the bytes are truncated or a length field is impossible. */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
