package io.paddock.client;

import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.RequestHeader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * One TCP connection to one server, as a Pekko Streams graph: a bounded queue of outgoing
 * frames, the TCP flow, a {@link FrameDecoder}, and a sink that tells each incoming frame to the
 * session. Events carry the connection's id so that the session can ignore a connection it has
 * already given up.
 */
final class Connection {
    /** What a connection tells its session. */
    sealed interface Event {
        int id();
    }

    /** One frame's payload (without the length prefix). */
    record FrameReceived(int id, byte[] payload) implements Event {
    }

    /** The connection is gone: closed by the server ({@code cause} null) or failed. */
    record Closed(int id, Throwable cause) implements Event {
    }

    /**
     * Frames that may wait in the stream before TCP takes them beyond the max-in-flight requests
     * the session keeps outstanding: room for pings, auth and setWatches packets.
     */
    private static final int OUTBOX_SPARE = 1024;

    private final int id;
    private final InetSocketAddress server;
    private final BoundedSourceQueue<ByteString> outbox;
    /**
     * Set once the session dropped the connection: the stream's last frames and its Closed would
     * only be noise to the session, or dead letters once it has stopped.
     */
    private final AtomicBoolean aborted;

    private Connection(int id, InetSocketAddress server, BoundedSourceQueue<ByteString> outbox, AtomicBoolean aborted) {
        this.id = id;
        this.server = server;
        this.outbox = outbox;
        this.aborted = aborted;
    }

    static Connection open(int id, InetSocketAddress server, ZkClientSettings settings, ActorRef<Event> events,
                           ClassicActorSystemProvider system, Materializer materializer) {
        FrameDecoder decoder = new FrameDecoder(FrameDecoder.maxFrame(settings.juteMaxBuffer()));
        AtomicBoolean aborted = new AtomicBoolean();
        Pair<BoundedSourceQueue<ByteString>, CompletionStage<Done>> graph =
            Source.<ByteString>queue(settings.maxInFlight() + OUTBOX_SPARE)
                .via(Tcp.get(system).outgoingConnection(server, Optional.empty(), List.of(), true, Optional.empty(),
                    Optional.empty()))
                .mapConcat(chunk -> decoder.feed(chunk.toArray()))
                .toMat(Sink.foreach(payload -> {
                    if (!aborted.get()) {
                        events.tell(new FrameReceived(id, payload));
                    }
                }), Keep.both())
                .run(materializer);
        graph.second().whenComplete((done, failure) -> {
            if (!aborted.get()) {
                events.tell(new Closed(id, failure));
            }
        });
        return new Connection(id, server, graph.first(), aborted);
    }

    int id() {
        return id;
    }

    InetSocketAddress server() {
        return server;
    }

    /** Queues a request frame made by {@link #frame}; false when the connection can take no more. */
    boolean send(JuteOutput frame) {
        return offer(frame);
    }

    /**
     * A request's frame, encoded before anything is sent: a caller's argument that cannot be
     * encoded (a null in an ACL list) throws here.
     */
    static JuteOutput frame(int xid, int opCode, JuteRecord body) {
        JuteOutput out = new JuteOutput();
        out.writeInt(0); // the length, known at the end
        new RequestHeader(xid, opCode).write(out);
        if (body != null) {
            body.write(out);
        }
        return out;
    }

    /** Queues the ConnectRequest, the one frame that has no RequestHeader (a new queue always has room). */
    void sendConnect(JuteRecord connectRequest) {
        JuteOutput out = new JuteOutput();
        out.writeInt(0);
        connectRequest.write(out);
        offer(out);
    }

    private boolean offer(JuteOutput framed) {
        framed.setInt(0, framed.size() - 4);
        return outbox.offer(ByteString.fromArrayUnsafe(framed.array(), 0, framed.size())) == QueueOfferResult.enqueued();
    }

    /** Drops the connection at once; failing the outgoing side makes the TCP stage abort the socket. */
    void abort() {
        aborted.set(true);
        try {
            outbox.fail(new IOException("connection dropped by the client"));
        } catch (IllegalStateException alreadyEnded) {
            // the stream ended on its own (the server closed, or TCP failed): nothing to abort
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " to " + server.getHostString() + ":" + server.getPort();
    }
}
