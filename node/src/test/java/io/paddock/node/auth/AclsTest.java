package io.paddock.node.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import java.util.List;
import org.junit.jupiter.api.Test;

class AclsTest {
    final Id ip = new Id("ip", "10.1.2.3");
    final Id alice = new Id("digest", DigestAuth.digest("alice:secret"));

    @Test
    void digestMatchesZooKeepersFormat() {
        // the digest ZooKeeper documents for super:test (zookeeperAdmin, "superDigest")
        assertThat(DigestAuth.digest("super:test")).isEqualTo("super:D/InIHSb7yEEbrWz8b9l71RjZJU=");
        assertThat(DigestAuth.digest("nocolon")).startsWith("nocolon:");
    }

    @Test
    void worldAnyoneAndMatchingIdsAreAllowed() throws KeeperException {
        Acls.check(Acl.OPEN_ACL_UNSAFE, Perms.WRITE, List.of());
        Acls.check(List.of(new Acl(Perms.READ, alice)), Perms.READ, List.of(ip, alice));
        assertThat(Acls.permits(List.of(new Acl(Perms.READ, alice)), Perms.WRITE, List.of(alice))).isFalse();
        assertThat(Acls.permits(List.of(new Acl(Perms.ALL, alice)), Perms.READ, List.of(ip))).isFalse();
        assertThat(Acls.permits(List.of(new Acl(Perms.READ, alice)), Perms.READ, List.of(new Id("super", "")))).isTrue();
    }

    @Test
    void ipAclsMatchAddressesAndPrefixes() {
        assertThat(IpAuth.matches("10.1.2.3", "10.1.2.3")).isTrue();
        assertThat(IpAuth.matches("10.1.2.3", "10.1.0.0/16")).isTrue();
        assertThat(IpAuth.matches("10.2.2.3", "10.1.0.0/16")).isFalse();
        assertThat(IpAuth.matches("10.1.2.3", "0.0.0.0/0")).isTrue();
        assertThat(IpAuth.matches("::1", "::1")).isTrue();
        assertThat(IpAuth.matches("10.1.2.3", "::1")).isFalse();
        assertThat(IpAuth.isValidId("10.1.2.300")).isFalse();
        assertThat(IpAuth.isValidId("10.1.2.3/33")).isFalse();
        assertThat(IpAuth.isValidId("example.com")).isFalse();
    }

    @Test
    void fixupExpandsAuthAndRejectsWhatZooKeeperRejects() throws KeeperException {
        List<Acl> fixed = Acls.fixup(List.of(new Acl(Perms.ALL, new Id("auth", ""))), List.of(ip, alice));
        assertThat(fixed).containsExactly(new Acl(Perms.ALL, alice));
        assertInvalid(List.of(new Acl(Perms.ALL, new Id("auth", ""))), List.of(ip));
        assertInvalid(List.of(), List.of());
        assertInvalid(List.of(new Acl(Perms.ALL, new Id("world", "someone"))), List.of());
        assertInvalid(List.of(new Acl(Perms.ALL, new Id("digest", "nohash"))), List.of());
        assertInvalid(List.of(new Acl(Perms.ALL, new Id("ip", "300.1.1.1"))), List.of());
        assertInvalid(List.of(new Acl(Perms.ALL, new Id("kerberos", "x"))), List.of());
    }

    /**
     * The most entries one request can carry (a 1 MB packet of short ip ids), repeats dropped in
     * order. The leader fixes an ACL up on the thread that commits every write, so this must stay
     * linear: comparing each entry with all kept before took seconds here.
     */
    @Test
    void fixupOfAPacketFullOfEntriesKeepsTheFirstOfEachInOrder() throws KeeperException {
        List<Acl> acl = new java.util.ArrayList<>();
        for (int i = 0; i < 48_000; i++) {
            acl.add(new Acl(Perms.READ, new Id("ip", "10.0." + (i / 250 % 200) + "." + (i % 250))));
        }
        acl.add(0, acl.get(47_999)); // a repeat first: the first one stays, in its place

        List<Acl> fixed = Acls.fixup(acl, List.of());

        assertThat(fixed).hasSize(48_000).doesNotHaveDuplicates();
        assertThat(fixed.get(0)).isEqualTo(acl.get(0));
        assertThat(fixed.get(1)).isEqualTo(acl.get(1));
    }

    private static void assertInvalid(List<Acl> acl, List<Id> auth) {
        assertThatThrownBy(() -> Acls.fixup(acl, auth)).isInstanceOfSatisfying(KeeperException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALIDACL));
    }

    @Test
    void getAclWithoutAdminHidesDigestHashes() {
        assertThat(Acls.redactDigests(List.of(new Acl(Perms.ALL, alice), new Acl(1, ip))))
            .containsExactly(new Acl(Perms.ALL, new Id("digest", "alice:x")), new Acl(1, ip));
    }
}
