package io.paddock.node.role;

/**
 * The node's in-memory state no longer matches its log and must be rebuilt from disk: thrown by a
 * role, it makes the supervisor restart the QuorumPeer, which recovers again (snapshot plus log)
 * and looks for the leader.
 */
final class RestartRequested extends RuntimeException {
    RestartRequested(String why) {
        super(why, null, false, false);
    }
}
