package io.paddock.tests.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.tests.support.PaddockExtension;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ACLs with the world, auth, digest and ip schemes, and addAuth, through the official client. */
class AclCompatTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final PaddockExtension paddock = PaddockExtension.standalone();
    static ZooKeeper owner;

    @BeforeAll
    static void connect() throws Exception {
        owner = paddock.newClient();
    }

    /** A mutable list: the client's ACL check calls contains(null), which List.of refuses. */
    private static List<ACL> acl(ACL... entries) {
        return new ArrayList<>(Arrays.asList(entries));
    }

    private static ACL entry(int perms, String scheme, String id) {
        return new ACL(perms, new Id(scheme, id));
    }

    @Test
    void digestAclNeedsTheRightCredential() throws Exception {
        String alice = DigestAuthenticationProvider.generateDigest("alice:secret");
        owner.create("/digest", DATA, acl(entry(Perms.ALL, "digest", alice)), CreateMode.PERSISTENT);
        try (ZooKeeper other = ZkClients.connect(paddock.connectString())) {
            assertThatThrownBy(() -> other.getData("/digest", false, null)).isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> other.exists("/digest", false)).as("exists on an existing node needs READ")
                .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> other.setData("/digest", DATA, -1)).isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> other.getACL("/digest", new Stat())).isInstanceOf(KeeperException.NoAuthException.class);
            other.addAuthInfo("digest", "alice:wrong".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> other.getData("/digest", false, null)).isInstanceOf(KeeperException.NoAuthException.class);
            other.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
            assertThat(other.getData("/digest", false, null)).isEqualTo(DATA);
            assertThat(other.getACL("/digest", new Stat())).as("with ADMIN the digest is shown whole")
                .containsExactly(entry(Perms.ALL, "digest", alice));
            other.setData("/digest", DATA, -1);
        }
    }

    /** ZooKeeper's super user: the digest named by this system property passes every ACL check. */
    @Test
    void superDigestPassesEveryAcl() throws Exception {
        String property = "zookeeper.DigestAuthenticationProvider.superDigest";
        System.setProperty(property, DigestAuthenticationProvider.generateDigest("super:test"));
        try (ZooKeeper admin = ZkClients.connect(paddock.connectString())) {
            owner.create("/locked", DATA, acl(entry(Perms.READ, "digest",
                DigestAuthenticationProvider.generateDigest("nobody:x"))), CreateMode.PERSISTENT);
            assertThatThrownBy(() -> admin.setData("/locked", DATA, -1)).isInstanceOf(KeeperException.NoAuthException.class);
            admin.addAuthInfo("digest", "super:test".getBytes(StandardCharsets.UTF_8));
            admin.setData("/locked", DATA, -1);
            admin.delete("/locked", -1);
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void authSchemeTakesTheSessionsAuthenticatedIds() throws Exception {
        try (ZooKeeper bob = ZkClients.connect(paddock.connectString())) {
            assertThatThrownBy(() -> bob.create("/auth", DATA, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT))
                .as("auth with no authenticated id").isInstanceOf(KeeperException.InvalidACLException.class);
            bob.addAuthInfo("digest", "bob:pw".getBytes(StandardCharsets.UTF_8));
            bob.create("/auth", DATA, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
            assertThat(bob.getACL("/auth", new Stat()))
                .containsExactly(entry(Perms.ALL, "digest", DigestAuthenticationProvider.generateDigest("bob:pw")));
        }
        assertThatThrownBy(() -> owner.getData("/auth", false, null)).isInstanceOf(KeeperException.NoAuthException.class);
    }

    @Test
    void ipAclMatchesTheClientAddress() throws Exception {
        owner.create("/ip-mine", DATA, acl(entry(Perms.ALL, "ip", "127.0.0.0/8")), CreateMode.PERSISTENT);
        owner.create("/ip-theirs", DATA, acl(entry(Perms.ALL, "ip", "10.0.0.0/8")), CreateMode.PERSISTENT);
        assertThat(owner.getData("/ip-mine", false, null)).isEqualTo(DATA);
        assertThatThrownBy(() -> owner.getData("/ip-theirs", false, null)).isInstanceOf(KeeperException.NoAuthException.class);
    }

    @Test
    void getAclWithoutAdminHidesDigests() throws Exception {
        String carol = DigestAuthenticationProvider.generateDigest("carol:pw");
        owner.create("/redacted", DATA, acl(entry(Perms.READ, "world", "anyone"), entry(Perms.ALL, "digest", carol)),
            CreateMode.PERSISTENT);
        assertThat(owner.getACL("/redacted", new Stat()))
            .containsExactly(entry(Perms.READ, "world", "anyone"), entry(Perms.ALL, "digest", "carol:x"));
    }

    @Test
    void eachOpChecksItsPermission() throws Exception {
        owner.create("/perm-read", DATA, acl(entry(Perms.READ, "world", "anyone")), CreateMode.PERSISTENT);
        assertThat(owner.getData("/perm-read", false, null)).isEqualTo(DATA);
        assertThatThrownBy(() -> owner.setData("/perm-read", DATA, -1)).isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> owner.create("/perm-read/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
            .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> owner.setACL("/perm-read", ZooDefs.Ids.OPEN_ACL_UNSAFE, -1))
            .isInstanceOf(KeeperException.NoAuthException.class);
        owner.create("/perm-nodelete", DATA, acl(entry(Perms.ALL & ~Perms.DELETE, "world", "anyone")), CreateMode.PERSISTENT);
        owner.create("/perm-nodelete/c", DATA, acl(entry(Perms.ALL, "world", "anyone")), CreateMode.PERSISTENT);
        assertThatThrownBy(() -> owner.delete("/perm-nodelete/c", -1)).as("delete needs DELETE on the parent")
            .isInstanceOf(KeeperException.NoAuthException.class);
        owner.create("/perm-open", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        owner.create("/perm-open/locked", DATA, acl(entry(0, "world", "anyone")), CreateMode.PERSISTENT);
        owner.delete("/perm-open/locked", -1);
    }

    @Test
    void malformedAclsAreInvalid() {
        for (List<ACL> bad : List.of(acl(entry(Perms.ALL, "world", "someone")), acl(entry(Perms.ALL, "foo", "bar")),
            acl(entry(Perms.ALL, "digest", "no-colon")), acl(entry(Perms.ALL, "ip", "1.2.3")),
            acl(entry(Perms.ALL, "ip", "127.0.0.1/33")))) {
            assertThatThrownBy(() -> owner.create("/invalid", DATA, bad, CreateMode.PERSISTENT)).as(bad.toString())
                .isInstanceOf(KeeperException.InvalidACLException.class);
        }
    }

    @Test
    void anUnknownAuthSchemeFailsTheConnection() throws Exception {
        EventQueue events = new EventQueue();
        ZooKeeper zk = ZkClients.connect(paddock.connectString(), 10_000, events);
        try {
            zk.addAuthInfo("kerberos-please", "x".getBytes(StandardCharsets.UTF_8));
            events.awaitState(Watcher.Event.KeeperState.AuthFailed);
            assertThat(zk.getState()).isEqualTo(ZooKeeper.States.AUTH_FAILED);
            assertThatThrownBy(() -> zk.exists("/", false)).isInstanceOf(KeeperException.AuthFailedException.class);
        } finally {
            zk.close();
        }
    }
}
