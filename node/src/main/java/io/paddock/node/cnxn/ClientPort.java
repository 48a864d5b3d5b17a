package io.paddock.node.cnxn;

import io.paddock.node.context.OutstandingLimit;
import io.paddock.node.context.ServerContext;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port: ZooKeeper's wire protocol over Pekko Streams TCP. Each connection is one
 * stream: framer, then {@link ClientConnection#onFrame} with at most {@code maxOutstanding}
 * requests open (the socket is not read while that many are pending), and one bounded queue
 * for everything sent back. Across connections, the server's {@link OutstandingLimit}
 * (globalOutstandingLimit, and bytes) admits each request before it starts ({@link Admit}).
 *
 * <p>The output queue is bounded in bytes as well as in packets, and the input side is
 * throttled by it: while more than {@link #PAUSE_READING_AT} bytes or
 * {@link #PAUSE_READING_AT_PACKETS} packets wait to be written to a client, no further request of
 * that client is started, and its socket is not read, until the backlog is down to
 * {@link #RESUME_READING_AT} bytes and {@link #RESUME_READING_AT_PACKETS} packets. (Counting
 * packets too matters for small replies: a client that pipelines tens of thousands of reads, as
 * a tree walk with async getData does, fills the queue's packet bound long before its bytes.) So a client that sends requests but does not read its replies costs
 * a few MiB, not a heap full of replies. What is not a reply (watch events) can still pile up; a
 * client that lets more than {@link #MAX_BACKLOG_BYTES} or {@link #OUTPUT_QUEUE} packets wait is
 * disconnected (its session lives on).
 */
public final class ClientPort {
    private static final Logger log = LoggerFactory.getLogger(ClientPort.class);
    /** Requests one connection may have open at once, as ZooKeeper's default globalOutstandingLimit. */
    static final int MAX_OUTSTANDING = 1000;
    /** Replies and events waiting to be written to one connection before it counts as stuck. */
    static final int OUTPUT_QUEUE = 16384;
    /** Bytes waiting to be written to one connection before it counts as stuck. */
    static final long MAX_BACKLOG_BYTES = 64L << 20;
    /** Start no new request of a connection while this many bytes wait to be written to it... */
    static final long PAUSE_READING_AT = 4L << 20;
    /** ...until its backlog is down to this. */
    static final long RESUME_READING_AT = 1L << 20;
    /** Likewise in packets: the queue holds {@link #OUTPUT_QUEUE}, and up to {@link #MAX_OUTSTANDING} more requests may be under way. */
    static final int PAUSE_READING_AT_PACKETS = OUTPUT_QUEUE / 2;
    static final int RESUME_READING_AT_PACKETS = OUTPUT_QUEUE / 8;

    private final ServerContext ctx;
    private final Materializer mat;
    private volatile Tcp.ServerBinding binding;

    public ClientPort(ServerContext ctx, ActorSystem<?> system) {
        this.ctx = ctx;
        this.mat = Materializer.matFromSystem(system);
    }

    /** Binds the port; the stage fails (with the bind error) when the address is in use. */
    public CompletionStage<Tcp.ServerBinding> bind(ActorSystem<?> system) {
        InetSocketAddress addr = ctx.config().clientAddress();
        return Tcp.get(system).bind(addr.getHostString(), addr.getPort())
            .to(Sink.foreach(this::accept))
            .run(mat)
            .thenApply(b -> {
                binding = b;
                log.info("client port listening on {}", b.localAddress());
                return b;
            });
    }

    public InetSocketAddress localAddress() {
        return binding.localAddress();
    }

    public CompletionStage<Done> unbind() {
        Tcp.ServerBinding b = binding;
        return b == null ? CompletableFuture.completedFuture(Done.getInstance())
            : b.unbind().thenApply(x -> Done.getInstance());
    }

    private void accept(Tcp.IncomingConnection incoming) {
        InetSocketAddress remote = incoming.remoteAddress();
        Output output = new Output(mat);
        ClientConnection conn = new ClientConnection(ctx, output, remote);
        if (!ctx.connections().open(conn, remote.getAddress(), ctx.config().maxClientCnxns())) {
            log.warn("too many connections from {} - max is {}", remote.getAddress().getHostAddress(),
                ctx.config().maxClientCnxns());
            output.complete();
            incoming.handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), mat);
            return;
        }
        OutstandingLimit limit = ctx.outstanding();
        Sink<ByteString, CompletionStage<Done>> input = Flow.of(ByteString.class)
            .via(new FrameDecoder(ctx.config().maxBuffer()))
            .via(new ReadGate(output))
            .via(new Admit(limit))
            .mapAsync(MAX_OUTSTANDING, frame -> answer(conn, frame, limit))
            .toMat(Sink.ignore(), Keep.right());
        Source<ByteString, NotUsed> replies = output.source().watchTermination((nu, written) -> {
            // the output ends when the connection closes (either side) or fails: requests still
            // waiting for the backlog to drain must not run for a connection that is gone
            written.whenComplete((d, e) -> {
                conn.close();
                output.ended();
            });
            return nu;
        });
        CompletionStage<Done> ended = incoming.handleWith(Flow.fromSinkAndSourceMat(input, replies, Keep.left()), mat);
        ended.whenComplete((done, error) -> {
            if (error != null) {
                log.info("closing {}: {}", remote, error.getMessage());
            }
            conn.close();
        });
    }

    /**
     * Runs an admitted frame; its room in the server's outstanding limit is given back once it is
     * answered, or its connection has ended (ClientConnection completes every stage it returned
     * when it closes).
     */
    private static CompletionStage<Void> answer(ClientConnection conn, Frame frame, OutstandingLimit limit) {
        if (!frame.counts()) {
            return conn.onFrame(frame);
        }
        CompletionStage<Void> done;
        try {
            done = conn.onFrame(frame);
        } catch (RuntimeException | Error e) {
            limit.release(sizeOf(frame));
            throw e;
        }
        done.whenComplete((ok, error) -> limit.release(sizeOf(frame)));
        return done;
    }

    private static int sizeOf(Frame frame) {
        return ((Frame.Packet) frame).bytes().length;
    }

    /**
     * A connection's output queue, bounded in packets and in bytes, that knows how many bytes are
     * waiting in it: the bytes are counted in by {@link #offer} and out when the TCP stage takes a
     * packet.
     */
    static final class Output implements BoundedSourceQueue<ByteString> {
        private final BoundedSourceQueue<ByteString> queue;
        private final Source<ByteString, NotUsed> source;
        private final AtomicLong backlog = new AtomicLong();
        private final java.util.concurrent.atomic.AtomicInteger packets = new java.util.concurrent.atomic.AtomicInteger();
        private final AtomicReference<CompletableFuture<Void>> drained = new AtomicReference<>();
        private volatile boolean ended;

        Output(Materializer mat) {
            Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> q =
                Source.<ByteString>queue(OUTPUT_QUEUE).preMaterialize(mat);
            this.queue = q.first();
            this.source = q.second().map(this::taken);
        }

        Source<ByteString, NotUsed> source() {
            return source;
        }

        @Override
        public QueueOfferResult offer(ByteString bytes) {
            long size = bytes.size();
            long waiting = backlog.addAndGet(size);
            if (waiting > MAX_BACKLOG_BYTES && waiting != size) { // one packet alone always fits
                backlog.addAndGet(-size);
                return QueueOfferResult.dropped();
            }
            packets.incrementAndGet();
            QueueOfferResult r = queue.offer(bytes);
            if (r != QueueOfferResult.enqueued()) {
                backlog.addAndGet(-size);
                packets.decrementAndGet();
            }
            return r;
        }

        private ByteString taken(ByteString bytes) {
            int left = packets.decrementAndGet();
            if (backlog.addAndGet(-bytes.size()) <= RESUME_READING_AT && left <= RESUME_READING_AT_PACKETS) {
                wake();
            }
            return bytes;
        }

        /** The stream wrote or dropped everything: whoever waits for room must not wait forever. */
        void ended() {
            ended = true;
            wake();
        }

        private void wake() {
            CompletableFuture<Void> w = drained.getAndSet(null);
            if (w != null) {
                w.complete(null);
            }
        }

        boolean congested() {
            return (backlog.get() > PAUSE_READING_AT || packets.get() > PAUSE_READING_AT_PACKETS) && !ended;
        }

        /** Completes once the backlog is down to {@link #RESUME_READING_AT} or the output has ended. One waiter at a time. */
        CompletableFuture<Void> whenDrained() {
            CompletableFuture<Void> w = new CompletableFuture<>();
            drained.set(w);
            if (backlog.get() <= RESUME_READING_AT && packets.get() <= RESUME_READING_AT_PACKETS || ended) { // it may have drained before we were registered
                wake();
            }
            return w;
        }

        long backlogBytes() {
            return backlog.get();
        }

        /**
         * Ends the output once what is queued is written. Never throws: the queue refuses
         * (IllegalStateException) once its stream has ended, e.g. when the client reset the
         * connection, and a throwing close would skip the rest of the connection's clean-up.
         */
        @Override
        public void complete() {
            if (!ended) {
                try {
                    queue.complete();
                } catch (IllegalStateException e) {
                    // already ended
                }
            }
        }

        @Override
        public void fail(Throwable ex) {
            if (!ended) {
                try {
                    queue.fail(ex);
                } catch (IllegalStateException e) {
                    // already ended
                }
            }
        }

        @Override
        public int size() {
            return queue.size();
        }

        @Override
        public boolean isCompleted() {
            return queue.isCompleted();
        }
    }

    /** A stage that passes a connection's frames on unchanged, and decides when. */
    abstract static class FrameStage extends GraphStage<FlowShape<Frame, Frame>> {
        final Inlet<Frame> in;
        final Outlet<Frame> out;
        private final FlowShape<Frame, Frame> shape;

        FrameStage(String name) {
            in = Inlet.create(name + ".in");
            out = Outlet.create(name + ".out");
            shape = FlowShape.of(in, out);
        }

        @Override
        public FlowShape<Frame, Frame> shape() {
            return shape;
        }
    }

    /**
     * Passes frames on while the connection's output is not congested; when it is, requests no
     * further frame until the output has drained (or ended). It sits after the framer, before
     * {@link Admit} and {@code mapAsync}, which starts a request the moment it receives its frame.
     */
    static final class ReadGate extends FrameStage {
        private final Output output;

        ReadGate(Output output) {
            super("ReadGate");
            this.output = output;
        }

        @Override
        public GraphStageLogic createLogic(Attributes attrs) {
            return new GraphStageLogic(shape()) {
                private final AsyncCallback<Done> drained = createAsyncCallback(d -> tryPull());

                {
                    setHandler(in, new AbstractInHandler() {
                        @Override
                        public void onPush() {
                            push(out, grab(in));
                        }
                    });
                    setHandler(out, new AbstractOutHandler() {
                        @Override
                        public void onPull() {
                            tryPull();
                        }
                    });
                }

                private void tryPull() {
                    if (!isAvailable(out) || hasBeenPulled(in) || isClosed(in)) {
                        return;
                    }
                    if (output.congested()) {
                        output.whenDrained().thenRun(() -> drained.invoke(Done.getInstance()));
                    } else {
                        pull(in);
                    }
                }
            };
        }
    }

    /**
     * Passes each frame on once the server's {@link OutstandingLimit} admits it (at once for the
     * frames that do not count); meanwhile it holds the frame and reads nothing more from its
     * connection, as ZooKeeper stops reading from connections while it has too many requests
     * outstanding. It sits just before {@code mapAsync}, which starts a request the moment it
     * receives its frame.
     */
    static final class Admit extends FrameStage {
        private final OutstandingLimit limit;

        Admit(OutstandingLimit limit) {
            super("Admit");
            this.limit = limit;
        }

        @Override
        public GraphStageLogic createLogic(Attributes attrs) {
            return new GraphStageLogic(shape()) {
                /** The frame waiting to be admitted, and its place in line. */
                private Frame held;
                private OutstandingLimit.Waiter waiter;
                private final AsyncCallback<Done> admitted = createAsyncCallback(d -> {
                    Frame f = held;
                    held = null;
                    waiter = null;
                    push(out, f);
                });

                {
                    setHandler(in, new AbstractInHandler() {
                        @Override
                        public void onPush() {
                            Frame f = grab(in);
                            if (!f.counts()) {
                                push(out, f);
                                return;
                            }
                            OutstandingLimit.Waiter w = limit.admit(sizeOf(f), () -> admitted.invoke(Done.getInstance()));
                            if (w == null) {
                                push(out, f);
                            } else {
                                held = f;
                                waiter = w;
                            }
                        }
                    });
                    setHandler(out, new AbstractOutHandler() {
                        @Override
                        public void onPull() {
                            pull(in);
                        }
                    });
                }

                @Override
                public void postStop() {
                    // the connection ended while a frame waited: give up its place, or its room if it just got one
                    if (waiter != null && !limit.withdraw(waiter)) {
                        limit.release(sizeOf(held));
                    }
                }
            };
        }
    }
}
