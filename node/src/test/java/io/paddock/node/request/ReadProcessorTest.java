package io.paddock.node.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.node.watch.Watcher;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.proto.AddWatchRequest;
import io.paddock.protocol.proto.CheckWatchesRequest;
import io.paddock.protocol.proto.ErrorResponse;
import io.paddock.protocol.proto.GetAllChildrenNumberRequest;
import io.paddock.protocol.proto.GetAllChildrenNumberResponse;
import io.paddock.protocol.proto.RemoveWatchesRequest;
import io.paddock.protocol.proto.SetWatches;
import io.paddock.protocol.proto.SetWatches2;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadProcessorTest {
    record Event(EventType type, String path, long zxid) {
    }

    /** A session as a read sees it, recording the events sent to it. */
    static final class Session implements ReadProcessor.Context, Watcher {
        final List<Event> events = new ArrayList<>();

        @Override
        public long sessionId() {
            return 1;
        }

        @Override
        public List<Id> authInfo() {
            return List.of(new Id("ip", "127.0.0.1"));
        }

        @Override
        public Watcher watcher() {
            return this;
        }

        @Override
        public void process(EventType type, String path, long zxid) {
            events.add(new Event(type, path, zxid));
        }
    }

    final TreeFixture f = new TreeFixture();
    final long s = f.newSession(30000);
    final ReadProcessor reads = new ReadProcessor(f.tree);
    final Session session = new Session();

    private int code(int op, io.paddock.protocol.jute.JuteRecord body) {
        try {
            reads.read(op, body, session);
            return 0;
        } catch (KeeperException e) {
            return e.code().code();
        }
    }

    /** ZooKeeper counts the paths starting with path + "/"; for "" that is every node, the root included. */
    @Test
    void allChildrenNumberOfTheEmptyPathCountsEveryNode() throws Exception {
        f.create(s, "/a", CreateMode.PERSISTENT);
        f.create(s, "/a/b", CreateMode.PERSISTENT);
        assertThat(count("/")).isEqualTo(5);
        assertThat(count("/a")).isEqualTo(1);
        assertThat(count("")).isEqualTo(6);
    }

    private int count(String path) throws KeeperException {
        return ((GetAllChildrenNumberResponse) reads.read(OpCode.GET_ALL_CHILDREN_NUMBER,
            new GetAllChildrenNumberRequest(path), session)).totalNumber();
    }

    /** The Java client reads an ErrorResponse body from an addWatch reply; without it, it drops the connection. */
    @Test
    void addWatchRepliesWithAnErrorResponse() throws Exception {
        assertThat(reads.read(OpCode.ADD_WATCH, new AddWatchRequest("/p", 0), session)).isEqualTo(new ErrorResponse(0));
        assertThat(f.tree.watches().contains("/p", WatcherType.PERSISTENT, session)).isTrue();
    }

    /** ZooKeeper 3.9.5 cannot map an unknown mode or watcher type and answers MARSHALLINGERROR. */
    @Test
    void unknownWatchModesAndTypesAreMarshallingErrors() {
        int marshalling = ErrorCode.MARSHALLINGERROR.code();
        assertThat(code(OpCode.ADD_WATCH, new AddWatchRequest("/p", 7))).isEqualTo(marshalling);
        assertThat(code(OpCode.CHECK_WATCHES, new CheckWatchesRequest("/p", 9))).isEqualTo(marshalling);
        assertThat(code(OpCode.REMOVE_WATCHES, new RemoveWatchesRequest("/p", 9))).isEqualTo(marshalling);
        assertThat(code(OpCode.CHECK_WATCHES, new CheckWatchesRequest("/p", 3))).isEqualTo(ErrorCode.NOWATCHER.code());
    }

    /**
     * setWatches on reconnect: one-shot watches whose node changed after the client's zxid fire
     * at once with zxid -1 (as ZooKeeper 3.9.5 sends them), the rest are re-armed, and persistent
     * watches are re-armed without firing.
     */
    @Test
    void setWatchesFiresWhatChangedAndReArmsTheRest() throws Exception {
        for (String p : List.of("/same", "/changed", "/kids", "/quiet", "/p", "/r")) {
            f.create(s, p, CreateMode.PERSISTENT);
        }
        long seen = f.tree.lastProcessedZxid();
        f.setData(s, "/changed", new byte[1], -1);
        f.create(s, "/kids/x", CreateMode.PERSISTENT);
        f.create(s, "/born", CreateMode.PERSISTENT);
        f.setData(s, "/p", new byte[1], -1);
        SetWatches2 watches = new SetWatches2(seen, List.of("/same", "/changed", "/gone"), List.of("/born", "/unborn"),
            List.of("/kids", "/quiet", "/gone"), List.of("/p"), List.of("/r"));

        assertThat(reads.read(OpCode.SET_WATCHES2, watches, session)).isNull();

        assertThat(session.events).containsExactly(
            new Event(EventType.NODE_DATA_CHANGED, "/changed", -1),
            new Event(EventType.NODE_DELETED, "/gone", -1),
            new Event(EventType.NODE_CREATED, "/born", -1),
            new Event(EventType.NODE_CHILDREN_CHANGED, "/kids", -1),
            new Event(EventType.NODE_DELETED, "/gone", -1));
        var w = f.tree.watches();
        assertThat(w.contains("/same", WatcherType.DATA, session)).isTrue();
        assertThat(w.contains("/unborn", WatcherType.DATA, session)).isTrue();
        assertThat(w.contains("/quiet", WatcherType.CHILDREN, session)).isTrue();
        assertThat(w.contains("/changed", WatcherType.DATA, session)).isFalse();
        assertThat(w.contains("/p", WatcherType.PERSISTENT, session)).isTrue();
        assertThat(w.contains("/r", WatcherType.PERSISTENT_RECURSIVE, session)).isTrue();
    }

    @Test
    void oldSetWatchesReArmsOneShotWatches() throws Exception {
        f.create(s, "/a", CreateMode.PERSISTENT);
        reads.read(OpCode.SET_WATCHES, new SetWatches(f.tree.lastProcessedZxid(), List.of("/a"), List.of(), List.of()),
            session);
        assertThat(session.events).isEmpty();
        assertThat(f.tree.watches().contains("/a", WatcherType.DATA, session)).isTrue();
        assertThatThrownBy(() -> reads.read(OpCode.CHECK_WATCHES, new CheckWatchesRequest("/a", 1), session))
            .isInstanceOf(KeeperException.class);
    }

    /**
     * A null path in a one-shot list, or a null list: MARSHALLINGERROR, as ZooKeeper 3.9.5 answers
     * (ZooKeeper has set the watches before the null by then; Paddock checks first and sets none).
     */
    @Test
    void setWatchesWithANullPathOrListSetsNothing() {
        f.create(s, "/a", CreateMode.PERSISTENT);
        long seen = f.tree.lastProcessedZxid();
        int marshalling = ErrorCode.MARSHALLINGERROR.code();
        assertThat(code(OpCode.SET_WATCHES, new SetWatches(seen, java.util.Arrays.asList("/a", null), List.of(), List.of())))
            .isEqualTo(marshalling);
        assertThat(code(OpCode.SET_WATCHES2, new SetWatches2(seen, List.of("/a"), List.of("/b"), List.of("/a"), List.of("/a"),
            null))).isEqualTo(marshalling);
        assertThat(f.tree.watches().watchCount()).isZero();
        assertThat(session.events).isEmpty();
    }
}
