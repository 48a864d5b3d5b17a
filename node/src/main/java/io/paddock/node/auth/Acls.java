package io.paddock.node.auth;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** ACL checks and the validation of ACLs a client sets, with ZooKeeper's rules. */
public final class Acls {
    public static final String WORLD = "world";
    public static final String AUTH = "auth";
    public static final String SUPER = "super";

    private Acls() {
    }

    /** Throws NOAUTH unless one of the session's ids is granted one of the bits in {@code perm}. */
    public static void check(List<Acl> acl, int perm, List<Id> authInfo) throws KeeperException {
        if (!permits(acl, perm, authInfo)) {
            throw new KeeperException(ErrorCode.NOAUTH);
        }
    }

    public static boolean permits(List<Acl> acl, int perm, List<Id> authInfo) {
        if (acl == null || acl.isEmpty()) {
            return true;
        }
        for (Id id : authInfo) {
            if (SUPER.equals(id.scheme())) {
                return true;
            }
        }
        for (Acl a : acl) {
            if ((a.perms() & perm) == 0) {
                continue;
            }
            Id id = a.id();
            if (WORLD.equals(id.scheme()) && "anyone".equals(id.id())) {
                return true;
            }
            for (Id mine : authInfo) {
                if (!mine.scheme().equals(id.scheme())) {
                    continue;
                }
                if (IpAuth.SCHEME.equals(id.scheme()) ? IpAuth.matches(mine.id(), id.id()) : mine.id().equals(id.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The ACL a create or setACL stores: "auth" entries expand to the session's authenticated ids
     * (digest, super; never ip), world must be "anyone", digest and ip ids must be well formed.
     * Anything else, or an empty list, is INVALIDACL.
     */
    public static List<Acl> fixup(List<Acl> acl, List<Id> authInfo) throws KeeperException {
        if (acl == null || acl.isEmpty()) {
            throw new KeeperException(ErrorCode.INVALIDACL);
        }
        // repeats dropped through a set: a 1 MB request carries ~48,000 entries, and comparing each with
        // every one kept took seconds on the leader's thread that commits all writes
        Set<Acl> out = new LinkedHashSet<>();
        for (Acl a : acl) {
            if (a.id() == null || a.id().scheme() == null) {
                throw new KeeperException(ErrorCode.INVALIDACL);
            }
            addFixed(out, a, authInfo);
        }
        return List.copyOf(out);
    }

    private static void addFixed(Set<Acl> out, Acl a, List<Id> authInfo) throws KeeperException {
        Id id = a.id();
        switch (id.scheme()) {
            case WORLD:
                if (!"anyone".equals(id.id())) {
                    throw new KeeperException(ErrorCode.INVALIDACL);
                }
                out.add(a);
                break;
            case AUTH:
                boolean any = false;
                for (Id mine : authInfo) {
                    if (isAuthenticatedScheme(mine.scheme())) {
                        out.add(new Acl(a.perms(), mine));
                        any = true;
                    }
                }
                if (!any) {
                    throw new KeeperException(ErrorCode.INVALIDACL);
                }
                break;
            case DigestAuth.SCHEME:
                if (!DigestAuth.isValidId(id.id())) {
                    throw new KeeperException(ErrorCode.INVALIDACL);
                }
                out.add(a);
                break;
            case IpAuth.SCHEME:
                if (!IpAuth.isValidId(id.id())) {
                    throw new KeeperException(ErrorCode.INVALIDACL);
                }
                out.add(a);
                break;
            default:
                throw new KeeperException(ErrorCode.INVALIDACL);
        }
    }

    /** Schemes whose ids prove who the user is (an ip does not), so "auth" ACLs may use them. */
    private static boolean isAuthenticatedScheme(String scheme) {
        return DigestAuth.SCHEME.equals(scheme) || SUPER.equals(scheme);
    }

    /** The ACL getACL shows a session without ADMIN: digest hashes replaced by "x". */
    public static List<Acl> redactDigests(List<Acl> acl) {
        List<Acl> out = new ArrayList<>(acl.size());
        for (Acl a : acl) {
            Id id = a.id();
            out.add(DigestAuth.SCHEME.equals(id.scheme())
                ? new Acl(a.perms(), new Id(id.scheme(), DigestAuth.userOf(id.id()) + ":x"))
                : a);
        }
        return out;
    }
}
