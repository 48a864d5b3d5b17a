package io.paddock.client;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Stat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A CompletionStage facade over one {@link ZkSession} actor. Failures complete the stages
 * exceptionally with a {@link CompletionException} whose cause is the {@link KeeperException}
 * subclass for ZooKeeper's error code (e.g. {@link KeeperException.NoNodeException}). Thread-safe.
 */
public final class ZkClient {
    private static final AtomicLong IDS = new AtomicLong();

    private final ActorSystem<?> system;
    private final ActorRef<ZkSession.Command> session;
    private final Duration requestedTimeout;
    private final SessionState state;
    private final List<Consumer<? super WatchEvent>> watchListeners;
    private final List<Consumer<? super SessionEvent>> sessionListeners;

    private ZkClient(ActorSystem<?> system, ActorRef<ZkSession.Command> session, Duration requestedTimeout,
                     SessionState state, List<Consumer<? super WatchEvent>> watchListeners,
                     List<Consumer<? super SessionEvent>> sessionListeners) {
        this.system = system;
        this.session = session;
        this.requestedTimeout = requestedTimeout;
        this.state = state;
        this.watchListeners = watchListeners;
        this.sessionListeners = sessionListeners;
    }

    /** Connects with the settings in {@code system}'s config ({@code paddock.client}). */
    public static CompletionStage<ZkClient> connect(ActorSystem<?> system, String connectString) {
        return connect(system, connectString, ZkClientSettings.create(system));
    }

    /** Connects with the settings in {@code system}'s config, asking for {@code sessionTimeout}. */
    public static CompletionStage<ZkClient> connect(ActorSystem<?> system, String connectString,
                                                    Duration sessionTimeout) {
        return connect(system, connectString, ZkClientSettings.create(system).withSessionTimeout(sessionTimeout));
    }

    /**
     * Starts a session and completes once it is connected. If no server accepts it within the
     * session timeout, the attempt is abandoned and the stage fails with CONNECTIONLOSS.
     */
    public static CompletionStage<ZkClient> connect(ActorSystem<?> system, String connectString,
                                                    ZkClientSettings settings) {
        ConnectString.parse(connectString); // fail here, before any actor is spawned
        Duration sessionTimeout = settings.sessionTimeout();
        long id = IDS.incrementAndGet();
        SessionState state = new SessionState();
        List<Consumer<? super WatchEvent>> watchListeners = new CopyOnWriteArrayList<>();
        List<Consumer<? super SessionEvent>> sessionListeners = new CopyOnWriteArrayList<>();
        ActorRef<Object> relay = system.systemActorOf(EventRelay.create(state, watchListeners, sessionListeners),
            "paddock-client-events-" + id, Props.empty());
        ActorRef<ZkSession.Command> session = system.systemActorOf(
            ZkSession.create(connectString, settings, relay.narrow(), relay.narrow()),
            "paddock-session-" + id, Props.empty());
        ZkClient client = new ZkClient(system, session, sessionTimeout, state, watchListeners, sessionListeners);
        // Without a server, a new session would retry for ever; nobody waits for that.
        Cancellable giveUp = system.scheduler().scheduleOnce(sessionTimeout, () -> {
            if (state.firstConnection.completeExceptionally(KeeperException.create(ErrorCode.CONNECTIONLOSS))) {
                session.tell(new ZkSession.Close(system.ignoreRef()));
            }
        }, system.executionContext());
        return state.firstConnection.thenApply(connected -> {
            giveUp.cancel();
            return client;
        });
    }

    // ---- requests

    /** Sends any request; the methods below are shortcuts for this. */
    public <R> CompletionStage<R> execute(ZkRequest<R> request) {
        ErrorCode gone = state.terminalCode();
        if (gone != null) {
            return CompletableFuture.failedFuture(new CompletionException(KeeperException.create(gone, request.path())));
        }
        return settle(AskPattern.askWithStatus(session, replyTo -> new ZkSession.Execute<>(request, replyTo),
            askTimeout(), system.scheduler()), request.path());
    }

    public CompletionStage<CreateResult> create(String path, byte[] data, List<Acl> acl, CreateMode mode) {
        return execute(new ZkRequest.Create(path, data, acl, mode, 0));
    }

    /** Creates a TTL node ({@code mode} PERSISTENT_WITH_TTL or PERSISTENT_SEQUENTIAL_WITH_TTL). */
    public CompletionStage<CreateResult> create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttlMs) {
        return execute(new ZkRequest.Create(path, data, acl, mode, ttlMs));
    }

    public CompletionStage<DataResult> getData(String path, boolean watch) {
        return execute(new ZkRequest.GetData(path, watch));
    }

    public CompletionStage<Stat> setData(String path, byte[] data, int version) {
        return execute(new ZkRequest.SetData(path, data, version));
    }

    public CompletionStage<Void> delete(String path, int version) {
        return execute(new ZkRequest.Delete(path, version));
    }

    /** The node's stat, or null when it does not exist. */
    public CompletionStage<Stat> exists(String path, boolean watch) {
        return execute(new ZkRequest.Exists(path, watch));
    }

    public CompletionStage<ChildrenResult> getChildren(String path, boolean watch) {
        return execute(new ZkRequest.GetChildren(path, watch));
    }

    public CompletionStage<AclResult> getAcl(String path) {
        return execute(new ZkRequest.GetAcl(path));
    }

    public CompletionStage<Stat> setAcl(String path, List<Acl> acl, int aclVersion) {
        return execute(new ZkRequest.SetAcl(path, acl, aclVersion));
    }

    public CompletionStage<String> sync(String path) {
        return execute(new ZkRequest.Sync(path));
    }

    /** Applies the ops atomically; a failed multi completes normally with rolled-back results. */
    public CompletionStage<MultiResult> multi(List<Op> ops) {
        return execute(new ZkRequest.Multi(ops));
    }

    /** Builds a multi op by op: {@code transaction().create(...).delete(...).commit()}. */
    public TransactionBuilder transaction() {
        return new TransactionBuilder(this);
    }

    /**
     * Reads several nodes in one round trip. It is no transaction: each result is the read's
     * outcome or an {@link OpResult.Error} of its own (e.g. NONODE), as in ZooKeeper.
     */
    public CompletionStage<List<OpResult>> multiRead(List<ReadOp> ops) {
        return execute(new ZkRequest.MultiRead(ops));
    }

    /** Builds a multiRead read by read: {@code multiRead().getData(p).getChildren(q).execute()}. */
    public MultiReadBuilder multiRead() {
        return new MultiReadBuilder(this);
    }

    /** The paths of all of this session's ephemeral nodes. */
    public CompletionStage<List<String>> getEphemerals() {
        return execute(new ZkRequest.GetEphemerals(null));
    }

    /** The paths of this session's ephemeral nodes that start with {@code prefixPath}. */
    public CompletionStage<List<String>> getEphemerals(String prefixPath) {
        return execute(new ZkRequest.GetEphemerals(prefixPath));
    }

    /** How many nodes are below {@code path}, at any depth. */
    public CompletionStage<Integer> getAllChildrenNumber(String path) {
        return execute(new ZkRequest.GetAllChildrenNumber(path));
    }

    /** Completes if this session has a watch of {@code type} on {@code path}; fails with NoWatcherException if not. */
    public CompletionStage<Void> checkWatches(String path, WatcherType type) {
        return execute(new ZkRequest.CheckWatches(path, type));
    }

    public CompletionStage<Void> addWatch(String path, AddWatchMode mode) {
        return execute(new ZkRequest.AddWatch(path, mode));
    }

    public CompletionStage<Void> removeWatches(String path, WatcherType type) {
        return execute(new ZkRequest.RemoveWatches(path, type));
    }

    public CompletionStage<List<ClientInfo>> whoAmI() {
        return execute(new ZkRequest.WhoAmI());
    }

    /**
     * Adds a credential, kept and sent again after every reconnect. A rejected credential ends
     * the session handle: the stage fails with AUTHFAILED, and so does everything after it.
     */
    public CompletionStage<Void> addAuth(String scheme, byte[] auth) {
        ErrorCode gone = state.terminalCode();
        if (gone != null) {
            return CompletableFuture.failedFuture(new CompletionException(KeeperException.create(gone)));
        }
        return settle(AskPattern.<ZkSession.Command, Done>askWithStatus(session,
            replyTo -> new ZkSession.AddAuth(scheme, auth, replyTo), askTimeout(), system.scheduler()), null)
            .thenApply(done -> null);
    }

    /** Closes the session (its ephemerals go with it); completes when the server confirmed or gave up. */
    public CompletionStage<Void> close() {
        if (!state.markClosing()) {
            return CompletableFuture.completedFuture(null);
        }
        return AskPattern.<ZkSession.Command, Done>ask(session, ZkSession.Close::new, askTimeout(), system.scheduler())
            .handle((done, failure) -> null); // a session that has already stopped is closed too
    }

    // ---- state and events

    /** The session id, 0 before the first connection. */
    public long sessionId() {
        SessionEvent last = state.last;
        return last == null ? 0 : last.sessionId();
    }

    /** The timeout the server granted at the last connection. */
    public Duration negotiatedTimeout() {
        SessionEvent last = state.last;
        return last == null ? Duration.ZERO : last.negotiatedTimeout();
    }

    /** The session actor, for actor-style use of the same session. */
    public ActorRef<ZkSession.Command> session() {
        return session;
    }

    /** Calls {@code listener} for every watch event, one at a time, on an actor's thread: do not block in it. */
    public void addWatchListener(Consumer<? super WatchEvent> listener) {
        watchListeners.add(listener);
    }

    public void removeWatchListener(Consumer<? super WatchEvent> listener) {
        watchListeners.remove(listener);
    }

    /** Sends every watch event to an actor. */
    public void subscribeWatches(ActorRef<WatchEvent> subscriber) {
        watchListeners.add(new EventRelay.ForwardTo<>(subscriber));
    }

    public void unsubscribeWatches(ActorRef<WatchEvent> subscriber) {
        watchListeners.remove(new EventRelay.ForwardTo<>(subscriber));
    }

    /** Calls {@code listener} for every session state change (after the first CONNECTED). */
    public void addSessionListener(Consumer<? super SessionEvent> listener) {
        sessionListeners.add(listener);
    }

    public void removeSessionListener(Consumer<? super SessionEvent> listener) {
        sessionListeners.remove(listener);
    }

    // ---- internals

    /**
     * How long a reply may take. The session answers every request itself, with CONNECTIONLOSS
     * at the latest when a connection is declared dead (2/3 of the timeout of silence) or an
     * attempt fails, so this only guards against a session that stopped meanwhile.
     */
    private Duration askTimeout() {
        Duration timeout = requestedTimeout.compareTo(negotiatedTimeout()) >= 0 ? requestedTimeout : negotiatedTimeout();
        return timeout.multipliedBy(2).plusSeconds(5);
    }

    /** The session's answer, or the session's fate when it gave none. */
    private <R> CompletionStage<R> settle(CompletionStage<R> reply, String path) {
        return reply.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof KeeperException e) {
                throw new CompletionException(e);
            }
            // no answer: the session stopped while the request was on its way
            ErrorCode gone = state.terminalCode();
            throw new CompletionException(KeeperException.create(gone == null ? ErrorCode.CONNECTIONLOSS : gone, path));
        });
    }

    /** What the facade knows of its session, from the events the relay hands it. */
    private static final class SessionState implements Consumer<SessionEvent> {
        final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
        volatile SessionEvent last;
        private volatile boolean closing;

        @Override
        public void accept(SessionEvent event) {
            last = event;
            if (event.state() == SessionEvent.State.CONNECTED) {
                firstConnection.complete(null);
            } else if (event.state().isTerminal()) {
                firstConnection.completeExceptionally(KeeperException.create(codeFor(event.state())));
            }
        }

        /** True for the first caller: only one close is sent. */
        synchronized boolean markClosing() {
            boolean first = !closing && terminalCode() == null;
            closing = true;
            return first;
        }

        /** The code requests fail with once the session is over, or null while it lives. */
        ErrorCode terminalCode() {
            if (closing) {
                return ErrorCode.SESSIONEXPIRED; // what ZooKeeper's client answers after close()
            }
            SessionEvent event = last;
            return event != null && event.state().isTerminal() ? codeFor(event.state()) : null;
        }

        private static ErrorCode codeFor(SessionEvent.State state) {
            return state == SessionEvent.State.AUTH_FAILED ? ErrorCode.AUTHFAILED : ErrorCode.SESSIONEXPIRED;
        }
    }
}
