package io.paddock.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/logback.xml, as bin/paddock uses it: it parses without a warning, and writes every line,
 * with its node's id, to paddock.log in {@code paddock.log.dir}, where its rolled files go too.
 */
class ShippedLogbackConfigTest {
    @TempDir
    Path dir;

    @Test
    void confLogbackXmlWritesPaddockLogInPaddockLogDir() throws Exception {
        Path logs = dir.resolve("logs");
        Map<String, String> properties = Map.of("paddock.log.dir", logs.toString(), "paddock.log.level", "DEBUG");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        properties.forEach(System::setProperty);
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(shipped().toFile());
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
        assertThat(problems(context)).as("logback's warnings and errors about conf/logback.xml").isEmpty();

        Logger paddock = context.getLogger("io.paddock.node.Example");
        Thread node = new Thread(() -> {
            try (NodeThreads.Scope working = NodeThreads.workFor(NodeThreads.classLoader(7))) {
                paddock.info("a line of node 7");
            }
        });
        node.start();
        node.join();
        paddock.info("a line of no node");
        paddock.debug("paddock.log.level=DEBUG lets this through");
        context.getLogger("org.apache.pekko.Example").info("Pekko's INFO is left out");
        // the next line is logged "a day later": the file rolls as it would at midnight
        RollingFileAppender<?> file = (RollingFileAppender<?>) context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
            .getAppender("ROLLINGFILE");
        ((TimeBasedRollingPolicy<?>) file.getRollingPolicy()).getTimeBasedFileNamingAndTriggeringPolicy()
            .setCurrentTime(System.currentTimeMillis() + Duration.ofDays(1).toMillis());
        paddock.info("a line after the rollover");
        context.stop();
        assertThat(problems(context)).as("logback's warnings and errors while it wrote").isEmpty();

        List<String> current = Files.readAllLines(logs.resolve("paddock.log"));
        assertThat(current).hasSize(1);
        assertThat(current.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[myid:\\] INFO  .* - a line after the rollover");
        try (Stream<Path> files = Files.list(logs)) {
            List<String> rolled = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("paddock.log")).toList();
            assertThat(rolled).singleElement().asString().matches("paddock\\.log\\.\\d{4}-\\d\\d-\\d\\d\\.0\\.gz");
            String before;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(logs.resolve(rolled.get(0))))) {
                before = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(before).contains("[myid:7] INFO  [" + node.getName() + "] io.paddock.node.Example - a line of node 7\n")
                .contains("[myid:] INFO  [" + Thread.currentThread().getName() + "] io.paddock.node.Example - a line of no node\n")
                .contains("paddock.log.level=DEBUG lets this through")
                .doesNotContain("Pekko's INFO");
        }
    }

    private static List<Status> problems(LoggerContext context) {
        return context.getStatusManager().getCopyOfStatusList().stream().filter(s -> s.getEffectiveLevel() >= Status.WARN)
            .toList();
    }

    /** conf/logback.xml of this source tree (tests run in a module's directory). */
    private static Path shipped() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("conf").resolve("logback.xml"))) {
            p = p.getParent();
        }
        assertThat(p).as("conf/logback.xml above " + System.getProperty("user.dir")).isNotNull();
        return p.resolve("conf").resolve("logback.xml");
    }
}
