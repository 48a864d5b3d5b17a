package io.paddock.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.client.examples.EventsExample;
import io.paddock.client.examples.FacadeExample;
import io.paddock.client.examples.Member;
import io.paddock.client.examples.OpsExample;
import io.paddock.client.examples.RecipesExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples in README.md and docs/client.md are these classes (package
 * {@code io.paddock.client.examples}), word for word, and each runs against Apache ZooKeeper
 * 3.9.5 and prints what the docs say it prints. A doc example that no longer compiles or
 * runs fails here.
 */
class DocExamplesTest {
    private static final Path EXAMPLES = Path.of("src/test/java/io/paddock/client/examples");

    @TempDir
    Path dir;

    @Test
    void everyExampleIsInTheDocsWordForWord() throws IOException {
        String docs = Files.readString(Path.of("../README.md")) + Files.readString(Path.of("../docs/client.md"));
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.toList()) {
                String source = Files.readString(file).replaceFirst("package [\\w.]+;\\n\\n", "");
                assertThat(docs).as("the docs show %s as it is", file.getFileName()).contains("```java\n" + source + "```");
            }
        }
    }

    @Test
    void theFacadeExample() throws Exception {
        String out = printed(server -> FacadeExample.main(new String[] {server}));
        assertThat(out).contains("now at version 1")
            .containsPattern("watch: WatchEvent\\[type=NODE_DATA_CHANGED, path=/greeting, zxid=\\d+]");
    }

    @Test
    void theOpsExample() throws Exception {
        String out = printed(server -> OpsExample.main(new String[] {server}));
        assertThat(out).contains("committed true", "ChildrenRead[children=[w-0000000000]], Error[code=NONODE]",
            "[/workers/w-0000000000]\n3\n");
    }

    @Test
    void theEventsExample() throws Exception {
        String out = printed(server -> EventsExample.main(new String[] {server}));
        assertThat(out).containsPattern("once WatchEvent\\[type=NODE_DATA_CHANGED, path=/app,")
            .containsPattern("tree WatchEvent\\[type=NODE_DATA_CHANGED, path=/app,")
            .containsPattern("tree WatchEvent\\[type=NODE_CREATED, path=/app/job,")
            .contains("session CLOSED\n");
    }

    @Test
    void theRecipesExample() throws Exception {
        String out = printed(server -> RecipesExample.main(new String[] {server}));
        assertThat(out).containsSubsequence("holding the lock\n", "leading\n", "not leading\n"); // the client logs to stdout too
    }

    @Test
    void theActorExampleTwoMembersSeeEachOther() throws Exception {
        ActorTestKit kit = ActorTestKit.create();
        try {
            String out = printed(server -> {
                kit.spawn(Member.create(server, "alice"));
                kit.spawn(Member.create(server, "bob"));
                Pattern alice = Pattern.compile("alice: members \\[(alice, bob|bob, alice)]");
                Pattern bob = Pattern.compile("bob: members \\[(alice, bob|bob, alice)]");
                Await.until("each member prints both",
                    () -> alice.matcher(printedSoFar()).find() && bob.matcher(printedSoFar()).find());
            });
            assertThat(out).containsPattern("alice: members \\[(alice, bob|bob, alice)]")
                .containsPattern("bob: members \\[(alice, bob|bob, alice)]");
        } finally {
            kit.shutdownTestKit();
        }
    }

    // ---- running an example with System.out captured

    private interface Example {
        void run(String connectString) throws Exception;
    }

    private static ByteArrayOutputStream captured;

    private static synchronized String printedSoFar() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Runs {@code example} against a fresh server and returns what it printed. */
    private String printed(Example example) throws Exception {
        PrintStream original = System.out;
        captured = new ByteArrayOutputStream();
        try (ReferenceServer server = ReferenceServer.start(dir)) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            example.run(server.connectString());
            return printedSoFar();
        } finally {
            System.setOut(original);
        }
    }
}
