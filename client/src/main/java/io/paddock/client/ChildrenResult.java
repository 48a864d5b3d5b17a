package io.paddock.client;

import io.paddock.protocol.data.Stat;
import java.util.List;

/** A node's child names (in the server's order, not sorted) and the node's stat. */
public record ChildrenResult(List<String> children, Stat stat) {
}
