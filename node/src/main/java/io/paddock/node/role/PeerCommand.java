package io.paddock.node.role;

/**
 * Every message the {@link QuorumPeer} actor handles. A node is one actor whose behavior is its
 * role; each role's own messages are a sealed interface of records next to it, extending this,
 * and the messages every role handles are {@link QuorumPeer.Shared}. Sealed, so that these
 * families are all there is: a new message joins the family of the role that handles it.
 */
public sealed interface PeerCommand permits QuorumPeer.Shared, Looking.Command, Learner.Command, Leading.Command {
}
