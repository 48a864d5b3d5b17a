package io.paddock.tests.compat.differential;

import static io.paddock.tests.compat.differential.Differential.compare;

import io.paddock.tests.compat.differential.Run.Client;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session timeouts, resumption, refusal, expiry and close, against ZooKeeper's own server (tickTime 500). */
class SessionDifferentialTest {
    private static final byte[] DATA = "d".getBytes(StandardCharsets.UTF_8);

    /** The shortest timeout tickTime 500 allows, so that expiry comes within about 1.5 s. */
    private static final int SHORT = 1000;
    /** Long enough that a session survives the client's reconnect back-off (up to 1 s) with room to spare. */
    private static final int LONG = 10_000;

    @TempDir
    Path dir;

    @Test
    void negotiatedTimeoutsAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            for (int asked : new int[] {600, 999, 1000, 4321, 10_000, 10_001, 60_000}) {
                Client c = run.connect("t" + asked, run.target().connectString(), asked);
                run.note("[t" + asked + "] asked " + asked + ", negotiated", c.zk.getSessionTimeout());
            }
        });
    }

    @Test
    void resumeAndRefuseAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client a = run.connect("a");
            Client w = run.connect("w");
            run.op(a, "create /eph-a", () -> a.zk.create("/eph-a", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
            long id = a.zk.getSessionId();
            byte[] passwd = a.zk.getSessionPasswd();

            // a wrong password is refused. ZooKeeper also drops the session's own connection, Paddock
            // does not (SessionTakeoverTest): that session, v, is closed before its events would be compared
            Client v = run.connect("v");
            byte[] wrong = Arrays.copyOf(v.zk.getSessionPasswd(), passwd.length);
            wrong[0] ^= 1;
            Client bad = run.resume("bad", LONG, v.zk.getSessionId(), wrong);
            run.awaitEvent(bad);
            run.close(v);

            // an unknown session id is refused
            Client unknown = run.resume("unknown", LONG, id + 0x1234, passwd);
            run.awaitEvent(unknown);

            // the right password resumes the session (here from a second client); it keeps its ephemerals
            a.zk.getTestable().injectSessionExpiration();
            run.awaitEvent(a);
            Client again = run.resume("a2", LONG, id, passwd);
            run.awaitEvent(again);
            run.note("[a2] same session", again.zk.getSessionId() == id);
            run.op(again, "getEphemerals", () -> again.zk.getEphemerals());
            run.op(w, "exists /eph-a", () -> w.zk.exists("/eph-a", false));
        });
    }

    @Test
    void expireAndCloseAsInZooKeeper() throws Exception {
        compare(dir, run -> {
            Client e = run.connect("e", run.target().connectString(), SHORT);
            Client w = run.connect("w");
            run.op(e, "create /eph-e", () -> e.zk.create("/eph-e", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
            run.op(w, "exists /eph-e +watch", () -> w.zk.exists("/eph-e", w.watcher));
            long id = e.zk.getSessionId();
            byte[] passwd = e.zk.getSessionPasswd();

            // left silent, the session expires: its ephemerals go, their watches fire, and it cannot be resumed
            e.zk.getTestable().injectSessionExpiration();
            run.awaitEvent(e);
            run.awaitEvent(w);
            run.op(w, "exists /eph-e", () -> w.zk.exists("/eph-e", false));
            Client late = run.resume("late", LONG, id, passwd);
            run.awaitEvent(late);

            // closing a session deletes its ephemerals at once
            Client c = run.connect("c");
            run.op(c, "create /eph-c", () -> c.zk.create("/eph-c", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL));
            run.op(w, "getData /eph-c +watch", () -> w.zk.getData("/eph-c", w.watcher, null));
            run.op(w, "getChildren / +watch", () -> w.zk.getChildren("/", w.watcher));
            long cid = c.zk.getSessionId();
            byte[] cpasswd = c.zk.getSessionPasswd();
            run.close(c);
            run.settle();
            Client closed = run.resume("closed", LONG, cid, cpasswd);
            run.awaitEvent(closed);
        });
    }
}
