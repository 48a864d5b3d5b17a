package io.paddock.client;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.protocol.proto.ReplyHeader;
import io.paddock.protocol.proto.RequestHeader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * A server the test scripts frame by frame, to produce what a real server never sends: replies
 * out of order, oversized frames, silence. Every blocking call gives up after 10 s.
 */
final class FakeServer implements AutoCloseable {
    private static final int TIMEOUT_MS = 10_000;

    private final ServerSocket listener;

    private FakeServer(ServerSocket listener) {
        this.listener = listener;
    }

    static FakeServer start() throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(TIMEOUT_MS);
        return new FakeServer(listener);
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Waits for the client's next connection. */
    Peer accept() throws IOException {
        Socket socket = listener.accept();
        socket.setSoTimeout(TIMEOUT_MS);
        return new Peer(socket);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    /** A request's header and its path (null for a request without a body). */
    record Request(RequestHeader header, String path) {
    }

    /** A client and the server's side of its connection. */
    record Connected(ZkClient zk, Peer peer) {
    }

    /** A client with a session of id {@code session} (10 s) on this server, with default settings otherwise. */
    Connected connect(ActorTestKit testKit, long session, byte[] password) throws Exception {
        return connect(testKit, ZkClientSettings.create(testKit.system()).withSessionTimeout(Duration.ofSeconds(10)),
            session, password);
    }

    /** A client with a session of id {@code session} on this server. */
    Connected connect(ActorTestKit testKit, ZkClientSettings settings, long session, byte[] password) throws Exception {
        CompletableFuture<ZkClient> connecting = ZkClient.connect(testKit.system(), connectString(), settings)
            .toCompletableFuture();
        Peer peer = accept();
        peer.readConnectRequest();
        peer.acceptSession(10_000, session, password);
        return new Connected(connecting.get(TIMEOUT_MS, TimeUnit.MILLISECONDS), peer);
    }

    /** One client connection, seen from the server. */

    static final class Peer implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        private Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        ConnectRequest readConnectRequest() throws IOException {
            return ConnectRequest.read(new JuteInput(readFrame()));
        }

        /** Answers the handshake; the client sent the readOnly byte, so it comes back. */
        void acceptSession(int timeoutMs, long sessionId, byte[] password) throws IOException {
            send(new ConnectResponse(0, timeoutMs, sessionId, password, false, true));
        }

        /** The header of the next request; its body is skipped. */
        RequestHeader readRequest() throws IOException {
            return RequestHeader.read(new JuteInput(readFrame()));
        }

        /** The next request's header and the first string of its body: the path, for a request that has one. */
        Request readRequestAndPath() throws IOException {
            JuteInput in = new JuteInput(readFrame());
            return new Request(RequestHeader.read(in), in.remaining() == 0 ? null : in.readString());
        }

        /**
         * The next request that is not a ping; pings are answered, so the client keeps the connection.
         * A client that sends nothing else pings for ever, so the wait is bounded here too, as a read
         * with nothing coming is by the socket's timeout.
         */
        Request nextRequest() throws IOException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (System.nanoTime() < deadline) {
                Request r = readRequestAndPath();
                if (r.header().type() != OpCode.PING) {
                    return r;
                }
                send(new ReplyHeader(r.header().xid(), 0, 0));
            }
            throw new SocketTimeoutException("only pings for " + TIMEOUT_MS + " ms");
        }

        /** Sends the records as one frame. */
        void send(JuteRecord... records) throws IOException {
            JuteOutput body = new JuteOutput();
            for (JuteRecord r : records) {
                r.write(body);
            }
            out.writeInt(body.size());
            out.write(body.array(), 0, body.size());
            out.flush();
        }

        /** Sends a bare length prefix, with no payload behind it. */
        void sendLength(int length) throws IOException {
            out.writeInt(length);
            out.flush();
        }

        /** True once the client has closed the connection (read sees its end). */
        boolean closedByClient() throws IOException {
            try {
                while (true) {
                    readFrame(); // whatever was still on its way
                }
            } catch (EOFException e) {
                return true;
            } catch (java.net.SocketException e) { // a reset is a close too
                return true;
            }
        }

        private byte[] readFrame() throws IOException {
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            return frame;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
