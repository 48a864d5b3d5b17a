package io.paddock.node.role;

/**
 * Every message the {@link QuorumPeer} actor handles. A node is one actor whose behavior is its
 * role; each role's own messages are a sealed interface of records next to it, extending this.
 */
public interface PeerCommand {
}
