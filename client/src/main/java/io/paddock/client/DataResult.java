package io.paddock.client;

import io.paddock.protocol.data.Stat;

/** A node's data and stat. */
public record DataResult(byte[] data, Stat stat) {
}
