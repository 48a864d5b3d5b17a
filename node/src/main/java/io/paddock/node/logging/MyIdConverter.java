package io.paddock.node.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %myid} in a logback pattern: the server id of the node whose thread logs the line
 * ({@link NodeThreads}), empty for a thread of no node. Declared in a logback config with
 * {@code <conversionRule conversionWord="myid" class="io.paddock.node.logging.MyIdConverter"/>}.
 *
 * <p>It reads the logging thread, so it is right in appenders that write on that thread (the
 * console and file appenders of conf/logback.xml); behind an AsyncAppender it would read the
 * appender's worker thread instead.
 */
public final class MyIdConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return NodeThreads.currentServerId();
    }
}
