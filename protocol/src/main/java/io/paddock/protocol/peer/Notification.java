package io.paddock.protocol.peer;

/**
 * Election: {@code sender}'s current vote in its election round {@code electionEpoch} (its
 * logical clock), and its state. Broadcast to every voter whenever the vote changes, and sent in
 * reply to a LOOKING peer that is behind.
 */
public record Notification(long sender, Vote vote, long electionEpoch, ServerState state) implements PeerMessage {
}
