package io.paddock.client;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Stat;
import java.util.List;

/** A node's ACL and stat. */
public record AclResult(List<Acl> acl, Stat stat) {
}
