package io.paddock.node.cnxn;

import io.paddock.node.server.ServerContext;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client port: ZooKeeper's wire protocol over Pekko Streams TCP. Each connection is one
 * stream: framer, then {@link ClientConnection#onFrame} with at most {@code maxOutstanding}
 * requests open (the socket is not read while that many are pending), and one bounded queue
 * for everything sent back.
 */
public final class ClientPort {
    private static final Logger log = LoggerFactory.getLogger(ClientPort.class);
    /** Requests one connection may have open at once, as ZooKeeper's default globalOutstandingLimit. */
    static final int MAX_OUTSTANDING = 1000;
    /** Replies and events waiting to be written to one connection before it counts as stuck. */
    static final int OUTPUT_QUEUE = 16384;

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
        return b == null ? java.util.concurrent.CompletableFuture.completedFuture(Done.getInstance())
            : b.unbind().thenApply(x -> Done.getInstance());
    }

    private void accept(Tcp.IncomingConnection incoming) {
        InetSocketAddress remote = incoming.remoteAddress();
        Pair<BoundedSourceQueue<ByteString>, Source<ByteString, org.apache.pekko.NotUsed>> output =
            Source.<ByteString>queue(OUTPUT_QUEUE).preMaterialize(mat);
        ClientConnection conn = new ClientConnection(ctx, output.first(), remote);
        if (!ctx.connections().open(conn, remote.getAddress(), ctx.config().maxClientCnxns())) {
            log.warn("too many connections from {} - max is {}", remote.getAddress().getHostAddress(),
                ctx.config().maxClientCnxns());
            output.first().complete();
            incoming.handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), mat);
            return;
        }
        Sink<ByteString, CompletionStage<Done>> input = Flow.of(ByteString.class)
            .via(new FrameDecoder(ctx.config().maxBuffer()))
            .mapAsync(MAX_OUTSTANDING, conn::onFrame)
            .toMat(Sink.ignore(), Keep.right());
        CompletionStage<Done> ended = incoming.handleWith(Flow.fromSinkAndSourceMat(input, output.second(), Keep.left()), mat);
        ended.whenComplete((done, error) -> {
            if (error != null) {
                log.info("closing {}: {}", remote, error.getMessage());
            }
            conn.close();
        });
    }
}
