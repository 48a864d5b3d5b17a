package io.paddock.tests.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 500 connections opened at once, in parallel, left in every state a connection can be in
 * (just accepted, half a ConnectRequest, a session, a request in flight, garbage) and then
 * dropped at once, some politely and some with a reset, while the bystander session keeps
 * writing. The server stays up, the bystander notices nothing and loses no acknowledged write,
 * and the server lets go of everything: connections, the storm's sessions, threads.
 */
class ConnectionStormTest {
    private static final int CONNECTIONS = 500;
    /** Long enough for the storm's sessions to outlive its first phase, short enough to watch them expire after. */
    private static final int STORM_SESSION_TIMEOUT = 5000;

    @TempDir
    Path dir;

    @Test
    void fiveHundredConnectionsOpenedAndDroppedAtOnce() throws Exception {
        // no per-address limit here: every storm connection comes from 127.0.0.1
        try (InProcessServer server = InProcessServer.start(dir, Map.of("maxClientCnxns", "0"));
             HealthySession bystander = HealthySession.connect(server.connectString())) {
            int port = server.port();
            bystander.write("before the storm");
            int connectionsBefore = FourLetter.connections(port);
            String sessionsBefore = FourLetter.mntr(port).get("zk_global_sessions");
            int threadsBefore = liveThreads();

            AtomicBoolean storming = new AtomicBoolean(true);
            AtomicReference<Throwable> bystanderFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    while (storming.get()) {
                        bystander.write("during the storm");
                    }
                } catch (Throwable t) {
                    bystanderFailure.set(t);
                }
            }, "bystander-writer");
            writer.start();

            ExecutorService pool = Executors.newFixedThreadPool(100);
            RawClient[] clients = new RawClient[CONNECTIONS];
            try {
                List<Future<?>> opened = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    int n = i;
                    opened.add(pool.submit(() -> {
                        clients[n] = RawClient.open(port);
                        misbehave(clients[n], n);
                        return null;
                    }));
                }
                long t0 = System.nanoTime();
                for (Future<?> f : opened) {
                    f.get(60, TimeUnit.SECONDS);
                }
                System.out.printf("storm: %d connections opened in %d ms%n", CONNECTIONS, (System.nanoTime() - t0) / 1_000_000);
                // all 500 are open on the server at the same time
                Await.until(Duration.ofSeconds(20), "the server to hold all " + CONNECTIONS + " connections",
                    () -> FourLetter.connections(port) >= connectionsBefore + CONNECTIONS);
                bystander.assertHealthy("500 connections opened");

                List<Future<?>> dropped = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    RawClient c = clients[i];
                    boolean reset = i % 2 == 0;
                    dropped.add(pool.submit(() -> {
                        if (reset) {
                            c.socket().setSoLinger(true, 0); // RST instead of FIN
                        }
                        c.close();
                        return null;
                    }));
                }
                for (Future<?> f : dropped) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                for (RawClient c : clients) {
                    if (c != null) {
                        c.close();
                    }
                }
                pool.shutdownNow();
                storming.set(false);
                writer.join(30_000);
            }
            assertThat(bystanderFailure.get()).as("a bystander write failed during the storm").isNull();
            assertThat(bystander.acknowledgedCount()).as("bystander writes acknowledged during the storm").isGreaterThan(1);

            assertThat(FourLetter.ask(port, "ruok")).isEqualTo("imok");
            bystander.assertHealthy("500 connections dropped");
            Await.until(Duration.ofSeconds(10), "srvr's Connections: back to " + connectionsBefore,
                () -> FourLetter.connections(port) == connectionsBefore);
            // the storm's sessions were abandoned: they expire after their timeout
            Await.until(Duration.ofSeconds(15), "the storm's sessions to expire",
                () -> sessionsBefore.equals(FourLetter.mntr(port).get("zk_global_sessions")));
            Await.until(Duration.ofSeconds(10), "no threads left over from the storm (before: " + threadsBefore + ")",
                () -> liveThreads() <= threadsBefore + 2);
            bystander.assertHealthy("the storm's sessions expired");
        }
    }

    /** Live threads, without the JIT compiler's (the JVM adds and removes those with the load). */
    private static int liveThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && !t.getName().contains("CompilerThread")).count();
    }

    /** What storm connection {@code n} does before it is dropped: every state a connection can be in. */
    private static void misbehave(RawClient c, int n) throws Exception {
        switch (n % 5) {
            case 0:
                break; // accepted, nothing sent
            case 1: {
                byte[] connect = RawClient.frame(c.connectPayload(0, STORM_SESSION_TIMEOUT, 0, null, true));
                c.sendRaw(Arrays.copyOf(connect, connect.length / 2)); // mid-handshake
                break;
            }
            case 2:
                c.sendFrame(c.connectPayload(0, STORM_SESSION_TIMEOUT, 0, null, true));
                assertThat(c.readFrame()).as("ConnectResponse for storm connection %d", n).isNotNull();
                break;
            case 3:
                c.sendFrame(c.connectPayload(0, STORM_SESSION_TIMEOUT, 0, null, true));
                assertThat(c.readFrame()).isNotNull();
                c.sendRequest(1, OpCode.GET_DATA, new GetDataRequest("/healthy", false)); // its reply is never read
                break;
            default:
                c.sendRaw(new byte[] {0, 0, 0, 9, 1, 2}); // a frame that never completes
                break;
        }
    }
}
