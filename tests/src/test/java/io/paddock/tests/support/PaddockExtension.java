package io.paddock.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Paddock server for a test class, started before its {@code @BeforeAll}
 * methods and stopped after the class, with every client it handed out closed first.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final PaddockExtension paddock = PaddockExtension.withConfig(Map.of("extendedTypesEnabled", "true"));
 * </pre>
 */
public final class PaddockExtension implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> config;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private Path dir;
    private InProcessServer server;

    private PaddockExtension(Map<String, String> config) {
        this.config = config;
    }

    public static PaddockExtension standalone() {
        return new PaddockExtension(Map.of());
    }

    /** A server whose zoo.cfg has these keys on top of the test defaults. */
    public static PaddockExtension withConfig(Map<String, String> config) {
        return new PaddockExtension(config);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("paddock-" + context.getRequiredTestClass().getSimpleName());
        server = InProcessServer.start(dir, config);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            for (int i = clients.size() - 1; i >= 0; i--) {
                clients.get(i).close();
            }
        } finally {
            clients.clear();
            server.close();
            deleteRecursively(dir);
        }
    }

    public InProcessServer server() {
        return server;
    }

    public String connectString() {
        return server.connectString();
    }

    /** A connected official ZooKeeper client, closed after the class. */
    public ZooKeeper newClient() throws IOException, InterruptedException {
        return closeAfterAll(ZkClients.connect(server.connectString()));
    }

    /** Closes {@code resource} after the class, before the server stops. */
    public <T extends AutoCloseable> T closeAfterAll(T resource) {
        clients.add(resource);
        return resource;
    }

    /** Deletes {@code dir} and everything in it. */
    public static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
