package io.paddock.node.request;

import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.ApplyResult;
import io.paddock.node.tree.DataTree;
import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.ArrayList;
import java.util.List;

/** A leader's prepare-then-apply loop without actors: what the pipeline does, one request at a time or in bursts. */
final class TreeFixture {
    /** jute.maxbuffer's default. */
    static final int MAX_BUFFER = 0xfffff;
    final DataTree tree = new DataTree(new WatchManager());
    final SessionTracker sessions = new SessionTracker(1, 0, () -> 0);
    final RequestPreparer preparer;
    long zxid = 0x100000000L;
    long now = 1_000_000;
    List<Id> auth = List.of(new Id("ip", "127.0.0.1"));

    TreeFixture(boolean extendedTypes) {
        preparer = new RequestPreparer(tree, sessions, extendedTypes, PeerFrames.txnLimit(MAX_BUFFER));
    }

    TreeFixture() {
        this(false);
    }

    record Step(Txn txn, ApplyResult result) {
    }

    /** The client connection this fixture's requests come through, unless a test names another. */
    static final long CONNECTION = 1;

    Txn prepare(long session, int op, JuteRecord body) {
        return prepareFrom(CONNECTION, session, op, body);
    }

    /** Prepares a request sent through client connection {@code connection}. */
    Txn prepareFrom(long connection, long session, int op, JuteRecord body) {
        long z = ++zxid;
        return new Txn(z, session, 0, now, preparer.prepare(new Request(session, 0, op, body, auth, connection, null), z, now));
    }

    ApplyResult apply(Txn txn) {
        ApplyResult r = tree.apply(txn);
        preparer.applied(txn.zxid());
        return r;
    }

    Step run(long session, int op, JuteRecord body) {
        Txn txn = prepare(session, op, body);
        return new Step(txn, apply(txn));
    }

    /** Prepares all requests before applying any, as a burst in flight. */
    List<Step> burst(long session, List<Object[]> ops) {
        List<Txn> txns = new ArrayList<>();
        for (Object[] op : ops) {
            txns.add(prepare(session, (Integer) op[0], (JuteRecord) op[1]));
        }
        List<Step> steps = new ArrayList<>();
        for (Txn t : txns) {
            steps.add(new Step(t, apply(t)));
        }
        return steps;
    }

    long newSession(int timeout) {
        long id = sessions.nextSessionId();
        run(id, OpCode.CREATE_SESSION, new ConnectRequest(0, 0, timeout, 0, new byte[16], false));
        return id;
    }

    Step create(long session, String path, CreateMode mode) {
        return run(session, OpCode.CREATE2, new CreateRequest(path, "d".getBytes(), Acl.OPEN_ACL_UNSAFE, mode.flag()));
    }

    Step delete(long session, String path, int version) {
        return run(session, OpCode.DELETE, new DeleteRequest(path, version));
    }

    Step setData(long session, String path, byte[] data, int version) {
        return run(session, OpCode.SET_DATA, new SetDataRequest(path, data, version));
    }

    static int err(Step s) {
        return s.txn().op() instanceof TxnOp.ErrorTxn e ? e.err() : s.result().err();
    }
}
