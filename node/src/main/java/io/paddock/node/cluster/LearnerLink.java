package io.paddock.node.cluster;

import io.paddock.config.ServerSpec;
import io.paddock.protocol.peer.LearnerMessage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One learner session's messages over a plain TCP connection from the learner to its leader's
 * election port, held for the session's life; votes and the cluster's own traffic stay on Artery.
 *
 * <p>Why: over Artery every message in costs a follower a wake-up of Pekko IO's selector thread,
 * an interest change on the socket and a hand-off to the dispatcher, and every message out a
 * wake-up of the outbound stream: measured, a follower made 32.7 system calls a write at one
 * writer against ZooKeeper's 15, and spent twice its CPU. Here one thread blocks in read() and
 * one writes what the node queued, as ZooKeeper's learner handlers do (README, "Performance").
 *
 * <p>The connection's end also tells the learner at once that the leader's process is gone: its
 * operating system closes the socket, where the cluster's failure detector would take seconds.
 * A session whose link cannot be opened, or ends, ends; the learner looks for the leader again.
 *
 * <p>Wire: the learner sends {@code MAGIC, learner id, session}; the leader answers {@code MAGIC}
 * ("PZL" and the version: a learner of another version is answered and refused, and each side
 * logs both versions);
 * then each message is {@code int length, short manifest length, manifest, payload} in Pekko's
 * serialization of peer messages (jackson-cbor), no longer than Artery's frame
 * ({@link io.paddock.protocol.peer.PeerFrames#frameSize}). A frame that breaks these rules, or a
 * message of another learner or session, ends the link.
 */
public final class LearnerLink {
    private static final Logger log = LoggerFactory.getLogger(LearnerLink.class);
    /**
     * The learner link's version, which changes with any change of the peer messages' shape. 2:
     * forwarded writes carry their client connection's token, and revalidations (opcode -101) go
     * to the leader.
     */
    static final int VERSION = 2;
    /** "PZL" and the version as a digit: "PZL2". */
    static final int MAGIC = 0x505a4c30 + VERSION;
    private static final int MAGIC_PREFIX = 0x505a4c00;
    /** The writer writes once this many bytes are framed, and again at the end of what was queued. */
    private static final int WRITE_CHUNK = 64 * 1024;
    /** Messages queued and not yet written: beyond this, the peer is not reading and the link ends. */
    static final int MAX_QUEUED = 100_000;
    /** Connections waiting to say hello, each on a thread of its own: beyond this, a new one is closed at once. */
    static final int MAX_HELLOS = 32;
    private static final Object END = new Object();
    /** How long a closed link's queue may take to be written before its socket is closed regardless. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private LearnerLink() {
    }

    /** What a learner's link delivers on the leader's side, from the link's reader thread. */
    public interface Receiver {
        void received(Link link, LearnerMessage message);

        /** The link ended (the learner's process, or this side, closed it), once. */
        void lost(Link link);
    }

    /**
     * Listens on this node's election port for learners' links until {@link Listener#close()} or
     * the end of {@code system}. A port that cannot be bound fails {@link Listener#bound()}.
     */
    public static Listener listen(ActorSystem<?> system, String host, int port, long maxFrame,
                                  LongFunction<Address> servers) {
        Listener listener = new Listener(SerializationExtension.get(system.classicSystem()), maxFrame, servers,
            LinkCuts.get(system));
        daemon("paddock-link-accept", () -> listener.run(host, port));
        system.getWhenTerminated().thenRun(listener::close);
        return listener;
    }

    /**
     * This node's links: the learners' links to it (it listens for them) and, while it is a
     * learner, its own link to its leader ({@link #connect}). {@link #close()} ends them all.
     */
    public static final class Listener {
        private final Serialization serialization;
        private final Serializer serializer;
        private final long maxFrame;
        /** The cluster address of each configured server, null for any other id. */
        private final LongFunction<Address> servers;
        private final LinkCuts cuts;
        private final CompletableFuture<Void> bound = new CompletableFuture<>();
        private final Set<Link> links = ConcurrentHashMap.newKeySet();
        private final Semaphore hellos = new Semaphore(MAX_HELLOS);
        private volatile Receiver receiver;
        private volatile ServerSocket server;
        private volatile boolean closed;

        private Listener(Serialization serialization, long maxFrame, LongFunction<Address> servers, LinkCuts cuts) {
            this.serialization = serialization;
            this.serializer = peerSerializer(serialization);
            this.maxFrame = maxFrame;
            this.servers = servers;
            this.cuts = cuts;
        }

        /** Completes when the port is bound; fails if it cannot be. */
        public CompletionStage<Void> bound() {
            return bound;
        }

        /** Who gets the links' messages from now on; links that open before there is one are closed. */
        public void receiveWith(Receiver receiver) {
            this.receiver = receiver;
        }

        private void run(String host, int port) {
            try {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(host, port));
                server = s;
                bound.complete(null);
                if (closed) {
                    s.close();
                }
            } catch (IOException e) {
                log.warn("the election port {}:{} could not be bound: {}", host, port, e.getMessage());
                bound.completeExceptionally(e);
                return;
            }
            while (!closed) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    if (!closed) {
                        log.warn("accepting a learner's link failed: {}", e.toString());
                        pause(); // out of file descriptors, say: accept fails at once, again and again
                    }
                    continue;
                }
                if (!hellos.tryAcquire()) {
                    log.debug("a connection from {} was closed: {} others wait to say hello", socket.getRemoteSocketAddress(),
                        MAX_HELLOS);
                    closeQuietly(socket);
                    continue;
                }
                try {
                    daemon("paddock-link-open", () -> {
                        try {
                            open(socket);
                        } finally {
                            hellos.release();
                        }
                    });
                } catch (RuntimeException | Error e) { // no thread to be had: this connection goes, the listener stays
                    hellos.release();
                    closeQuietly(socket);
                    log.warn("a learner's link could not be opened: {}", e.toString());
                    pause();
                }
            }
        }

        /** Reads the learner's hello, answers it and starts the link (on a thread of its own: a silent peer waits alone). */
        private void open(Socket socket) {
            try {
                socket.setTcpNoDelay(true);
                CompletableFuture<Void> helloRead = closeUnless(socket);
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
                int magic = in.readInt();
                if (magic != MAGIC && (magic & 0xffffff00) != MAGIC_PREFIX) {
                    throw new IOException("not a learner link (wrong magic)");
                }
                long learner = in.readLong();
                long session = in.readLong();
                if (magic != MAGIC) {
                    // answered, so that the learner can say why too
                    new DataOutputStream(socket.getOutputStream()).writeInt(MAGIC);
                    log.warn("the learner link of server {} was refused: {}", learner, versionMismatch(learner, magic));
                    closeQuietly(socket);
                    return;
                }
                Address address = servers.apply(learner);
                if (address == null) {
                    throw new IOException("server " + learner + " is not in this node's configuration");
                }
                if (cuts.isCut(address)) {
                    throw new IOException("server " + learner + " is cut off");
                }
                Receiver r = receiver;
                if (r == null || closed) {
                    throw new IOException("this node does not take learners yet");
                }
                new DataOutputStream(socket.getOutputStream()).writeInt(MAGIC);
                helloRead.complete(null);
                Link link = new Link(this, socket, in, learner, learner, address, session);
                start(link, m -> r.received(link, m), () -> r.lost(link));
            } catch (IOException e) {
                log.debug("a link from {} was refused: {}", socket.getRemoteSocketAddress(), e.getMessage());
                closeQuietly(socket);
            }
        }

        /**
         * Opens learner {@code self}'s link for {@code session} to {@code leader}'s election port, on a
         * thread of its own. The stage completes with the link once the leader answered, and fails if
         * it could not be opened; {@code received} then gets the leader's messages on the link's
         * reader thread, and {@code lost} runs once when the link ends, unless it was closed here.
         */
        public CompletionStage<Link> connect(ServerSpec leader, long self, long session, Duration connectTimeout,
                                             Consumer<LearnerMessage> received, Runnable lost) {
            Address address = PeerAddresses.address(leader);
            CompletableFuture<Link> held = new CompletableFuture<>();
            daemon("paddock-link-open", () -> {
                Socket socket = new Socket();
                try {
                    if (cuts.isCut(address)) {
                        throw new IOException("server " + leader.id() + " is cut off");
                    }
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress(leader.host(), leader.electionPort()), (int) connectTimeout.toMillis());
                    CompletableFuture<Void> answered = closeUnless(socket);
                    DataOutputStream hello = new DataOutputStream(socket.getOutputStream());
                    hello.writeInt(MAGIC);
                    hello.writeLong(self);
                    hello.writeLong(session);
                    hello.flush();
                    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
                    int magic;
                    try {
                        magic = in.readInt();
                    } catch (EOFException e) {
                        throw new IOException("server " + leader.id() + " closed the link at its hello: it may run another"
                            + " Paddock build, which does not speak learner-link version " + VERSION, e);
                    }
                    if ((magic & 0xffffff00) == MAGIC_PREFIX && magic != MAGIC) {
                        throw new IOException(versionMismatch(leader.id(), magic));
                    }
                    if (magic != MAGIC) {
                        throw new IOException("server " + leader.id() + " answered on its election port, but not as a Paddock leader");
                    }
                    answered.complete(null);
                    Link link = new Link(this, socket, in, self, leader.id(), address, session);
                    start(link, received, () -> {
                        if (!link.closedHere.get()) {
                            lost.run();
                        }
                    });
                    held.complete(link);
                } catch (IOException e) {
                    closeQuietly(socket);
                    held.completeExceptionally(e);
                }
            });
            return held;
        }

        /** Starts {@code link}'s threads; it is this listener's until it ends, so that {@link #close()} ends it too. */
        private void start(Link link, Consumer<LearnerMessage> received, Runnable lost) throws IOException {
            links.add(link);
            try {
                link.start(received, () -> {
                    links.remove(link);
                    lost.run();
                });
            } catch (IOException | RuntimeException e) {
                links.remove(link);
                throw e;
            }
            if (closed) {
                link.close();
            }
        }

        /**
         * Stops listening and ends every learner's link now, as the end of this process would: a
         * node that is stopping tells its learners at once, so that they elect another leader
         * while it finishes its shutdown.
         */
        public void close() {
            closed = true;
            ServerSocket s = server;
            if (s != null) {
                closeQuietly(s);
            }
            links.forEach(Link::close);
        }
    }

    private static String versionMismatch(long server, int magic) {
        return "server " + server + " speaks learner-link version " + ((magic & 0xff) - '0') + ", this node version "
            + VERSION + ": every server of an ensemble must run the same Paddock build";
    }

    /** How long the leader waits for a new link's hello, and a learner for the leader's answer. */
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Closes {@code socket} after {@link #HELLO_TIMEOUT} unless the returned future completes first.
     * Not SO_TIMEOUT: a socket that ever had one reads through a non-blocking descriptor for good
     * (JDK 17), at an extra read and a poll per message.
     */
    private static CompletableFuture<Void> closeUnless(Socket socket) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(HELLO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!done.isDone()) {
                closeQuietly(socket);
            }
        });
        return done;
    }

    /** One learner session's connection, at either end. */
    public static final class Link {
        private final Listener owner;
        private final Socket socket;
        private final DataInputStream in;
        private final long learner;
        /** The server at the other end: every message read must come from it. */
        private final long peer;
        private final Address peerAddress;
        private final long session;
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final AtomicBoolean closedHere = new AtomicBoolean();
        private volatile boolean ended;

        private Link(Listener owner, Socket socket, DataInputStream in, long learner, long peer, Address peerAddress,
                     long session) {
            this.owner = owner;
            this.socket = socket;
            this.in = in;
            this.learner = learner;
            this.peer = peer;
            this.peerAddress = peerAddress;
            this.session = session;
        }

        /** The learner's server id. */
        public long learner() {
            return learner;
        }

        public long session() {
            return session;
        }

        /** Queues {@code message} for the writer thread; dropped once the link has ended, as on a broken connection. */
        public void send(LearnerMessage message) {
            if (ended || owner.cuts.isCut(peerAddress)) {
                return;
            }
            if (queue.size() >= MAX_QUEUED) {
                log.warn("the link of learner {} (session {}) ends: {} messages wait to be written", learner, session,
                    MAX_QUEUED);
                abort();
                return;
            }
            queue.add(message);
        }

        /**
         * Ends the link; what is still queued is written first, within the socket's close. A peer
         * that reads nothing cannot hold it: {@link #CLOSE_GRACE} later the socket is closed anyway.
         */
        public void close() {
            closedHere.set(true);
            queue.add(END);
            CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(this::abort);
        }

        /**
         * Ends the link now, dropping what is queued: the closed socket ends both threads, and the
         * reader reports the end (a writer blocked on a full socket would never reach an orderly END).
         */
        private void abort() {
            ended = true;
            queue.clear();
            queue.add(END);
            closeQuietly(socket);
        }

        /**
         * Only the reader reports the link's end, after the last message it handed over, so that the
         * receiver never hears from a link after its end; whatever ends the link first closes the
         * socket, which ends the reader.
         */
        private void start(Consumer<LearnerMessage> received, Runnable lost) throws IOException {
            OutputStream out = socket.getOutputStream();
            daemon("paddock-link-in", () -> {
                try {
                    while (true) {
                        LearnerMessage m = read();
                        if (ended) {
                            break; // frames still buffered after the writer failed or the link was aborted
                        }
                        if (!owner.cuts.isCut(peerAddress)) {
                            received.accept(m);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (!closedHere.get() && !ended) {
                        log.debug("link of learner {} (session {}) ended: {}", learner, session, e.toString());
                    }
                } finally {
                    abort();
                    lost.run();
                }
            });
            daemon("paddock-link-out", () -> {
                try {
                    write(out);
                } catch (IOException | RuntimeException e) {
                    log.debug("writing to the link of learner {} (session {}) failed: {}", learner, session, e.toString());
                } finally {
                    abort();
                }
            });
        }

        private LearnerMessage read() throws IOException {
            int length = in.readInt();
            if (length < 2 || length > owner.maxFrame) {
                throw new IOException("a frame of " + length + " bytes (at most " + owner.maxFrame + ")");
            }
            byte[] manifest = new byte[in.readUnsignedShort()];
            if (manifest.length > length - 2) {
                throw new IOException("a manifest longer than its frame");
            }
            in.readFully(manifest);
            byte[] payload = new byte[length - 2 - manifest.length];
            in.readFully(payload);
            Object m = owner.serialization.deserialize(payload, owner.serializer.identifier(),
                new String(manifest, StandardCharsets.UTF_8)).get();
            if (!(m instanceof LearnerMessage message) || message.session() != session || message.sender() != peer) {
                throw new IOException("a message of another server or session: " + m);
            }
            return message;
        }

        /**
         * Writes what is queued, all that waits together in one write (one per {@link #WRITE_CHUNK}
         * bytes: a SNAP's parts queued at once are not gathered into one image-sized buffer), until
         * the link ends.
         */
        private void write(OutputStream out) throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
            DataOutputStream frames = new DataOutputStream(buffer);
            List<Object> batch = new ArrayList<>();
            while (true) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                queue.drainTo(batch);
                boolean last = false;
                for (Object item : batch) {
                    if (item == END) {
                        last = true;
                        break;
                    }
                    byte[] payload = owner.serializer.toBinary(item);
                    byte[] manifest = Serializers.manifestFor(owner.serializer, item).getBytes(StandardCharsets.UTF_8);
                    frames.writeInt(2 + manifest.length + payload.length);
                    frames.writeShort(manifest.length);
                    frames.write(manifest);
                    frames.write(payload);
                    if (buffer.size() >= WRITE_CHUNK && !ended) {
                        buffer.writeTo(out);
                        buffer.reset();
                    }
                }
                batch.clear();
                if (!ended) {
                    buffer.writeTo(out);
                }
                buffer.reset();
                if (last) {
                    closeQuietly(socket);
                    return;
                }
            }
        }
    }

    /** The serializer of peer messages (jackson-cbor, bound to CborSerializable in reference.conf). */
    private static Serializer peerSerializer(Serialization serialization) {
        try {
            return serialization.serializerFor(LearnerMessage.Ack.class);
        } catch (java.io.NotSerializableException e) {
            throw new IllegalStateException("no serializer bound to peer messages", e);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Paces the accept loop after a failure that would repeat at once. */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
