package io.paddock.node.watch;

import io.paddock.protocol.EventType;

/** Something that receives watch events: a client connection. Called under the tree's lock, so it must only enqueue. */
public interface Watcher {
    void process(EventType type, String path, long zxid);
}
