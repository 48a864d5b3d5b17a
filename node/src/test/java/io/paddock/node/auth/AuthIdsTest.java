package io.paddock.node.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.data.Id;
import io.paddock.protocol.peer.PeerFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthIdsTest {
    private static final List<Id> ADDRESS = List.of(new Id(IpAuth.SCHEME, "127.0.0.1"));

    @Test
    void sixteenDigestIdentitiesAndNoMore() {
        List<Id> ids = ADDRESS;
        for (int i = 1; i <= AuthIds.MAX_DIGESTS; i++) {
            ids = AuthIds.withDigest(ids, "user" + i + ":pw", null);
        }
        assertThat(ids).hasSize(1 + AuthIds.MAX_DIGESTS);
        assertThat(AuthIds.withDigest(ids, "user1:pw", null)).as("one it has").isSameAs(ids);
        assertThat(AuthIds.withDigest(ids, "user17:pw", null)).as("one more").isNull();
    }

    @Test
    void longUserNamesCountByTheirLength() {
        String longUser = "u".repeat(AuthIds.MAX_DIGEST_CHARS / 2);
        List<Id> ids = AuthIds.withDigest(ADDRESS, longUser + "1:pw", null);
        assertThat(ids).hasSize(2);
        assertThat(AuthIds.withDigest(ids, longUser + "2:pw", null)).isNull();
        assertThat(AuthIds.withDigest(ids, "short:pw", null)).hasSize(3);
    }

    @Test
    void theSuperUsersCredentialAddsSuper() {
        String superDigest = DigestAuth.digest("super:secret");
        assertThat(AuthIds.withDigest(ADDRESS, "super:secret", superDigest))
            .containsExactly(ADDRESS.get(0), new Id(DigestAuth.SCHEME, superDigest), new Id("super", ""));
    }

    /**
     * A learner forwards every write with its session's identities, in one peer message: the most a
     * connection may hold (the largest address, 16 identities of multi-byte characters, super) leave
     * room for a request of jute.maxbuffer, whatever jute.maxbuffer is.
     */
    @Test
    void theMostIdentitiesAConnectionMayHoldFitAForwardedWrite() {
        List<Id> ids = new java.util.ArrayList<>(List.of(new Id(IpAuth.SCHEME, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            new Id("super", "")));
        int each = AuthIds.MAX_DIGEST_CHARS / AuthIds.MAX_DIGESTS;
        for (int i = 0; i < AuthIds.MAX_DIGESTS; i++) {
            ids.add(new Id(DigestAuth.SCHEME, "\u4e2d".repeat(each)));
        }
        for (int maxBuffer : new int[] {1, 1024, 0xfffff, 16 << 20}) {
            assertThat(PeerFrames.forwardedSize(maxBuffer, ids)).as("jute.maxbuffer " + maxBuffer)
                .isLessThanOrEqualTo(PeerFrames.itemLimit(maxBuffer));
        }
    }
}
