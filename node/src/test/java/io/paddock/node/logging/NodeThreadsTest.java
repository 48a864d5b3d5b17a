package io.paddock.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.BootstrapSetup;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.dispatch.ExecutionContexts;
import org.apache.pekko.event.Logging;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line names the node whose thread logs it: on a caller's thread while it works for a node,
 * and on every kind of thread a node's ActorSystem runs (its dispatchers, the blocking one, the
 * scheduler) for static loggers and for Pekko's own logging alike; two nodes in one JVM give two
 * ids. Nothing here sets the process-wide id, so a thread of no node says "".
 */
class NodeThreadsTest {
    private static final Logger log = LoggerFactory.getLogger(NodeThreadsTest.class);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void aCallersThreadNamesTheNodeItWorksForUntilTheScopeEnds() throws Exception {
        ClassLoader one = NodeThreads.classLoader(1);
        ClassLoader two = NodeThreads.classLoader(2);
        try (LogLines lines = LogLines.capture()) {
            Thread a = new Thread(() -> logAs(one, "a caller working for node 1"));
            Thread b = new Thread(() -> logAs(two, "a caller working for node 2"));
            a.start();
            b.start();
            a.join();
            b.join();
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            logAs(two, "this thread working for node 2");
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
            log.info("this thread again, working for no node");

            assertThat(lines.await("a caller working for node 1", PATIENCE).myid()).isEqualTo("1");
            assertThat(lines.await("a caller working for node 2", PATIENCE).myid()).isEqualTo("2");
            assertThat(lines.await("this thread working for node 2", PATIENCE).myid()).isEqualTo("2");
            assertThat(lines.await("this thread again, working for no node", PATIENCE).myid()).isEmpty();
        }
    }

    private static void logAs(ClassLoader node, String message) {
        try (NodeThreads.Scope working = NodeThreads.workFor(node)) {
            log.info(message);
        }
    }

    @Test
    void theClassLoaderLoadsWhatItsParentLoads() throws Exception {
        ClassLoader node = NodeThreads.classLoader(4);
        ClassLoader parent = Thread.currentThread().getContextClassLoader();
        assertThat(node.getParent()).isSameAs(parent);
        assertThat(Class.forName(NodeThreadsTest.class.getName(), false, node)).isSameAs(NodeThreadsTest.class);
        assertThat(node.getResource("reference.conf")).isEqualTo(parent.getResource("reference.conf"));
        // a node started from another node's thread gets the same parent, not a chain
        try (NodeThreads.Scope working = NodeThreads.workFor(node)) {
            assertThat(NodeThreads.classLoader(5).getParent()).isSameAs(parent);
        }
    }

    @Test
    void everyThreadOfTwoActorSystemsNamesItsNode() throws Exception {
        // Pekko's own lines go through its event stream to the Slf4jLogger actor, as on a node
        Config config = ConfigFactory.parseString("pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]\n"
            + "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"\n").withFallback(ConfigFactory.load());
        try (LogLines lines = LogLines.capture()) {
            List<ActorSystem<String>> systems = List.of(system(1, config), system(2, config));
            try {
                for (ActorSystem<String> system : systems) {
                    String id = system.settings().config().getString("test.node");
                    system.tell("an actor of node " + id);
                    // run where it is called: on the scheduler's own thread
                    system.scheduler().scheduleOnce(Duration.ofMillis(1), () -> log.info("the scheduler of node " + id),
                        ExecutionContexts.fromExecutor(Runnable::run));
                    CompletableFuture.runAsync(() -> log.info("the blocking dispatcher of node " + id),
                        system.dispatchers().lookup(DispatcherSelector.blocking())).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    Logging.getLogger(system.classicSystem(), "pekko-event-stream").info("Pekko's logging of node " + id);
                }
                for (String id : List.of("1", "2")) {
                    assertThat(lines.await("an actor of node " + id, PATIENCE).myid()).isEqualTo(id);
                    LogLines.Line scheduler = lines.await("the scheduler of node " + id, PATIENCE);
                    assertThat(scheduler.thread()).contains("scheduler");
                    assertThat(scheduler.myid()).isEqualTo(id);
                    LogLines.Line blocking = lines.await("the blocking dispatcher of node " + id, PATIENCE);
                    assertThat(blocking.thread()).contains("blocking");
                    assertThat(blocking.myid()).isEqualTo(id);
                    LogLines.Line pekko = lines.await("Pekko's logging of node " + id, PATIENCE);
                    assertThat(pekko.logger()).isEqualTo("pekko-event-stream");
                    assertThat(pekko.myid()).isEqualTo(id);
                }
            } finally {
                for (ActorSystem<String> system : systems) {
                    system.terminate();
                    system.getWhenTerminated().toCompletableFuture().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /** An ActorSystem named as a node's ("paddock"), with node {@code id}'s class loader; it logs what it is told. */
    private static ActorSystem<String> system(long id, Config config) {
        return ActorSystem.create(Behaviors.receiveMessage(message -> {
            log.info(message);
            return Behaviors.same();
        }), "paddock", BootstrapSetup.create(ConfigFactory.parseString("test.node = " + id).withFallback(config))
            .withClassloader(NodeThreads.classLoader(id)));
    }
}
