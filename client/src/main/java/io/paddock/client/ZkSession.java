package io.paddock.client;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.EventType;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.jute.MalformedRecordException;
import io.paddock.protocol.proto.AuthPacket;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.protocol.proto.ReplyHeader;
import io.paddock.protocol.proto.SetWatches2;
import io.paddock.protocol.proto.WatcherEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;

/**
 * One ZooKeeper session over one connection at a time, as a typed behavior. It speaks the
 * ZooKeeper wire protocol (3.5+), so it works against Apache ZooKeeper and Paddock alike.
 *
 * <p>States: <b>connecting</b> (TCP + ConnectRequest sent, waiting for the ConnectResponse),
 * <b>connected</b>, and <b>waiting</b> (a pause after a failed attempt). Requests sent while not
 * connected wait for the next connection. Any connection failure fails every unanswered request
 * with CONNECTIONLOSS, because whether the server applied it is unknown; the session then
 * reattaches to the next server with its id, password and last zxid, sends its credentials
 * again and sets its watches again with SetWatches2. A ConnectResponse with timeOut &lt;= 0 means
 * the session expired: EXPIRED is reported and the actor stops. A chroot in the connect string
 * ("host:port/app") goes onto every path sent and comes off every path received.
 */
public final class ZkSession {

    private static final int NOTIFICATION_XID = -1;
    private static final int PING_XID = -2;
    private static final int AUTH_XID = -4;
    private static final int SET_WATCHES_XID = -8;
    /** ZooKeeper's client pauses up to a second before retrying, so clients of a dead server spread out. */
    private static final long MAX_RECONNECT_DELAY_MS = 1000;

    private static final String HANDSHAKE_TIMER = "handshake";
    private static final String TICK_TIMER = "tick";
    private static final String RECONNECT_TIMER = "reconnect";
    private static final String CLOSE_TIMER = "close";

    /** What a session understands. Requests carry the ref their reply goes to. */
    public sealed interface Command {
    }

    /**
     * Sends a request; the reply is a success with the result, or an error whose exception is the
     * {@link KeeperException} for ZooKeeper's error code (use {@code askWithStatus}). If the
     * request sets a watch (watch = true, or addWatch), {@code watcher} hears the events it
     * triggers, besides the session-wide listener, which hears every event.
     */
    public record Execute<R>(ZkRequest<R> request, ActorRef<StatusReply<R>> replyTo, Watcher watcher) implements Command {
        public Execute {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(watcher, "watcher");
        }

        /** A request whose watch, if it sets one, only the session-wide listener hears. */
        public Execute(ZkRequest<R> request, ActorRef<StatusReply<R>> replyTo) {
            this(request, replyTo, Watcher.Session.INSTANCE);
        }
    }

    /**
     * Removes one watcher of {@code type} from {@code path}, as ZooKeeper's
     * {@code removeWatches(path, watcher, type, false)}: the server's watch is removed too, with
     * removeWatches, once no watcher of that type is left on the path. The reply is a success
     * (null), or the error of that removeWatches.
     */
    public record RemoveWatcher(String path, WatcherType type, Watcher watcher, ActorRef<StatusReply<Void>> replyTo)
        implements Command {
        public RemoveWatcher {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(watcher, "watcher");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * Adds a credential (e.g. scheme "digest", auth "user:password"). It is kept and sent again
     * after every reconnect. A rejected credential ends the session handle (AUTH_FAILED).
     */
    public record AddAuth(String scheme, byte[] auth, ActorRef<StatusReply<Done>> replyTo) implements Command {
        public AddAuth {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * Closes the session: closeSession goes out after the requests already sent, and the actor
     * stops when the server has answered, or after the session timeout at the latest.
     */
    public record Close(ActorRef<Done> replyTo) implements Command {
    }

    private record FromConnection(Connection.Event event) implements Command {
    }

    private record HandshakeTimedOut(int connectionId) implements Command {
    }

    private enum Timer implements Command {
        /** Time to check for idleness (ping) and silence (read timeout). */
        TICK,
        /** The pause after a failed attempt is over. */
        RECONNECT,
        /** Close waited long enough for the server's answer. */
        CLOSE_TIMED_OUT
    }

    /**
     * A session actor.
     *
     * @param connectString  "host:port,host:port"; the order is shuffled so that clients spread
     *                       over the ensemble
     * @param settings       the session timeout to ask for (the server clamps it to its bounds),
     *                       jute.maxbuffer, canBeReadOnly and max-in-flight
     * @param watchListener  receives every watch event
     * @param sessionListener receives CONNECTED, DISCONNECTED, RECONNECTED, EXPIRED, CLOSED and AUTH_FAILED
     */
    public static Behavior<Command> create(String connectString, ZkClientSettings settings,
                                           ActorRef<WatchEvent> watchListener, ActorRef<SessionEvent> sessionListener) {
        ConnectString parsed = ConnectString.parse(connectString);
        List<InetSocketAddress> servers = new ArrayList<>(parsed.servers());
        Collections.shuffle(servers);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(watchListener, "watchListener");
        Objects.requireNonNull(sessionListener, "sessionListener");
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new ZkSession(context, timers, servers,
            parsed.chroot(), settings, watchListener, sessionListener).connectNext()));
    }

    /** The timeout in ms as the ConnectRequest carries it (an int). */
    static int checkTimeout(Duration sessionTimeout) {
        long ms = sessionTimeout.toMillis();
        if (ms <= 0 || ms > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("session timeout out of range: " + sessionTimeout);
        }
        return (int) ms;
    }

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final Materializer materializer;
    private final ActorRef<Connection.Event> connectionEvents;
    private final List<InetSocketAddress> servers;
    private final Chroot chroot;
    private final ZkClientSettings settings;
    private final int requestedTimeoutMs;
    private final ActorRef<WatchEvent> watchListener;
    private final ActorRef<SessionEvent> sessionListener;

    // The session, which outlives connections.
    private long sessionId;
    private byte[] password = new byte[16];
    private int negotiatedTimeoutMs;
    private long lastZxid;
    private final WatchTable watches = new WatchTable();
    private final List<AuthEntry> auths = new ArrayList<>();
    private final List<ActorRef<Done>> closeWaiters = new ArrayList<>();

    // Requests: queued ones wait for a connection (or room), in-flight ones for their reply, in xid order.
    private final ArrayDeque<Outgoing> queued = new ArrayDeque<>();
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final ArrayDeque<AuthEntry> authsInFlight = new ArrayDeque<>();
    private int nextXid = 1;

    // The current connection.
    private int serverIndex = -1;
    private int connectionIds;
    private Connection connection;
    private boolean established;
    private long lastSentNanos;
    private long lastReceivedNanos;

    private ZkSession(ActorContext<Command> context, TimerScheduler<Command> timers, List<InetSocketAddress> servers,
                      Chroot chroot, ZkClientSettings settings, ActorRef<WatchEvent> watchListener,
                      ActorRef<SessionEvent> sessionListener) {
        this.context = context;
        this.timers = timers;
        this.materializer = Materializer.createMaterializer(context); // streams stop with the actor
        this.connectionEvents = context.messageAdapter(Connection.Event.class, FromConnection::new);
        this.servers = servers;
        this.chroot = chroot;
        this.settings = settings;
        this.requestedTimeoutMs = checkTimeout(settings.sessionTimeout());
        this.watchListener = watchListener;
        this.sessionListener = sessionListener;
    }

    // ---- states

    private Behavior<Command> connecting() {
        return Behaviors.receive(Command.class)
            .onMessage(Execute.class, m -> guarded(() -> onExecute(m)))
            .onMessage(RemoveWatcher.class, m -> guarded(() -> onRemoveWatcher(m)))
            .onMessage(AddAuth.class, m -> guarded(() -> onAddAuth(m)))
            .onMessage(Close.class, m -> guarded(() -> onClose(m)))
            .onMessage(FromConnection.class, m -> guarded(() -> onHandshake(m.event())))
            .onMessage(HandshakeTimedOut.class, m -> isCurrent(m.connectionId())
                ? connectionBroke("no ConnectResponse within " + connectTimeout().toMillis() + " ms")
                : Behaviors.same())
            .onMessageEquals(Timer.CLOSE_TIMED_OUT, this::finishClose)
            .build();
    }

    private Behavior<Command> connected() {
        return Behaviors.receive(Command.class)
            .onMessage(Execute.class, m -> guarded(() -> onExecute(m)))
            .onMessage(RemoveWatcher.class, m -> guarded(() -> onRemoveWatcher(m)))
            .onMessage(AddAuth.class, m -> guarded(() -> onAddAuth(m)))
            .onMessage(Close.class, m -> guarded(() -> onClose(m)))
            .onMessage(FromConnection.class, m -> guarded(() -> onConnectionEvent(m.event())))
            .onMessageEquals(Timer.TICK, () -> guarded(this::onTick))
            .onMessageEquals(Timer.CLOSE_TIMED_OUT, this::finishClose)
            .build();
    }

    private Behavior<Command> waiting() {
        return Behaviors.receive(Command.class)
            .onMessage(Execute.class, this::onExecute)
            .onMessage(RemoveWatcher.class, this::onRemoveWatcher)
            .onMessage(AddAuth.class, this::onAddAuth)
            .onMessage(Close.class, this::onClose)
            .onMessage(FromConnection.class, m -> Behaviors.same()) // from a connection already given up
            .onMessageEquals(Timer.RECONNECT, this::connectNext)
            .onMessageEquals(Timer.CLOSE_TIMED_OUT, this::finishClose)
            .build();
    }

    /** Runs a step that may find the connection broken, and turns that into a reconnect. */
    private Behavior<Command> guarded(Supplier<Behavior<Command>> step) {
        try {
            return step.get();
        } catch (ConnectionFault | MalformedRecordException | IllegalArgumentException e) {
            // IllegalArgumentException: a code this client does not know (ErrorCode.of, EventType.of)
            return connectionBroke("protocol error: " + e.getMessage());
        }
    }

    // ---- connecting

    private Behavior<Command> connectNext() {
        serverIndex = (serverIndex + 1) % servers.size();
        InetSocketAddress server = servers.get(serverIndex);
        connection = Connection.open(++connectionIds, server, settings, connectionEvents, context.getSystem(),
            materializer);
        established = false;
        context.getLog().debug("connecting to {} for session 0x{}", connection, Long.toHexString(sessionId));
        connection.sendConnect(new ConnectRequest(0, lastZxid, requestedTimeoutMs, sessionId, password,
            settings.canBeReadOnly()));
        timers.startSingleTimer(HANDSHAKE_TIMER, new HandshakeTimedOut(connection.id()), connectTimeout());
        return connecting();
    }

    /** As ZooKeeper's client: the session timeout shared over the servers, so one pass fits in it. */
    private Duration connectTimeout() {
        return Duration.ofMillis(Math.max(1, sessionTimeoutMs() / servers.size()));
    }

    /** The granted timeout once a server has granted one, else the one asked for. */
    private int sessionTimeoutMs() {
        return negotiatedTimeoutMs > 0 ? negotiatedTimeoutMs : requestedTimeoutMs;
    }

    private Behavior<Command> onHandshake(Connection.Event event) {
        if (!isCurrent(event.id())) {
            return Behaviors.same();
        }
        if (event instanceof Connection.Closed closed) {
            return connectionBroke(describe(closed));
        }
        ConnectResponse response = ConnectResponse.read(new JuteInput(((Connection.FrameReceived) event).payload()));
        if (response.timeOut() <= 0) {
            return terminate(SessionEvent.State.EXPIRED, connection + " refused to reattach it");
        }
        timers.cancel(HANDSHAKE_TIMER);
        boolean reattached = sessionId != 0; // the same session again; a new one starts from 0
        sessionId = response.sessionId();
        password = response.passwd();
        negotiatedTimeoutMs = response.timeOut();
        established = true;
        lastSentNanos = lastReceivedNanos = System.nanoTime();
        context.getLog().info("session 0x{} connected over {}, timeout {} ms", Long.toHexString(sessionId),
            connection, negotiatedTimeoutMs);
        emit(reattached ? SessionEvent.State.RECONNECTED : SessionEvent.State.CONNECTED, connection.server());
        // Credentials before watches, as ZooKeeper's client does: setWatches may need them.
        for (AuthEntry auth : auths) {
            sendAuth(auth);
        }
        for (SetWatches2 packet : watches.setWatches(lastZxid, chroot)) {
            write(SET_WATCHES_XID, OpCode.SET_WATCHES2, packet);
        }
        timers.startTimerWithFixedDelay(TICK_TIMER, Timer.TICK, Duration.ofMillis(Math.max(10, negotiatedTimeoutMs / 10)));
        flush();
        return connected();
    }

    // ---- connected

    private Behavior<Command> onConnectionEvent(Connection.Event event) {
        if (!isCurrent(event.id())) {
            return Behaviors.same();
        }
        if (event instanceof Connection.Closed closed) {
            return connectionBroke(describe(closed));
        }
        lastReceivedNanos = System.nanoTime();
        JuteInput in = new JuteInput(((Connection.FrameReceived) event).payload());
        ReplyHeader header = ReplyHeader.read(in);
        switch (header.xid()) {
            case NOTIFICATION_XID:
                onWatchEvent(header, WatcherEvent.read(in));
                return Behaviors.same();
            case PING_XID:
                return Behaviors.same();
            case SET_WATCHES_XID:
                if (header.err() != 0) {
                    context.getLog().warn("setWatches failed with {}", ErrorCode.of(header.err()));
                }
                return Behaviors.same();
            case AUTH_XID:
                return onAuthReply(header);
            default:
                return onReply(header, in);
        }
    }

    private Behavior<Command> onReply(ReplyHeader header, JuteInput in) {
        InFlight head = inFlight.peek();
        if (head == null || head.xid() != header.xid()) {
            throw new ConnectionFault("reply for xid " + header.xid() + " but the next expected is "
                + (head == null ? "none" : head.xid()));
        }
        if (header.zxid() > 0) {
            lastZxid = header.zxid();
        }
        ErrorCode code = ErrorCode.of(header.err());
        if (head.what() instanceof Call<?> call) {
            Runnable answer = call.answer(code, in, chroot); // decode before dequeuing: a bad body is a connection fault
            inFlight.poll();
            // removal notices first: the events before the reply that shows their cause
            for (WatchTable.Notice notice : watches.afterReply(call.request(), code, call.watcher())) {
                notice.watcher().fire(notice.event());
            }
            answer.run();
            flush();
            return Behaviors.same();
        }
        inFlight.poll();
        return finishClose(); // the reply to closeSession
    }

    private void onWatchEvent(ReplyHeader header, WatcherEvent event) {
        EventType type = EventType.of(event.type());
        if (type == EventType.NONE) { // a state notice; session state travels as SessionEvent
            return;
        }
        String path = chroot.strip(event.path());
        WatchEvent watchEvent = new WatchEvent(type, path, header.zxid());
        watchListener.tell(watchEvent); // first: a facade's callbacks run after its listeners
        for (Watcher watcher : watches.fired(type, path)) {
            watcher.fire(watchEvent);
        }
    }

    private Behavior<Command> onAuthReply(ReplyHeader header) {
        AuthEntry auth = authsInFlight.poll();
        if (auth == null) {
            throw new ConnectionFault("auth reply with no auth packet outstanding");
        }
        if (header.err() == 0) {
            auth.acknowledge();
            return Behaviors.same();
        }
        auth.fail(ErrorCode.AUTHFAILED);
        return terminate(SessionEvent.State.AUTH_FAILED,
            "server rejected the " + auth.scheme + " credential");
    }

    private Behavior<Command> onTick() {
        long now = System.nanoTime();
        // The server answers pings, so silence for 2/3 of the timeout means the connection is dead.
        if (now - lastReceivedNanos >= millisToNanos(negotiatedTimeoutMs * 2L / 3)) {
            return connectionBroke("nothing received for " + (now - lastReceivedNanos) / 1_000_000 + " ms");
        }
        if (now - lastSentNanos >= millisToNanos(negotiatedTimeoutMs / 3L)) {
            write(PING_XID, OpCode.PING, null);
        }
        return Behaviors.same();
    }

    // ---- requests, in every state

    private Behavior<Command> onExecute(Execute<?> m) {
        Call<?> call = Call.of(m);
        if (!closeWaiters.isEmpty()) { // as ZooKeeper's client after close()
            call.fail(ErrorCode.SESSIONEXPIRED);
            return Behaviors.same();
        }
        queued.add(call);
        flush();
        return Behaviors.same();
    }

    private Behavior<Command> onRemoveWatcher(RemoveWatcher m) {
        if (watches.removeWatcher(m.path(), m.type(), m.watcher())) {
            return onExecute(new Execute<>(new ZkRequest.RemoveWatches(m.path(), m.type()), m.replyTo()));
        }
        m.replyTo().tell(StatusReply.success(null)); // other watchers still use the server's watch, or it is gone
        return Behaviors.same();
    }

    private Behavior<Command> onAddAuth(AddAuth m) {
        AuthEntry auth = new AuthEntry(m.scheme(), m.auth(), m.replyTo());
        if (!closeWaiters.isEmpty()) {
            auth.fail(ErrorCode.SESSIONEXPIRED);
            return Behaviors.same();
        }
        auths.add(auth);
        if (established) {
            sendAuth(auth);
        }
        return Behaviors.same();
    }

    private Behavior<Command> onClose(Close m) {
        closeWaiters.add(m.replyTo());
        if (closeWaiters.size() > 1) {
            return Behaviors.same();
        }
        if (sessionId == 0 || connection == null) { // no session yet, or no connection to close it on
            return finishClose();
        }
        queued.add(CloseCall.INSTANCE);
        // Waiting longer than the session timeout is pointless: by then the server ends the session itself.
        timers.startSingleTimer(CLOSE_TIMER, Timer.CLOSE_TIMED_OUT, Duration.ofMillis(sessionTimeoutMs()));
        flush();
        return Behaviors.same();
    }

    /** Sends queued requests while connected and below max-in-flight, so the socket sees backpressure. */
    private void flush() {
        while (established && inFlight.size() < settings.maxInFlight() && !queued.isEmpty()) {
            Outgoing next = queued.poll();
            int xid = nextXid;
            JuteOutput frame;
            if (next instanceof Call<?> call) {
                try {
                    frame = Connection.frame(xid, call.request().opCode(), call.request().body(chroot));
                } catch (RuntimeException e) {
                    // a caller's argument that cannot be encoded fails its own request, not the session
                    context.getLog().debug("request not sent, its arguments cannot be encoded: {}", e.toString());
                    call.fail(ErrorCode.BADARGUMENTS);
                    continue;
                }
            } else {
                frame = Connection.frame(xid, OpCode.CLOSE_SESSION, null);
            }
            nextXid = nextXid == Integer.MAX_VALUE ? 1 : nextXid + 1;
            inFlight.add(new InFlight(xid, next)); // first, so that a failed write still fails the request
            write(frame);
        }
    }

    private void sendAuth(AuthEntry auth) {
        authsInFlight.add(auth);
        write(AUTH_XID, OpCode.AUTH, new AuthPacket(0, auth.scheme, auth.auth));
    }

    private void write(int xid, int opCode, JuteRecord body) {
        write(Connection.frame(xid, opCode, body));
    }

    private void write(JuteOutput frame) {
        if (!connection.send(frame)) {
            throw new ConnectionFault(connection + " takes no more frames");
        }
        lastSentNanos = System.nanoTime();
    }

    // ---- losing the connection, ending the session

    private Behavior<Command> connectionBroke(String why) {
        boolean wasEstablished = established;
        Connection lost = connection;
        connection.abort();
        connection = null;
        established = false;
        timers.cancel(HANDSHAKE_TIMER);
        timers.cancel(TICK_TIMER);
        failUnanswered(ErrorCode.CONNECTIONLOSS); // applied or not, nobody can tell
        if (!closeWaiters.isEmpty()) { // not worth a new connection: the server ends the session on its own
            return finishClose();
        }
        if (wasEstablished) {
            context.getLog().info("session 0x{} lost {}: {}", Long.toHexString(sessionId), lost, why);
            emit(SessionEvent.State.DISCONNECTED, lost.server());
            return connectNext();
        }
        context.getLog().debug("{} failed: {}", lost, why);
        timers.startSingleTimer(RECONNECT_TIMER, Timer.RECONNECT,
            Duration.ofMillis(ThreadLocalRandom.current().nextLong(MAX_RECONNECT_DELAY_MS + 1)));
        return waiting();
    }

    private Behavior<Command> finishClose() {
        return terminate(SessionEvent.State.CLOSED, "closed by the client");
    }

    private Behavior<Command> terminate(SessionEvent.State state, String why) {
        context.getLog().info("session 0x{} {}: {}", Long.toHexString(sessionId), state, why);
        failUnanswered(state.failureCode());
        emit(state, connection == null ? null : connection.server());
        for (Watcher watcher : watches.watchers()) {
            watcher.sessionEnded(state);
        }
        if (connection != null) {
            connection.abort();
        }
        closeWaiters.forEach(waiter -> waiter.tell(Done.getInstance()));
        return Behaviors.stopped();
    }

    private void failUnanswered(ErrorCode code) {
        for (InFlight f : inFlight) {
            if (f.what() instanceof Call<?> call) {
                call.fail(code);
            }
        }
        for (Outgoing o : queued) {
            if (o instanceof Call<?> call) {
                call.fail(code);
            }
        }
        inFlight.clear();
        queued.clear();
        auths.forEach(auth -> auth.fail(code)); // the credentials stay, to be sent on the next connection
        authsInFlight.clear();
    }

    private void emit(SessionEvent.State state, InetSocketAddress server) {
        sessionListener.tell(new SessionEvent(state, sessionId, Duration.ofMillis(negotiatedTimeoutMs), server));
    }

    private boolean isCurrent(int connectionId) {
        return connection != null && connection.id() == connectionId;
    }

    private static String describe(Connection.Closed closed) {
        if (closed.cause() == null) {
            return "closed by the server";
        }
        return closed.cause() instanceof ConnectionFault ? "protocol error: " + closed.cause().getMessage()
            : closed.cause().toString();
    }

    private static long millisToNanos(long ms) {
        return ms * 1_000_000L;
    }

    // ---- bookkeeping records

    /** Something to send in order: a user's request or the closeSession that ends them. */
    private sealed interface Outgoing permits Call, CloseCall {
    }

    private record Call<R>(ZkRequest<R> request, ActorRef<StatusReply<R>> replyTo, Watcher watcher) implements Outgoing {
        static <R> Call<R> of(Execute<R> m) {
            return new Call<>(m.request(), m.replyTo(), m.watcher());
        }

        /** Decodes the reply now and returns the telling of it, to run once the request is dequeued. */
        Runnable answer(ErrorCode code, JuteInput in, Chroot chroot) {
            StatusReply<R> reply;
            if (code == ErrorCode.OK) {
                reply = StatusReply.success(request.readReply(in, chroot));
            } else {
                try {
                    reply = StatusReply.success(request.onError(code));
                } catch (KeeperException e) {
                    reply = StatusReply.error(e);
                }
            }
            StatusReply<R> decided = reply;
            return () -> replyTo.tell(decided);
        }

        void fail(ErrorCode code) {
            replyTo.tell(StatusReply.error(KeeperException.create(code, request.path())));
        }
    }

    private enum CloseCall implements Outgoing {
        INSTANCE
    }

    private record InFlight(int xid, Outgoing what) {
    }

    /** A credential, kept for replay; {@code waiter} is the addAuth caller until the server has answered. */
    private static final class AuthEntry {
        final String scheme;
        final byte[] auth;
        private ActorRef<StatusReply<Done>> waiter;

        AuthEntry(String scheme, byte[] auth, ActorRef<StatusReply<Done>> waiter) {
            this.scheme = scheme;
            this.auth = auth;
            this.waiter = waiter;
        }

        void acknowledge() {
            if (waiter != null) {
                waiter.tell(StatusReply.ack());
                waiter = null;
            }
        }

        void fail(ErrorCode code) {
            if (waiter != null) {
                waiter.tell(StatusReply.error(KeeperException.create(code)));
                waiter = null;
            }
        }
    }
}
