package io.paddock.node.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Every line logged in this JVM while it is attached (at the levels the loggers let through),
 * with the server id {@code %myid} gives it, computed as the line is logged, on its thread.
 * Also used by the tests module.
 */
public final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    /** One logged line. */
    public record Line(String myid, String thread, String logger, String message, Map<String, String> mdc) {
    }

    private final Queue<Line> lines = new ConcurrentLinkedQueue<>();
    private final MyIdConverter myid = new MyIdConverter();
    private final Logger root;

    private LogLines(Logger root) {
        this.root = root;
    }

    /** Starts capturing from the root logger of slf4j's logback context. */
    public static LogLines capture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogLines capture = new LogLines(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        capture.setContext(context);
        capture.setName("log-lines");
        capture.start();
        capture.root.addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(new Line(myid.convert(event), event.getThreadName(), event.getLoggerName(), event.getFormattedMessage(),
            Map.copyOf(event.getMDCPropertyMap())));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The first line whose message is {@code message}, waiting up to {@code timeout} for it. */
    public Line await(String message, Duration timeout) throws InterruptedException {
        return await(l -> l.message().equals(message), message, timeout);
    }

    /** The first line that matches, waiting up to {@code timeout} for one. */
    public Line await(Predicate<Line> matches, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Line l : lines) {
                if (matches.test(l)) {
                    return l;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no line " + what + " within " + timeout + "; lines: " + lines);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
