package io.paddock.node.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paddock.config.NodeConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * {@code paddock status CONFIG}: asks the node the config describes what it is doing, as
 * ZooKeeper's {@code zkServer.sh status} does, and prints its mode, leader and zxid. The admin
 * port's {@code /paddock/status} answers also while the node does not serve (looking, syncing)
 * and names the leader; without an admin port, {@code srvr} on the client port answers once it serves.
 *
 * <p>Exit codes, as an LSB init script's status: 0 while the node serves clients, 1 when its
 * process runs but it does not serve (or does not answer), 3 when it does not run.
 */
public final class Status {
    public static final int SERVING = 0;
    public static final int NOT_SERVING = 1;
    public static final int NOT_RUNNING = 3;

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private Status() {
    }

    /** One node's answer: its mode (srvr's word), the leader's id if known, its last zxid in hex. */
    record Answer(String mode, OptionalLong leader, String zxid, boolean serving) {
    }

    public static int run(NodeConfig cfg, PrintStream out) {
        out.println("Using config: " + cfg.sourceFile());
        InetSocketAddress client = reachable(cfg.clientAddress());
        out.println("Client port found: " + client.getPort() + ". Client address: " + client.getHostString() + ".");
        OptionalLong pid = PidFile.runningPid(cfg.dataDir());
        Answer answer = ask(cfg, client);
        if (answer == null) {
            if (pid.isPresent()) {
                out.println("Process " + pid.getAsLong() + " runs, but neither its admin port nor its client port answers: it is"
                    + " starting or waits for a quorum (see its log).");
                return NOT_SERVING;
            }
            out.println("Error contacting service. It is probably not running.");
            return NOT_RUNNING;
        }
        out.println("Mode: " + answer.mode());
        answer.leader().ifPresent(id -> out.println("Leader: " + id));
        out.println("Zxid: " + answer.zxid());
        if (!answer.serving()) {
            out.println("Not serving clients yet.");
            return NOT_SERVING;
        }
        return SERVING;
    }

    /** The admin port first (it answers while the node does not serve), else srvr; null when neither answers. */
    private static Answer ask(NodeConfig cfg, InetSocketAddress client) {
        if (cfg.adminEnableServer()) {
            Answer a = askAdmin(reachable(new InetSocketAddress(cfg.adminServerAddress(), cfg.adminServerPort())));
            if (a != null) {
                return a;
            }
        }
        return askSrvr(client);
    }

    /**
     * GET /paddock/status over a plain socket: java.net.http's client would first load the JVM's
     * TLS set-up (its default SSLContext), which costs more than the rest of this command.
     */
    private static Answer askAdmin(InetSocketAddress admin) {
        String reply = exchange(admin, "GET /paddock/status HTTP/1.0\r\nHost: " + admin.getHostString() + "\r\n\r\n");
        int body = reply == null ? -1 : reply.indexOf("\r\n\r\n");
        if (body < 0 || !reply.startsWith("HTTP/1.1 200") && !reply.startsWith("HTTP/1.0 200")) {
            return null;
        }
        try {
            JsonNode s = new ObjectMapper().readTree(reply.substring(body + 4));
            JsonNode leader = s.path("leader");
            return new Answer(s.path("role").asText(), leader.isNumber() ? OptionalLong.of(leader.asLong()) : OptionalLong.empty(),
                s.path("lastCommittedZxid").asText(), s.path("serving").asBoolean());
        } catch (IOException e) {
            return null;
        }
    }

    /** srvr answers only while the node serves ("This ZooKeeper instance is not currently serving requests" else). */
    private static Answer askSrvr(InetSocketAddress client) {
        String reply = exchange(client, "srvr");
        String mode = reply == null ? null : field(reply, "Mode: ");
        return mode == null ? null : new Answer(mode, OptionalLong.empty(), field(reply, "Zxid: "), true);
    }

    /**
     * Sends the request, then reads until the node closes, which it does after one answer to HTTP/1.0
     * and to a four-letter word; null when it cannot be reached or does not answer in time.
     */
    private static String exchange(InetSocketAddress to, String request) {
        try (Socket s = new Socket()) {
            s.connect(to, (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readAll(s.getInputStream());
        } catch (IOException e) {
            return null;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String field(String reply, String prefix) {
        return reply.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst().orElse(null);
    }

    /** Where a client on this host reaches a node's port: a wildcard address on loopback. */
    public static InetSocketAddress reachable(InetSocketAddress bound) {
        return bound.getAddress() != null && bound.getAddress().isAnyLocalAddress()
            ? new InetSocketAddress("127.0.0.1", bound.getPort()) : bound;
    }
}
