package io.paddock.node.auth;

import io.paddock.protocol.data.Id;
import java.util.ArrayList;
import java.util.List;

/**
 * The identities of one connection: its ip address, and the digest identities its client added
 * with addAuth. These are bounded, at most {@link #MAX_DIGESTS} and {@link #MAX_DIGEST_CHARS}
 * characters together: the {@code auth} ACL scheme expands to every one of them, and a learner
 * forwards them with every write, so each one more makes ACLs, txns and peer messages larger.
 * ZooKeeper has no bound.
 */
public final class AuthIds {
    public static final int MAX_DIGESTS = 16;
    public static final int MAX_DIGEST_CHARS = 4096;

    private AuthIds() {
    }

    /**
     * {@code ids} with the digest identity of {@code credential} (and the super user's, when its
     * digest is {@code superDigest}); {@code ids} itself when it has that identity already; null
     * when adding it would go over a bound.
     */
    public static List<Id> withDigest(List<Id> ids, String credential, String superDigest) {
        String digest = DigestAuth.digest(credential);
        Id id = new Id(DigestAuth.SCHEME, digest);
        if (ids.contains(id)) {
            return ids;
        }
        int count = 1;
        int chars = digest.length();
        for (Id other : ids) {
            if (DigestAuth.SCHEME.equals(other.scheme())) {
                count++;
                chars += other.id().length();
            }
        }
        if (count > MAX_DIGESTS || chars > MAX_DIGEST_CHARS) {
            return null;
        }
        List<Id> out = new ArrayList<>(ids);
        out.add(id);
        if (digest.equals(superDigest)) {
            out.add(new Id("super", ""));
        }
        return List.copyOf(out);
    }
}
