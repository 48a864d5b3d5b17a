package io.paddock.node.role;

import io.paddock.node.server.ServerContext;
import io.paddock.persistence.TxnLog;
import org.apache.pekko.actor.typed.ActorRef;

/** What a role hands to the next: the node's shared state and its transaction log. */
public record PeerContext(ServerContext server, ActorRef<TxnLog.Command> log) {
}
