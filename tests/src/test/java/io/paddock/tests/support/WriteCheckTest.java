package io.paddock.tests.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.WriteLoad.Attempt;
import io.paddock.tests.support.WriteLoad.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** WriteCheck finds what it claims to find: each case is one record and one tree, without a server. */
class WriteCheckTest {
    private static final String BASE = "/w0";

    private final List<Attempt> attempts = new ArrayList<>();
    private final SortedMap<String, TreeDump.Node> tree = new TreeMap<>();
    private long zxid = 0x100000010L;
    /** The connection the next attempt goes out on. */
    private int connection = 1;

    WriteCheckTest() {
        tree.put(BASE + "/counter", node(WriteCheck.INIT, stat(1, 0)));
        tree.put(BASE + "/counter2", node(WriteCheck.INIT, stat(2, 0)));
    }

    @Test
    void acknowledgedAndIndeterminateWritesThatAreThereAsRecordedPass() {
        Attempt created = create(0, Code.OK, true);
        create(1, Code.CONNECTIONLOSS, true).lostWith = 1;
        create(2, Code.CONNECTIONLOSS, false).lostWith = 1;
        assertThat(problems()).isEmpty();
        assertThat(new WriteCheck(BASE, attempts, tree, new ArrayList<>()).run()).as("indeterminate writes that took effect")
            .isEqualTo(1);
        assertThat(created.zxid()).isPositive();
    }

    @Test
    void anAcknowledgedCreateThatIsMissingIsFound() {
        create(0, Code.OK, true);
        tree.remove(BASE + "/n0");
        assertThat(problems()).singleElement().asString().contains("acknowledged, but did not take effect");
    }

    @Test
    void aZnodeNobodyAttemptedIsFound() {
        create(0, Code.OK, true);
        tree.put(BASE + "/n6", node(data(6), stat(zxid++, 0)));
        assertThat(problems()).singleElement().asString().contains("/n6: never attempted");
    }

    @Test
    void aLaterWriteLostWithTheSameConnectionCannotTakeEffectWithoutAnEarlierOne() {
        create(1, Code.CONNECTIONLOSS, false).lostWith = 1;
        create(2, Code.CONNECTIONLOSS, true).lostWith = 1;
        assertThat(problems()).singleElement().asString().contains("sent before it on the same connection");
        attempts.get(1).lostWith = 2; // sent on connection 1, lost with 2: it may have gone out on either
        assertThat(problems()).isEmpty();
    }

    @Test
    void writesSentOnDifferentConnectionsAreNotCompared() {
        // sent as the first connection broke, failed when the client tried a dead server (no new connection)
        create(1, Code.CONNECTIONLOSS, false).lostWith = 1;
        connection = 2;
        create(2, Code.CONNECTIONLOSS, true).lostWith = 2;
        assertThat(problems()).isEmpty();
    }

    @Test
    void aMultiThatTookEffectInPartIsFound() {
        Attempt multi = attempt(9, Kind.MULTI, BASE + "/m9");
        answer(multi, Code.CONNECTIONLOSS);
        tree.put(BASE + "/m9a", node(data(9), stat(zxid, 0)));
        tree.put(BASE + "/counter2", node(data(9), stat(2, 1)));
        assertThat(problems()).singleElement().asString().contains("took effect only in part");
        tree.put(BASE + "/m9b", node(data(9), stat(zxid, 0)));
        assertThat(problems()).isEmpty();
    }

    @Test
    void aMultiAcknowledgedAtTheWrongPlaceAmongThoseThatTookEffectIsFound() {
        Attempt multi = attempt(9, Kind.MULTI, BASE + "/m9");
        Stat set = stat(2, 2); // version 2, but it is the only multi
        set.setMzxid(zxid);
        multi.results = List.of(new OpResult.CreateResult(BASE + "/m9a"), new OpResult.CreateResult(BASE + "/m9b"),
            new OpResult.SetDataResult(set));
        answer(multi, Code.OK);
        tree.put(BASE + "/m9a", node(data(9), stat(zxid, 0)));
        tree.put(BASE + "/m9b", node(data(9), stat(zxid, 0)));
        tree.put(BASE + "/counter2", node(data(9), set));
        assertThat(problems()).anyMatch(p -> p.contains("but it is multi 1 of those that took effect"));
    }

    @Test
    void aDeleteFindsNoZnodeOnlyWhenItsCreateWasLost() {
        create(0, Code.CONNECTIONLOSS, false).lostWith = 1;
        answer(attempt(8, Kind.DELETE, BASE + "/n0"), Code.NONODE);
        assertThat(problems()).isEmpty();
        attempts.clear();
        create(0, Code.CONNECTIONLOSS, true).lostWith = 1;
        answer(attempt(8, Kind.DELETE, BASE + "/n0"), Code.NONODE);
        assertThat(problems()).singleElement().asString().contains("found no znode, yet");
    }

    @Test
    void aCounterMustHoldTheLastSetDataThatTookEffect() {
        Attempt first = attempt(6, Kind.SET, BASE + "/counter");
        first.stat = stat(1, 1);
        answer(first, Code.OK);
        Attempt second = attempt(16, Kind.SET, BASE + "/counter");
        answer(second, Code.CONNECTIONLOSS);
        second.lostWith = 1;
        tree.put(BASE + "/counter", node(data(16), stat(1, 2)));
        assertThat(problems()).as("the indeterminate setData took effect after the acknowledged one").isEmpty();
        tree.put(BASE + "/counter", node(data(16), stat(1, 3)));
        assertThat(problems()).singleElement().asString().contains("version 3, but 2 setData took effect and 0 more may have");
        tree.put(BASE + "/counter", node(WriteCheck.INIT, stat(1, 0)));
        assertThat(problems()).as("back to its initial data: the acknowledged setData is lost").singleElement().asString()
            .contains(first + ": acknowledged, but did not take effect");
    }

    @Test
    void acknowledgedZxidsMustRiseInSendOrder() {
        Attempt later = create(1, Code.OK, true);
        Attempt earlier = create(2, Code.OK, true);
        long swap = later.stat.getCzxid();
        later.stat.setCzxid(earlier.stat.getCzxid());
        earlier.stat.setCzxid(swap);
        tree.put(BASE + "/n1", node(data(1), later.stat));
        tree.put(BASE + "/n2", node(data(2), earlier.stat));
        assertThat(problems()).singleElement().asString().contains("not after");
    }

    private List<String> problems() {
        List<String> out = new ArrayList<>();
        new WriteCheck(BASE, attempts, tree, out).run();
        return out;
    }

    /** A create of {@code n<i>} answered with {@code rc}; with {@code inTree} its znode is in the tree. */
    private Attempt create(int i, Code rc, boolean inTree) {
        Attempt a = attempt(i, Kind.CREATE, BASE + "/n" + i);
        Stat s = stat(zxid++, 0);
        if (rc == Code.OK) {
            a.stat = s;
            a.createdPath = a.path;
        }
        answer(a, rc);
        if (inTree) {
            tree.put(a.path, node(a.data, s));
        }
        return a;
    }

    private Attempt attempt(int i, Kind kind, String path) {
        Attempt a = new Attempt(i, kind, path, data(i), 0, connection);
        attempts.add(a);
        return a;
    }

    private static void answer(Attempt a, Code rc) {
        a.rc = rc.intValue();
        a.answered = true;
    }

    private static byte[] data(int i) {
        return ("w0:" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static TreeDump.Node node(byte[] data, Stat stat) {
        return new TreeDump.Node(data, stat);
    }

    private static Stat stat(long zxid, int version) {
        return new Stat(zxid, zxid, 0, 0, version, 0, 0, 0, 0, 0, zxid);
    }
}
