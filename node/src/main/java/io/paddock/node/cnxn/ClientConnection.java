package io.paddock.node.cnxn;

import io.paddock.config.NodeConfig;
import io.paddock.node.auth.AuthIds;
import io.paddock.node.auth.DigestAuth;
import io.paddock.node.auth.IpAuth;
import io.paddock.node.context.Connection;
import io.paddock.node.context.ConnectionStats;
import io.paddock.node.context.ServerContext;
import io.paddock.node.request.ReadProcessor;
import io.paddock.node.request.Request;
import io.paddock.node.request.RequestPreparer;
import io.paddock.node.session.SessionTracker;
import io.paddock.node.tree.ApplyResult;
import io.paddock.node.tree.DataTree;
import io.paddock.node.watch.Watcher;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.jute.MalformedRecordException;
import io.paddock.protocol.proto.AuthPacket;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.protocol.proto.RequestHeader;
import io.paddock.protocol.proto.Requests;
import io.paddock.protocol.txn.Txn;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the session it carries, its auth ids, its watches, and the single
 * ordered queue of everything sent to it (replies, watch events, pings).
 *
 * <p>Ordering: per connection, requests complete in the order sent. Writes go to the pipeline
 * and complete when applied; a read waits for this connection's earlier writes ({@link #tail})
 * and then runs under the tree's read lock. Because the applier enqueues watch events under the
 * write lock and readers enqueue replies under the read lock, a client always receives an event
 * before any reply that shows the change.
 *
 * <p>{@link #onFrame} is called by the connection's stream, one frame at a time; the returned
 * stage completes when the frame's reply has been enqueued, and the stream keeps at most
 * {@code maxOutstanding} of them open (the per-connection throttle).
 */
public final class ClientConnection implements Watcher, ReadProcessor.Context, Connection {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final int PROTOCOL_VERSION = 0;

    private final ServerContext ctx;
    private final BoundedSourceQueue<ByteString> out;
    private final InetSocketAddress remote;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The frames that come while the connect looks its session up. */
    private final HeldFrames held = new HeldFrames();
    private final ConnectionStats stats = new ConnectionStats();
    private final long connectedAt = System.currentTimeMillis();
    /**
     * This connection's requests carry it to the leader, which takes a session's writes only from
     * the connection that created or last resumed it: random, so that no two connections anywhere
     * share one (a server id would not tell a client's old connection to a server from its new one).
     */
    private final long token = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    private volatile long sessionId;
    private volatile int timeout;
    private volatile List<Id> authInfo;
    private volatile long lastZxidSent;
    private boolean connectSeen;
    /** A refused addAuth ends the connection: nothing the client sent after it runs. */
    private boolean refusedAuth;
    private boolean readOnlySent;
    private CompletableFuture<Void> tail = DONE;
    /** What this connection waits for from the pipeline (see {@link #awaitPipeline}). */
    private final Set<CompletableFuture<Void>> awaiting = ConcurrentHashMap.newKeySet();

    ClientConnection(ServerContext ctx, BoundedSourceQueue<ByteString> out, InetSocketAddress remote) {
        this.ctx = ctx;
        this.out = out;
        this.remote = remote;
        this.authInfo = List.of(new Id(IpAuth.SCHEME, remote.getAddress().getHostAddress()));
    }

    @Override
    public long sessionId() {
        return sessionId;
    }

    @Override
    public List<Id> authInfo() {
        return authInfo;
    }

    @Override
    public Watcher watcher() {
        return this;
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public int timeout() {
        return timeout;
    }

    @Override
    public long established() {
        return connectedAt;
    }

    /** The writes (and connects, syncs) handed to the pipeline and not yet answered. */
    @Override
    public int outstanding() {
        return awaiting.size();
    }

    @Override
    public ConnectionStats stats() {
        return stats;
    }

    // ---- input

    CompletionStage<Void> onFrame(Frame frame) {
        if (held.holding()) {
            // the connect still looks its session up: nothing behind it runs before (not under session 0),
            // and nothing if it is refused
            return held.hold(() -> handle(frame));
        }
        return handle(frame);
    }

    private CompletionStage<Void> handle(Frame frame) {
        if (closed.get() || refusedAuth) {
            return DONE;
        }
        stats.received();
        ctx.stats().received();
        if (frame instanceof Frame.FourLetterWord w) {
            // as ZooKeeper, the word counts as a packet received (srvr's Received:, stat's recved=)
            send(Replies.text(FourLetterWords.answer(w.word(), ctx)));
            close();
            return DONE;
        }
        byte[] bytes = ((Frame.Packet) frame).bytes();
        if (!connectSeen) {
            connectSeen = true;
            return connect(bytes);
        }
        // The framer reads nothing after a packet that ends the connection (too short for a header,
        // unknown opcode), so closing in request order below cannot let a later request run.
        JuteInput in = new JuteInput(bytes);
        RequestHeader h;
        try {
            h = RequestHeader.read(in);
        } catch (MalformedRecordException e) {
            log.debug("closing {}: unreadable request header: {}", remote, e.getMessage());
            return inOrder(this::close);
        }
        ctx.sessions().touch(sessionId);
        JuteRecord body;
        try {
            body = Requests.read(h.type(), in);
        } catch (MalformedRecordException e) {
            log.debug("{}: undecodable {} body: {}", remote, OpCode.name(h.type()), e.getMessage());
            return inOrder(() -> sendReply(h.xid(), ErrorCode.MARSHALLINGERROR.code(), null));
        }
        if (body == null) {
            // ZooKeeper's UnimplementedRequestProcessor: err -6 with zxid -1, then the connection (not the session) closes
            log.info("closing {}: unknown opcode {}", remote, h.type());
            return inOrder(() -> {
                respond(Replies.reply(h.xid(), -1, ErrorCode.UNIMPLEMENTED.code(), null));
                close();
            });
        }
        return dispatch(h, body);
    }

    private CompletionStage<Void> dispatch(RequestHeader h, JuteRecord body) {
        int op = h.type();
        switch (op) {
            case OpCode.PING:
                long start = System.nanoTime();
                return inOrder(() -> {
                    sendReply(Replies.PING_XID, 0, null);
                    answered(op, Replies.PING_XID, start);
                });
            case OpCode.AUTH:
                return authenticate(h.xid(), (AuthPacket) body);
            case OpCode.SASL:
                return inOrder(() -> sendReply(h.xid(), ErrorCode.UNIMPLEMENTED.code(), null));
            default:
                break;
        }
        // sync goes the writes' way too: in an ensemble it is answered once this server has caught up with the leader
        if (OpCode.isWrite(op) || op == OpCode.SYNC) {
            return write(h.xid(), op, body);
        }
        return inOrder(() -> read(h.xid(), op, body));
    }

    /** Runs {@code action} after this connection's earlier requests have completed. */
    private CompletableFuture<Void> inOrder(Runnable action) {
        if (tail.isDone()) {
            action.run();
            return DONE;
        }
        tail = tail.thenRun(action);
        return tail;
    }

    private CompletionStage<Void> write(int xid, int op, JuteRecord body) {
        long start = System.nanoTime();
        ctx.stats().requestStarted();
        CompletableFuture<Void> answered = awaitPipeline();
        // finished once, whether answered or abandoned with its connection, and before the stage completes
        CompletableFuture<Void> done = answered.thenRun(() -> ctx.stats().requestFinished(op, true, System.nanoTime() - start));
        submit(new Request(sessionId, xid, op, body, authInfo, token, (request, txn, result) -> {
            if (result.err() == ErrorCode.SESSIONMOVED.code()) {
                // as ZooKeeper: no answer, the connection closes; the client, which resumed its session
                // elsewhere, has seen it lost (an answer would only reach a client that had not moved)
                log.info("closing {}: session 0x{} moved to another server", remote, Long.toHexString(sessionId));
                close();
                answered.complete(null);
                return;
            }
            sendWriteReply(request, txn, result);
            answered(op, xid, start);
            if (op == OpCode.CLOSE_SESSION) {
                close();
            }
            answered.complete(null);
        }));
        tail = done;
        return done;
    }

    /**
     * A stage the pipeline completes when it answers, or this connection when it closes: a role
     * change may drop requests it had taken (their clients retry elsewhere), and neither srvr's
     * Outstanding nor the server's {@link OutstandingLimit} may keep counting them.
     */
    private CompletableFuture<Void> awaitPipeline() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        awaiting.add(f);
        f.whenComplete((ok, error) -> awaiting.remove(f));
        if (closed.get()) {
            f.complete(null);
        }
        return f;
    }

    private void submit(Request r) {
        var submitter = ctx.submitter();
        if (submitter == null) {
            close();
            return;
        }
        submitter.submit(r);
    }

    private void read(int xid, int op, JuteRecord body) {
        long start = System.nanoTime();
        // counted like a write, so that srvr's Outstanding is back to 0 once the reply is out
        ctx.stats().requestStarted();
        DataTree tree = ctx.tree();
        Lock lock = tree.readLock();
        lock.lock();
        try {
            synchronized (this) {
                if (closed.get()) {
                    return;
                }
                int err = 0;
                JuteRecord rsp = null;
                try {
                    rsp = ctx.reads().read(op, body, this);
                } catch (KeeperException e) {
                    err = e.code().code();
                } catch (MalformedRecordException e) {
                    log.info("{}: {} refused with MARSHALLINGERROR: {}", remote, OpCode.name(op), e.getMessage());
                    err = ErrorCode.MARSHALLINGERROR.code();
                } catch (RuntimeException e) {
                    // a bug, but the client's input must not cost the connection: as ZooKeeper's
                    // FinalRequestProcessor, answer MARSHALLINGERROR
                    log.error("{}: {} failed; answering MARSHALLINGERROR", remote, OpCode.name(op), e);
                    err = ErrorCode.MARSHALLINGERROR.code();
                }
                if (closed.get()) {
                    // the request's own events closed the connection (setWatches, its output queue full),
                    // after which it went on setting watches: those go with the connection too
                    ctx.tree().watches().removeWatcher(this);
                    return;
                }
                sendReply(xid, err, rsp);
                answered(op, xid, start);
            }
        } finally {
            lock.unlock();
            ctx.stats().requestFinished(op, false, System.nanoTime() - start);
        }
    }

    private void sendReply(int xid, int err, JuteRecord body) {
        long zxid = ctx.tree().lastProcessedZxid();
        lastZxidSent = zxid;
        respond(Replies.reply(xid, zxid, err, body));
    }

    /** Counts request {@code xid} ({@code op}, received at {@code start}, System.nanoTime()) as answered, for cons. */
    private void answered(int op, int xid, long start) {
        stats.answered(op, xid, lastZxidSent, SessionTracker.monotonicMillis(), (System.nanoTime() - start) / 1_000_000);
    }

    /** {@code txn} is null for a sync, which has none: its reply carries the last applied zxid. */
    private void sendWriteReply(Request request, Txn txn, ApplyResult result) {
        long zxid = txn == null ? ctx.tree().lastProcessedZxid() : txn.zxid();
        lastZxidSent = zxid;
        WriteReplies.Reply reply = WriteReplies.build(request, txn, result);
        respond(Replies.reply(request.xid(), zxid, reply.err(), reply.body()));
    }

    // ---- connect and auth

    private CompletionStage<Void> connect(byte[] bytes) {
        ConnectRequest cr;
        try {
            cr = ConnectRequest.read(new JuteInput(bytes));
        } catch (MalformedRecordException e) {
            log.debug("closing {}: unreadable connect request: {}", remote, e.getMessage());
            close();
            return DONE;
        }
        readOnlySent = cr.readOnlySent();
        if (!ctx.serving()) {
            close();
            return DONE;
        }
        long lastZxid = ctx.tree().lastProcessedZxid();
        if (cr.lastZxidSeen() > lastZxid) {
            log.info("refusing session for {}: it has seen zxid 0x{}, this server's last is 0x{}; the client must try another server",
                remote, Long.toHexString(cr.lastZxidSeen()), Long.toHexString(lastZxid));
            close();
            return DONE;
        }
        NodeConfig cfg = ctx.config();
        int negotiated = Math.max(cfg.minSessionTimeout(), Math.min(cfg.maxSessionTimeout(), cr.timeOut()));
        timeout = negotiated;
        if (cr.sessionId() == 0) {
            long id = ctx.sessions().nextSessionId();
            sessionId = id;
            CompletableFuture<Void> done = awaitPipeline();
            ConnectRequest withTimeout = new ConnectRequest(cr.protocolVersion(), cr.lastZxidSeen(), negotiated, 0,
                cr.passwd(), cr.readOnly(), cr.readOnlySent());
            submit(new Request(id, 0, OpCode.CREATE_SESSION, withTimeout, authInfo, token, (request, txn, result) -> {
                if (result.failed()) {
                    refuse();
                } else {
                    established(id, negotiated);
                }
                done.complete(null);
            }));
            tail = done;
            return done;
        }
        long id = cr.sessionId();
        if (ctx.sessions().resume(ctx.tree().sessionSecret(), id, cr.passwd()) == SessionTracker.Resume.WRONG_PASSWORD) {
            refuseWrongPassword(id);
            return DONE;
        }
        // The leader learns that the session's writes come through this server now (ZooKeeper's
        // revalidation): one still on its way from a connection the client left is refused, not
        // applied after the client's later writes. Answered as a sync, so that this server has
        // applied every write the leader took before it; and this server may not know the session
        // yet (made through another server a moment ago, by a client that has seen no zxid since),
        // nor the ensemble's secret: once caught up with the leader, an unknown session has expired.
        CompletableFuture<Void> done = awaitPipeline();
        held.holdUntil(done);
        submit(new Request(id, 0, RequestPreparer.REVALIDATE, cr, authInfo, token, (request, txn, result) -> {
            if (!resumeOrRefuse(id, cr.passwd(), negotiated)) {
                log.info("refusing {}: session 0x{} has expired", remote, Long.toHexString(id));
                refuse();
            }
            done.complete(null);
        }));
        tail = done;
        return done;
    }

    /**
     * Resumes the session, or refuses a wrong password, where this server can tell which (it has
     * applied the secret and knows the session); false when it cannot tell yet.
     */
    private boolean resumeOrRefuse(long id, byte[] passwd, int negotiated) {
        switch (ctx.sessions().resume(ctx.tree().sessionSecret(), id, passwd)) {
            case RESUME:
                resume(id, negotiated);
                return true;
            case WRONG_PASSWORD:
                refuseWrongPassword(id);
                return true;
            default:
                return false;
        }
    }

    private void refuseWrongPassword(long id) {
        // the session's own connection stays: ZooKeeper drops it (before it checks the password),
        // so anyone who reads the id from an ephemeral's owner could keep its client disconnected
        log.info("refusing {}: wrong password for session 0x{}", remote, Long.toHexString(id));
        refuse();
    }

    private void resume(long id, int negotiated) {
        sessionId = id;
        ctx.sessions().setTimeout(id, negotiated);
        ctx.sessions().touch(id);
        established(id, negotiated);
    }

    private void established(long id, int negotiated) {
        Connection old = ctx.connections().attach(id, this);
        if (old != null) {
            old.close();
        }
        // a new session's createSession follows the secret's txn, so the secret is applied here by now
        byte[] passwd = SessionTracker.password(ctx.tree().sessionSecret(), id);
        send(Replies.bare(new ConnectResponse(PROTOCOL_VERSION, negotiated, id, passwd, false, readOnlySent)));
    }

    /** What ZooKeeper answers a session it cannot resume, then it closes the connection. */
    private void refuse() {
        send(Replies.bare(ConnectResponse.refused(readOnlySent)));
        close();
    }

    /**
     * The new id takes effect at once, for every later request; the reply keeps its place in
     * line. Only the digest scheme can be added, and only up to {@link AuthIds}' bounds; anything
     * else is AUTHFAILED and the connection closes, as in ZooKeeper. As ZooKeeper, the reply carries
     * the request's xid (clients send -4).
     */
    private CompletionStage<Void> authenticate(int xid, AuthPacket p) {
        if (!DigestAuth.SCHEME.equals(p.scheme()) || p.auth() == null) {
            log.info("closing {}: authentication with unsupported scheme '{}'", remote, p.scheme());
            return authFailed(xid);
        }
        List<Id> ids = AuthIds.withDigest(authInfo, new String(p.auth(), StandardCharsets.UTF_8),
            DigestAuth.superDigest(ctx.config()));
        if (ids == null) {
            log.info("closing {}: more than {} digest identities, or longer than {} characters together", remote,
                AuthIds.MAX_DIGESTS, AuthIds.MAX_DIGEST_CHARS);
            return authFailed(xid);
        }
        authInfo = ids;
        return inOrder(() -> respond(Replies.reply(xid, 0, 0, null)));
    }

    private CompletionStage<Void> authFailed(int xid) {
        refusedAuth = true;
        ctx.stats().authFailed();
        return inOrder(() -> {
            respond(Replies.reply(xid, 0, ErrorCode.AUTHFAILED.code(), null));
            close();
        });
    }

    // ---- output

    @Override
    public void process(EventType type, String path, long zxid) {
        if (!closed.get()) {
            respond(Replies.event(type, path, zxid));
        }
    }

    /** Sends a reply or a watch event, whose size (after its length prefix) srvr and mntr report as ZooKeeper's do. */
    private void respond(ByteString framed) {
        ctx.stats().responded(framed.size() - 4);
        send(framed);
    }

    private void send(ByteString bytes) {
        QueueOfferResult r = out.offer(bytes);
        if (r == QueueOfferResult.enqueued()) {
            stats.sent();
            ctx.stats().sent();
        } else if (r == QueueOfferResult.dropped()) {
            log.warn("closing {}: the client is not reading its replies (output queue full)", remote);
            out.fail(new IllegalStateException("output queue full"));
            close();
        }
    }

    /**
     * Closes the connection once everything enqueued so far is sent; the session lives on. What it
     * still waits for from the pipeline is given up. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            out.complete();
            forget();
            for (CompletableFuture<Void> f : List.copyOf(awaiting)) {
                f.complete(null);
            }
        }
    }

    private synchronized void forget() {
        ctx.tree().watches().removeWatcher(this);
        ctx.connections().closed(this, remote.getAddress());
    }

    boolean isClosed() {
        return closed.get();
    }

}
