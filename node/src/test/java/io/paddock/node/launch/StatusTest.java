package io.paddock.node.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.config.ConfigLoader;
import io.paddock.config.NodeConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paddock status} against stand-ins that answer as a node's admin port and client port
 * do: what it prints and its exit code (0 serving, 1 running but not serving, 3 not running).
 * DistributionTest runs it against real nodes.
 */
class StatusTest {
    @TempDir
    Path dir;

    private NodeConfig config(boolean admin, int clientPort, int adminPort) throws IOException {
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, "tickTime=2000\ndataDir=" + dir.resolve("data") + "\nclientPort=" + clientPort
            + "\nclientPortAddress=127.0.0.1\nadmin.enableServer=" + admin + "\nadmin.serverPort=" + adminPort + "\n");
        return ConfigLoader.load(cfg);
    }

    /** Answers one connection with {@code reply} once it has read {@code request}'s length, then closes it. */
    private static Thread answerOnce(ServerSocket server, int requestLength, String reply) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().readNBytes(requestLength);
                s.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the test's assertions say what went wrong
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private record Run(int exitCode, String output) {
    }

    private static Run status(NodeConfig cfg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Status.run(cfg, new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void srvrOnTheClientPortWithoutAnAdminPort() throws Exception {
        try (ServerSocket client = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            answerOnce(client, 4, "Zookeeper version: 3.9.5-paddock\nZxid: 0x100000007\nMode: follower\nNode count: 5\n");
            Run r = status(config(false, client.getLocalPort(), 1));
            assertThat(r.exitCode()).as(r.output()).isEqualTo(Status.SERVING);
            assertThat(r.output()).contains("Client port found: " + client.getLocalPort() + ". Client address: 127.0.0.1.",
                "Mode: follower", "Zxid: 0x100000007").doesNotContain("Leader:");
        }
    }

    @Test
    void theAdminPortNamesTheLeaderAndSaysWhenTheNodeDoesNotServe() throws Exception {
        try (ServerSocket admin = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String json = "{\"serverId\":2,\"role\":\"looking\",\"leader\":3,\"serving\":false,\"lastCommittedZxid\":\"0x100000004\"}";
            String request = "GET /paddock/status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
            answerOnce(admin, request.length(), "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + json.length() + "\r\n\r\n" + json);
            Run r = status(config(true, 1, admin.getLocalPort()));
            assertThat(r.exitCode()).as(r.output()).isEqualTo(Status.NOT_SERVING);
            assertThat(r.output()).contains("Mode: looking", "Leader: 3", "Zxid: 0x100000004", "Not serving clients yet.");
        }
    }

    @Test
    void nothingAnswers() throws Exception {
        int clientPort;
        int adminPort;
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            clientPort = a.getLocalPort();
            adminPort = b.getLocalPort();
        }
        NodeConfig cfg = config(true, clientPort, adminPort);
        Run down = status(cfg);
        assertThat(down.exitCode()).as(down.output()).isEqualTo(Status.NOT_RUNNING);
        assertThat(down.output()).contains("Error contacting service. It is probably not running.");

        // a live process in the pid file (this JVM): it runs, but does not answer yet
        Files.createDirectories(cfg.dataDir());
        Files.writeString(cfg.dataDir().resolve(PidFile.NAME), ProcessHandle.current().pid() + "\n");
        Run starting = status(cfg);
        assertThat(starting.exitCode()).as(starting.output()).isEqualTo(Status.NOT_SERVING);
        assertThat(starting.output()).contains("Process " + ProcessHandle.current().pid() + " runs");
    }
}
