package io.paddock.tests.support;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.ConnectRequest;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.protocol.proto.ReplyHeader;
import io.paddock.protocol.proto.RequestHeader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A hand-driven ZooKeeper client over a plain loopback socket, for sending what no real client
 * would: broken frames, impossible lengths, unknown opcodes. Every read has a timeout, so a test
 * never hangs on a server that neither answers nor closes.
 */
public final class RawClient implements AutoCloseable {
    /** Long enough for a slow machine: a test that passes never waits for it. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static RawClient open(int port) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout((int) READ_TIMEOUT.toMillis());
            s.setTcpNoDelay(true);
            return new RawClient(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
            throw new UncheckedIOException(e);
        }
    }

    public Socket socket() {
        return socket;
    }

    /** Writes bytes as they are; false when the server has already closed the connection. */
    public boolean sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static byte[] frame(byte[] payload) {
        JuteOutput o = new JuteOutput(payload.length + 4);
        o.writeInt(payload.length);
        byte[] framed = o.toByteArray();
        byte[] all = new byte[4 + payload.length];
        System.arraycopy(framed, 0, all, 0, 4);
        System.arraycopy(payload, 0, all, 4, payload.length);
        return all;
    }

    public static byte[] encode(JuteRecord... records) {
        JuteOutput o = new JuteOutput();
        for (JuteRecord r : records) {
            r.write(o);
        }
        return o.toByteArray();
    }

    public boolean sendFrame(byte[] payload) {
        return sendRaw(frame(payload));
    }

    public boolean sendRequest(int xid, int op, JuteRecord body) {
        return body == null ? sendFrame(encode(new RequestHeader(xid, op)))
            : sendFrame(encode(new RequestHeader(xid, op), body));
    }

    /** The next packet's payload; null when the server closed the connection (FIN or reset). */
    public byte[] readFrame() throws IOException {
        try {
            int len = in.readInt();
            byte[] b = new byte[len];
            in.readFully(b);
            return b;
        } catch (EOFException | SocketException e) {
            return null;
        }
    }

    /** Reads until the server closes; returns what came before the close. Fails if it never closes. */
    public byte[] readUntilClosed() throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            while (true) {
                int n = in.read(b);
                if (n < 0) {
                    return got.toByteArray();
                }
                got.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither closed the connection nor sent anything more within "
                + READ_TIMEOUT + " (got " + got.size() + " bytes)", e);
        } catch (SocketException e) {
            return got.toByteArray(); // connection reset: closed, too
        }
    }

    /** A fresh session (sessionId 0) or a resumed one; readOnly byte only when {@code withReadOnly}. */
    public byte[] connectPayload(long lastZxidSeen, int timeout, long sessionId, byte[] passwd, boolean withReadOnly) {
        return encode(new ConnectRequest(0, lastZxidSeen, timeout, sessionId, passwd == null ? new byte[16] : passwd,
            false, withReadOnly));
    }

    /** Connects a new session and returns the response (fails if the server closes instead). */
    public ConnectResponse connect() throws IOException {
        return connect(0, 0, null, true);
    }

    /** Connects a new session; null if the server closes the connection instead (it is not serving). */
    public ConnectResponse tryConnect() throws IOException {
        return tryConnect(0, 0, null, true);
    }

    public ConnectResponse connect(long lastZxidSeen, long sessionId, byte[] passwd, boolean withReadOnly) throws IOException {
        ConnectResponse rsp = tryConnect(lastZxidSeen, sessionId, passwd, withReadOnly);
        if (rsp == null) {
            throw new AssertionError("the server closed the connection instead of answering the ConnectRequest");
        }
        return rsp;
    }

    private ConnectResponse tryConnect(long lastZxidSeen, long sessionId, byte[] passwd, boolean withReadOnly)
        throws IOException {
        sendFrame(connectPayload(lastZxidSeen, 10_000, sessionId, passwd, withReadOnly));
        byte[] rsp = readFrame();
        return rsp == null ? null : ConnectResponse.read(new JuteInput(rsp));
    }

    public record Reply(ReplyHeader header, JuteInput body) {
        public int err() {
            return header.err();
        }
    }

    /** Sends a request and returns the next reply that is not a watch event; null if the server closed. */
    public Reply call(int xid, int op, JuteRecord body) throws IOException {
        sendRequest(xid, op, body);
        return nextReply();
    }

    public Reply nextReply() throws IOException {
        while (true) {
            byte[] f = readFrame();
            if (f == null) {
                return null;
            }
            JuteInput i = new JuteInput(f);
            ReplyHeader h = ReplyHeader.read(i);
            if (h.xid() != -1) {
                return new Reply(h, i);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

}
