package io.paddock.client;

import static io.paddock.client.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.CreateMode;
import io.paddock.protocol.data.Acl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the facade's tests share: Apache ZooKeeper 3.9.5 for the class, and per test a connected
 * {@code client} and a fresh node {@code root} named after the test.
 */
abstract class FacadeTestBase {
    static final byte[] NO_DATA = new byte[0];
    static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path dataDir;
    static ReferenceServer server;
    static ActorTestKit testKit;

    ZkClient client;
    String root;

    @BeforeAll
    static void startServer() throws Exception {
        server = ReferenceServer.start(dataDir);
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stopServer() {
        testKit.shutdownTestKit();
        server.close();
    }

    @BeforeEach
    void connectClient(TestInfo test) throws Exception {
        client = connect(server.connectString());
        root = "/" + test.getTestMethod().orElseThrow().getName();
        result(client.create(root, NO_DATA, OPEN, CreateMode.PERSISTENT));
    }

    @AfterEach
    void closeClient() throws Exception {
        result(client.close());
    }

    static ZkClient connect(String connectString) throws Exception {
        return result(ZkClient.connect(testKit.system(), connectString, TIMEOUT));
    }

    /** The next item, waiting at most 10 s for it. */
    static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T item = queue.poll(10, TimeUnit.SECONDS);
        assertThat(item).as("an event within 10 s").isNotNull();
        return item;
    }
}
