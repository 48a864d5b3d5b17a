package io.paddock.client;

import io.paddock.protocol.EventType;

/**
 * A watch fired on the server. {@code zxid} is the transaction that triggered it (ZooKeeper
 * 3.9+ sends it in the notification header; older servers send -1).
 */
public record WatchEvent(EventType type, String path, long zxid) {
}
