package io.paddock.protocol.proto;

import io.paddock.protocol.jute.JuteRecord;

/** A request record that names one znode: every op a multi or multiRead may carry is one. */
public interface PathRequest extends JuteRecord {
    /** The path as sent; null when the client sent a string of length -1. */
    String path();
}
