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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A CompletionStage facade over one {@link ZkSession} actor. Failures complete the stages
 * exceptionally with a {@link CompletionException} whose cause is the {@link KeeperException}
 * subclass for ZooKeeper's error code (e.g. {@link KeeperException.NoNodeException}). Thread-safe.
 */
public final class ZkClient {
    private static final AtomicLong IDS = new AtomicLong();
    /** The buffer of a Source when none is given. */
    private static final int DEFAULT_BUFFER = 256;

    private final ActorSystem<?> system;
    private final String connectString;
    private final ZkClientSettings settings;
    private final long id;
    private final SessionState state = new SessionState();
    private final List<Consumer<? super WatchEvent>> watchListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<? super SessionEvent>> sessionListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Function<ZkClient, CompletionStage<?>>> newSessionHooks = new CopyOnWriteArrayList<>();
    private final ActorRef<Object> relay;
    /** The current session actor; a renewal after expiry replaces it. */
    private volatile ActorRef<ZkSession.Command> session;
    private int generation; // sessions started, for their actor names; only the relay's thread renews

    private ZkClient(ActorSystem<?> system, String connectString, ZkClientSettings settings) {
        this.system = system;
        this.connectString = connectString;
        this.settings = settings;
        this.id = IDS.incrementAndGet();
        this.relay = system.systemActorOf(EventRelay.create(this::onSessionEvent, this::afterSessionEvent,
            watchListeners, sessionListeners),
            "paddock-client-events-" + id, Props.empty());
        this.session = startSession();
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
        ZkClient client = new ZkClient(system, connectString, settings);
        // Without a server, a new session would retry for ever; nobody waits for that.
        Cancellable giveUp = system.scheduler().scheduleOnce(settings.sessionTimeout(), () -> {
            if (client.state.firstConnection.completeExceptionally(KeeperException.create(ErrorCode.CONNECTIONLOSS))) {
                client.session.tell(new ZkSession.Close(system.ignoreRef()));
            }
        }, system.executionContext());
        return client.state.firstConnection.thenApply(connected -> {
            giveUp.cancel();
            return client;
        });
    }

    // ---- requests

    /**
     * Sends any request; the methods below are shortcuts for this. An idempotent request (a read,
     * sync, whoAmI or addWatch) that fails with CONNECTIONLOSS is sent again as the settings'
     * retry policy says; any other request fails with it.
     */
    public <R> CompletionStage<R> execute(ZkRequest<R> request) {
        return execute(request, Watcher.Session.INSTANCE);
    }

    /** Sends a request whose watch, if it sets one, {@code watcher} hears (besides the session-wide listeners). */
    public <R> CompletionStage<R> execute(ZkRequest<R> request, Watcher watcher) {
        if (!Retries.idempotent(request)) {
            return attempt(request, watcher);
        }
        return Retries.run(settings.retry(), () -> attempt(request, watcher),
            (pause, retry) -> system.scheduler().scheduleOnce(pause, retry, system.executionContext()),
            () -> ThreadLocalRandom.current().nextDouble());
    }

    private <R> CompletionStage<R> attempt(ZkRequest<R> request, Watcher watcher) {
        return ask(request.path(), replyTo -> new ZkSession.Execute<>(request, replyTo, watcher));
    }

    /** Asks the session, or fails at once once the client has ended; {@code path} names the request's node in errors. */
    private <T> CompletionStage<T> ask(String path, Function<ActorRef<StatusReply<T>>, ZkSession.Command> message) {
        ErrorCode gone = state.terminalCode();
        if (gone != null) {
            return CompletableFuture.failedFuture(new CompletionException(KeeperException.create(gone, path)));
        }
        return settle(AskPattern.askWithStatus(session, message::apply, askTimeout(), system.scheduler()), path);
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

    /** Reads the node and sets a data watch that only {@code watcher} (and the session-wide listeners) hear. */
    public CompletionStage<DataResult> getData(String path, Consumer<? super WatchEvent> watcher) {
        return execute(new ZkRequest.GetData(path, true), callback(watcher));
    }

    public CompletionStage<DataResult> getData(String path, ActorRef<WatchEvent> watcher) {
        return execute(new ZkRequest.GetData(path, true), Watcher.of(watcher));
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

    /** As {@link #exists(String, boolean)}, with a watch (a data watch, or a creation watch if the node is missing) for {@code watcher}. */
    public CompletionStage<Stat> exists(String path, Consumer<? super WatchEvent> watcher) {
        return execute(new ZkRequest.Exists(path, true), callback(watcher));
    }

    public CompletionStage<Stat> exists(String path, ActorRef<WatchEvent> watcher) {
        return execute(new ZkRequest.Exists(path, true), Watcher.of(watcher));
    }

    public CompletionStage<ChildrenResult> getChildren(String path, boolean watch) {
        return execute(new ZkRequest.GetChildren(path, watch));
    }

    /** Lists the children and sets a child watch for {@code watcher}. */
    public CompletionStage<ChildrenResult> getChildren(String path, Consumer<? super WatchEvent> watcher) {
        return execute(new ZkRequest.GetChildren(path, true), callback(watcher));
    }

    public CompletionStage<ChildrenResult> getChildren(String path, ActorRef<WatchEvent> watcher) {
        return execute(new ZkRequest.GetChildren(path, true), Watcher.of(watcher));
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
        return this.<Done>ask(null, replyTo -> new ZkSession.AddAuth(scheme, auth, replyTo)).thenApply(done -> null);
    }

    /** Closes the session (its ephemerals go with it); completes when the server confirmed or gave up. */
    public CompletionStage<Void> close() {
        ActorRef<ZkSession.Command> closed;
        synchronized (state) { // against a renewal: it starts a session after this, or this closes the renewed one
            if (!state.markClosing()) {
                return CompletableFuture.completedFuture(null);
            }
            closed = session;
        }
        return AskPattern.<ZkSession.Command, Done>ask(closed, ZkSession.Close::new, askTimeout(), system.scheduler())
            .handle((done, failure) -> null); // a session that has already stopped is closed too
    }

    // ---- streams

    /** {@link #watch(String, AddWatchMode, int)} with a buffer of 256 events. */
    public Source<WatchEvent, CompletionStage<Done>> watch(String path, AddWatchMode mode) {
        return watch(path, mode, DEFAULT_BUFFER);
    }

    /**
     * The events of a persistent watch on {@code path} (PERSISTENT: events of the node itself;
     * PERSISTENT_RECURSIVE: of the node and every node under it, without children-changed).
     * Each materialization sets its own watch with addWatch (retried as reads are) and fails if
     * that fails; the materialized stage completes once the watch is set. Cancelling
     * removes it, and removes the server's watch (removeWatches with the persistent type) when no
     * other watcher of the client uses it. At most {@code bufferSize} events wait for a slow
     * consumer; one more fails the stream with a {@code BufferOverflowException}. The stream
     * completes when the client is closed and fails with SESSIONEXPIRED (AUTHFAILED) when the
     * session expires (ends by a rejected credential), renewal or not: the watch is gone. A
     * removeWatches of the path and type (or ANY) completes it too.
     * Across a DISCONNECTED the watch is set again and the stream goes on, but ZooKeeper does not
     * replay the events a persistent watch missed meanwhile.
     */
    public Source<WatchEvent, CompletionStage<Done>> watch(String path, AddWatchMode mode, int bufferSize) {
        WatcherType type = mode == AddWatchMode.PERSISTENT_RECURSIVE ? WatcherType.PERSISTENT_RECURSIVE
            : WatcherType.PERSISTENT;
        return Source.<WatchEvent>queue(bufferSize).mapMaterializedValue(queue -> {
            WatchStream stream = new WatchStream(queue);
            CompletionStage<Void> added = execute(new ZkRequest.AddWatch(path, mode), stream);
            added.whenComplete((ok, failure) -> {
                if (failure != null) {
                    stream.fail(failure instanceof CompletionException ? failure.getCause() : failure);
                }
            });
            return new WatchStarted(stream, added);
        }).watchTermination((started, done) -> {
            // Removed only after addWatch's reply: by then the session holds the watcher, so the removal finds it.
            done.whenComplete((d, f) -> started.added().thenRun(() -> {
                if (!started.stream().ended()) {
                    // the session now: an addWatch retried after a renewal set the watch in the new one
                    session.tell(new ZkSession.RemoveWatcher(path, type, started.stream(), system.ignoreRef()));
                }
            }));
            return started.added().thenApply(ok -> Done.getInstance());
        });
    }

    /** {@link #sessionEvents(int)} with a buffer of 256 events. */
    public Source<SessionEvent, NotUsed> sessionEvents() {
        return sessionEvents(DEFAULT_BUFFER);
    }

    /**
     * The session's state changes from materialization on. It completes after the client's last
     * event (CLOSED, AUTH_FAILED, or EXPIRED without renewal), or at once if the client has
     * ended. At most {@code bufferSize} events wait for a slow consumer; one more fails the stream
     * with a {@code BufferOverflowException}.
     */
    public Source<SessionEvent, NotUsed> sessionEvents(int bufferSize) {
        return Source.<SessionEvent>queue(bufferSize).mapMaterializedValue(queue -> {
            Consumer<SessionEvent> listener = event -> {
                if (queue.offer(event) == QueueOfferResult.dropped()) {
                    queue.fail(new BufferOverflowException("session event buffer of " + bufferSize + " is full"));
                } else if (state.over != null) {
                    queue.complete();
                }
            };
            sessionListeners.add(listener);
            if (state.over != null) {
                queue.complete();
            }
            return listener;
        }).watchTermination((listener, done) -> {
            done.whenComplete((d, failure) -> sessionListeners.remove(listener));
            return NotUsed.getInstance();
        });
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

    /**
     * Registers what to do on every new session after an expiry (with renew-session-on-expiry):
     * a recipe re-creates what it owns (ephemerals, watches) there. Hooks run after the
     * listeners heard EXPIRED and then CONNECTED; a failed hook is logged. Registering a hook
     * again changes nothing.
     */
    public void onNewSession(Function<ZkClient, CompletionStage<?>> hook) {
        newSessionHooks.addIfAbsent(hook);
    }

    /** Stops running {@code hook} on new sessions (a recipe that is closed owns nothing any more). */
    public void removeNewSessionHook(Function<ZkClient, CompletionStage<?>> hook) {
        newSessionHooks.remove(hook);
    }

    /** The session actor, for actor-style use of the same session (after a renewal, the new one). */
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

    /**
     * Calls {@code listener} for every session state change after the first CONNECTED:
     * DISCONNECTED, RECONNECTED, EXPIRED, CLOSED, AUTH_FAILED, and with renewal CONNECTED again
     * with the new session.
     */
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
        Duration requested = settings.sessionTimeout();
        Duration timeout = requested.compareTo(negotiatedTimeout()) >= 0 ? requested : negotiatedTimeout();
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

    private WatchCallback callback(Consumer<? super WatchEvent> watcher) {
        return new WatchCallback(Objects.requireNonNull(watcher, "watcher"), relay);
    }

    private ActorRef<ZkSession.Command> startSession() {
        return system.systemActorOf(ZkSession.create(connectString, settings, relay.narrow(), relay.narrow()),
            "paddock-session-" + id + "-" + ++generation, Props.empty());
    }

    /**
     * Takes a session event on the relay, before the listeners hear it, so that they see the
     * client in the state it announces. An expiry with renewal on starts a new session at once,
     * so that requests sent meanwhile wait in it for its connection.
     */
    private void onSessionEvent(SessionEvent event) {
        synchronized (state) { // against close(), which must not miss a session started here
            state.last = event;
            if (event.state() == SessionEvent.State.EXPIRED && renews()) {
                session = startSession();
            } else if (event.state().isTerminal()) {
                state.over = event.state().failureCode();
            }
        }
    }

    /**
     * Takes a session event after the listeners heard it; returns whether it is the client's
     * last. The first CONNECTED completes connect() only now, so that no listener, registered
     * once connect() completed, hears it.
     */
    private boolean afterSessionEvent(SessionEvent event) {
        if (event.state() == SessionEvent.State.CONNECTED && !state.firstConnection.complete(null)
            && !state.firstConnection.isCompletedExceptionally()) { // not a connect() given up meanwhile
            runNewSessionHooks();
        }
        if (state.over != null) {
            state.firstConnection.completeExceptionally(KeeperException.create(state.over));
        }
        return state.over != null;
    }

    private boolean renews() {
        return settings.renewSessionOnExpiry() && !state.closing && state.firstConnection.isDone();
    }

    private void runNewSessionHooks() {
        for (Function<ZkClient, CompletionStage<?>> hook : newSessionHooks) {
            CompletionStage<?> done;
            try {
                done = hook.apply(this);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            done.whenComplete((ok, failure) -> {
                if (failure != null) {
                    system.log().warn("new-session hook {} failed on session 0x{}", hook, Long.toHexString(sessionId()),
                        failure);
                }
            });
        }
    }

    /** A materialized watch stream: its watcher and addWatch's outcome. */
    private record WatchStarted(WatchStream stream, CompletionStage<Void> added) {
    }

    /** What the facade knows of its session, from the events the relay hands it. */
    private static final class SessionState {
        final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
        volatile SessionEvent last;
        /** The code requests fail with once the client has ended, else null. */
        volatile ErrorCode over;
        private volatile boolean closing;

        /** True for the first caller: only one close is sent. */
        synchronized boolean markClosing() {
            boolean first = !closing && over == null;
            closing = true;
            return first;
        }

        /** The code requests fail with once the session is over, or null while it lives. */
        ErrorCode terminalCode() {
            return closing ? ErrorCode.SESSIONEXPIRED : over; // SESSIONEXPIRED: what ZooKeeper's client answers after close()
        }
    }
}
