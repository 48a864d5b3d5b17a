package io.paddock.protocol.peer;

import io.paddock.protocol.CborSerializable;

/** Anything one Paddock node sends another; {@code sender} is the sending server's id. */
public interface PeerMessage extends CborSerializable {
    long sender();
}
