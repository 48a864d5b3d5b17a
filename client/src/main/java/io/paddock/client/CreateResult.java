package io.paddock.client;

import io.paddock.protocol.data.Stat;

/** The result of a create: the actual path (with a sequence suffix for sequential modes) and its stat. */
public record CreateResult(String path, Stat stat) {
}
