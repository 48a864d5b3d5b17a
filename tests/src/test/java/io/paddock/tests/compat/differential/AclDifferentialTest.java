package io.paddock.tests.compat.differential;

import static io.paddock.tests.compat.differential.Differential.compare;

import io.paddock.tests.compat.differential.Run.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.SetACLRequest;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ACL schemes, permission checks, redaction and auth, against ZooKeeper's own server. */
class AclDifferentialTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** A mutable list: the client's ACL check calls contains(null), which List.of refuses. */
    private static List<ACL> acl(int perms, String scheme, String id) {
        return acls(new ACL(perms, new Id(scheme, id)));
    }

    private static List<ACL> acls(ACL... acl) {
        return new ArrayList<>(Arrays.asList(acl));
    }

    private static String digest(String credential) throws Exception {
        return DigestAuthenticationProvider.generateDigest(credential);
    }

    @Test
    void permissionsAreEnforcedAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client b = run.connect("b");
            List<ACL> alice = acl(Perms.ALL, "digest", digest("alice:secret"));
            run.op(a, "create /dig (digest alice ALL)", () -> a.zk.create("/dig", DATA, alice, CreateMode.PERSISTENT));
            for (Client c : List.of(a, b)) {
                run.op(c, "exists /dig", () -> c.zk.exists("/dig", false));
                run.op(c, "exists /dig/missing", () -> c.zk.exists("/dig/missing", false));
                run.op(c, "getData /dig", () -> c.zk.getData("/dig", false, null));
                run.op(c, "getChildren /dig", () -> c.zk.getChildren("/dig", false));
                run.op(c, "getACL /dig", () -> c.zk.getACL("/dig", new Stat()));
                run.op(c, "getAllChildrenNumber /dig", () -> c.zk.getAllChildrenNumber("/dig"));
                run.op(c, "setData /dig", () -> c.zk.setData("/dig", DATA, -1));
                run.op(c, "create /dig/c", () -> c.zk.create("/dig/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
                run.op(c, "delete /dig/missing", () -> delete(c, "/dig/missing"));
                run.op(c, "setACL /dig", () -> c.zk.setACL("/dig", alice, -1));
                run.op(c, "multi check /dig", () -> c.zk.multi(List.of(Op.check("/dig", -1))));
                run.op(c, "multiRead getData /dig", () -> c.zk.multi(List.of(Op.getData("/dig"))));
            }
            run.op(b, "addAuth digest alice:wrong", () -> addAuth(b, "alice:wrong"));
            run.op(b, "getData /dig", () -> b.zk.getData("/dig", false, null));
            run.op(b, "addAuth digest alice:secret", () -> addAuth(b, "alice:secret"));
            run.op(b, "getData /dig", () -> b.zk.getData("/dig", false, null));
            run.op(b, "getACL /dig", () -> b.zk.getACL("/dig", new Stat()));
            run.op(b, "create /dig/c", () -> b.zk.create("/dig/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT));
            run.op(b, "whoAmI", () -> b.zk.whoAmI());

            // each permission bit on its own, and the exact op it allows
            for (int perm : new int[] {Perms.READ, Perms.WRITE, Perms.CREATE, Perms.DELETE, Perms.ADMIN}) {
                String p = "/perm" + perm;
                run.op(a, "create " + p, () -> a.zk.create(p, DATA, acl(perm, "world", "anyone"), CreateMode.PERSISTENT));
                run.op(a, "exists " + p, () -> a.zk.exists(p, false));
                run.op(a, "getData " + p, () -> a.zk.getData(p, false, null));
                run.op(a, "getChildren " + p, () -> a.zk.getChildren(p, false));
                run.op(a, "getACL " + p, () -> a.zk.getACL(p, new Stat()));
                run.op(a, "setData " + p, () -> a.zk.setData(p, DATA, -1));
                run.op(a, "create " + p + "/c", () -> a.zk.create(p + "/c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT));
                run.op(a, "delete " + p + "/c", () -> delete(a, p + "/c"));
                run.op(a, "delete " + p + "/missing", () -> delete(a, p + "/missing"));
                run.op(a, "setACL " + p, () -> a.zk.setACL(p, acl(perm, "world", "anyone"), -1));
                run.op(a, "delete " + p, () -> delete(a, p));
            }
            // delete needs DELETE on the parent only: a child nobody may touch can still go
            run.op(a, "create /del", () -> a.zk.create("/del", DATA, acl(Perms.ALL, "world", "anyone"), CreateMode.PERSISTENT));
            run.op(a, "create /del/locked", () -> a.zk.create("/del/locked", DATA, acl(Perms.READ, "digest",
                digest("nobody:x")), CreateMode.PERSISTENT));
            run.op(a, "delete /del/locked", () -> delete(a, "/del/locked"));
        });
    }

    @Test
    void aclValidationAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            int i = 0;
            List<List<ACL>> acls = List.of(
                ZooDefs.Ids.CREATOR_ALL_ACL,
                acl(Perms.ALL, "auth", "whatever"),
                acl(Perms.ALL, "world", "someone"),
                acl(Perms.ALL, "world", "anyone"),
                acl(Perms.ALL, "foo", "bar"),
                acl(Perms.ALL, "digest", "nocolon"),
                acl(Perms.ALL, "digest", "a:b:c"),
                acl(Perms.ALL, "digest", "user:hash"),
                acl(Perms.ALL, "ip", "127.0.0.1"),
                acl(Perms.ALL, "ip", "127.0.0.1/8"),
                acl(Perms.ALL, "ip", "127.0.0.1/33"),
                acl(Perms.ALL, "ip", "1.2.3"),
                acl(Perms.ALL, "ip", "::1"),
                acl(Perms.ALL, "ip", "localhost"),
                acl(Perms.ALL, "super", "x"),
                acl(0, "world", "anyone"),
                acl(Perms.ALL | 64, "world", "anyone"),
                acls(new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE), new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)),
                acls(new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE), new ACL(Perms.WRITE, ZooDefs.Ids.ANYONE_ID_UNSAFE)),
                acls());
            for (int round = 0; round < 2; round++) {
                for (List<ACL> acl : acls) {
                    String path = "/v" + i++;
                    run.raw(a, "create " + path + " " + run.transcript().render(acl), OpCode.create,
                        new CreateRequest(path, DATA, acl, 0), new CreateResponse());
                    run.op(a, "getACL " + path, () -> a.zk.getACL(path, new Stat()));
                    run.raw(a, "setACL /v0 " + run.transcript().render(acl), OpCode.setACL,
                        new SetACLRequest("/v0", acl, -1), new SetACLResponse());
                }
                run.op(a, "addAuth digest alice:secret", () -> addAuth(a, "alice:secret"));
                run.op(a, "addAuth digest bob:pw", () -> addAuth(a, "bob:pw"));
                run.op(a, "addAuth digest alice:secret again", () -> addAuth(a, "alice:secret"));
                run.op(a, "whoAmI", () -> a.zk.whoAmI());
            }
            run.raw(a, "create /null-acl", OpCode.create, new CreateRequest("/null-acl", DATA, null, 0), new CreateResponse());
            run.raw(a, "setACL / null", OpCode.setACL, new SetACLRequest("/", null, -1), new SetACLResponse());
            run.op(a, "addAuth digest nocolon", () -> addAuth(a, "nocolon"));
            run.op(a, "whoAmI", () -> a.zk.whoAmI());
            run.op(a, "create /auth-nocolon", () -> a.zk.create("/auth-nocolon", DATA, ZooDefs.Ids.CREATOR_ALL_ACL,
                CreateMode.PERSISTENT));
            run.op(a, "getACL /auth-nocolon", () -> a.zk.getACL("/auth-nocolon", new Stat()));
        });
    }

    @Test
    void ipAclsAndRedactionAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client b = run.connect("b");
            run.op(a, "create /ip-local", () -> a.zk.create("/ip-local", DATA, acl(Perms.ALL, "ip", "127.0.0.1"),
                CreateMode.PERSISTENT));
            run.op(a, "create /ip-net", () -> a.zk.create("/ip-net", DATA, acl(Perms.ALL, "ip", "127.0.0.0/8"),
                CreateMode.PERSISTENT));
            run.op(a, "create /ip-other", () -> a.zk.create("/ip-other", DATA, acl(Perms.ALL, "ip", "10.0.0.0/8"),
                CreateMode.PERSISTENT));
            for (String p : List.of("/ip-local", "/ip-net", "/ip-other")) {
                run.op(b, "getData " + p, () -> b.zk.getData(p, false, null));
                run.op(b, "getACL " + p, () -> b.zk.getACL(p, new Stat()));
            }
            List<ACL> mixed = acls(new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE),
                new ACL(Perms.ALL, new Id("digest", digest("alice:secret"))),
                new ACL(Perms.READ, new Id("digest", digest("bob:pw"))));
            run.op(a, "create /mixed", () -> a.zk.create("/mixed", DATA, mixed, CreateMode.PERSISTENT));
            run.op(b, "getACL /mixed (no ADMIN)", () -> b.zk.getACL("/mixed", new Stat()));
            run.op(b, "addAuth bob", () -> addAuth(b, "bob:pw"));
            run.op(b, "getACL /mixed (bob, no ADMIN)", () -> b.zk.getACL("/mixed", new Stat()));
            run.op(b, "addAuth alice", () -> addAuth(b, "alice:secret"));
            run.op(b, "getACL /mixed (alice has ADMIN)", () -> b.zk.getACL("/mixed", new Stat()));
            run.op(a, "create /admin-only", () -> a.zk.create("/admin-only", DATA, acl(Perms.ADMIN, "world", "anyone"),
                CreateMode.PERSISTENT));
            run.op(a, "getACL /admin-only", () -> a.zk.getACL("/admin-only", new Stat()));
            run.op(a, "create /read-digest", () -> a.zk.create("/read-digest", DATA, acls(
                new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE),
                new ACL(Perms.ADMIN, new Id("digest", digest("carol:pw")))), CreateMode.PERSISTENT));
            run.op(a, "getACL /read-digest", () -> a.zk.getACL("/read-digest", new Stat()));
        });
    }

    @Test
    void unknownAuthSchemeFailsAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client b = run.connect("b");
            run.op(a, "create /x", () -> a.zk.create("/x", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
            a.zk.addAuthInfo("foo", "bar".getBytes(StandardCharsets.UTF_8));
            run.awaitEvent(a);
            run.op(a, "exists /x after AUTHFAILED", () -> a.zk.exists("/x", false));
            run.note("[a] state", a.zk.getState());
            run.op(b, "exists /x", () -> b.zk.exists("/x", false));
        });
    }

    private static String addAuth(Client c, String credential) throws Exception {
        c.zk.addAuthInfo("digest", credential.getBytes(StandardCharsets.UTF_8));
        // the auth reply is not awaited by addAuthInfo; a round trip orders it before what follows
        c.zk.exists("/", false);
        return "OK";
    }

    private static String delete(Client c, String path) throws Exception {
        c.zk.delete(path, -1);
        return "OK";
    }
}
