package io.paddock.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A Paddock node in its own JVM ({@code io.paddock.node.Main server CFG}, on this test's
 * classpath), for tests that must kill a real process with SIGKILL or stop it with SIGTERM.
 * Output goes to a log file next to the config. Always {@link #close()} it.
 */
public final class ServerProcess implements AutoCloseable {
    private final Path cfg;
    private final int port;
    private final Path log;
    private final List<String> jvmArgs = new ArrayList<>();
    private final java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    private final List<String> mainAndArgs;
    /** The script that starts the node ({@code bin/paddock}), or null: java on this test's classpath. */
    private final Path script;
    private Process process;

    public ServerProcess(Path cfg, int port) {
        this(cfg, port, List.of("io.paddock.node.Main", "server", cfg.toString()), null);
    }

    private ServerProcess(Path cfg, int port, List<String> mainAndArgs, Path script) {
        this.cfg = cfg;
        this.port = port;
        this.log = cfg.resolveSibling("server.log");
        this.mainAndArgs = mainAndArgs;
        this.script = script;
    }

    /**
     * A Paddock node started as a user starts one: {@code home/bin/paddock server CFG}, from the
     * packaged build (which a reactor build makes before the tests run; the script builds it when
     * it is missing or stale) and with the script's class-data archive. JVM options go to the
     * script in PADDOCK_JAVA_OPTS.
     */
    public static ServerProcess packaged(Path home, Path cfg, int port) {
        return new ServerProcess(cfg, port, List.of("server", cfg.toString()), home.resolve("bin").resolve("paddock"));
    }

    /**
     * Apache ZooKeeper's own server on the same kind of zoo.cfg, for comparisons: standalone, or a
     * quorum peer when the file has server.N lines (QuorumPeerMain decides, as zkServer.sh does).
     */
    public static ServerProcess zookeeper(Path cfg, int port) {
        return new ServerProcess(cfg, port, List.of("org.apache.zookeeper.server.quorum.QuorumPeerMain", cfg.toString()),
            null);
    }

    /** Extra JVM options (e.g. {@code -Dpaddock.journal.segment-size=8KiB}) for every later {@link #start}. */
    public ServerProcess withJvmArgs(String... args) {
        jvmArgs.addAll(List.of(args));
        return this;
    }

    /** Extra environment variables (e.g. {@code LD_PRELOAD}) for every later {@link #start}. */
    public ServerProcess withEnv(java.util.Map<String, String> vars) {
        env.putAll(vars);
        return this;
    }

    /** Starts the JVM and waits until it answers ruok on its client port. */
    public ServerProcess start(Duration timeout) {
        launch();
        Await.until(timeout, "server on port " + port + " answers ruok (log: " + log + ")", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + log);
            }
            return "imok".equals(fourLetterWord("127.0.0.1", port, "ruok"));
        });
        return this;
    }

    /**
     * Starts the JVM and returns at once, for a caller that times the start-up itself: ZooKeeper
     * 3.9.5 leaves a four-letter word's connection open while it loads its data (it fails to close
     * it, with a NullPointerException in its log), so {@link #start}'s ruok may wait out its 5 s
     * read timeout.
     */
    public ServerProcess launch() {
        List<String> options = new ArrayList<>();
        options.add("-Xmx256m");
        options.addAll(jvmArgs);
        // e.g. -Dpaddock.node.jvmArgs="-XX:StartFlightRecording:filename=/tmp/jfr/" to profile every node a test starts
        String extra = System.getProperty("paddock.node.jvmArgs", "").strip();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        // and -Dpaddock.only.jvmArgs=... for Paddock's nodes alone (a JVM option tried against ZooKeeper's defaults)
        String paddockOnly = System.getProperty("paddock.only.jvmArgs", "").strip();
        if (!paddockOnly.isEmpty() && !mainAndArgs.get(0).startsWith("org.apache.zookeeper")) {
            options.addAll(List.of(paddockOnly.split("\\s+")));
        }
        List<String> cmd = new ArrayList<>();
        if (script != null) {
            cmd.add(script.toString());
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(options);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
        }
        cmd.addAll(mainAndArgs);
        try {
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (script != null) {
                builder.environment().put("PADDOCK_JAVA_OPTS", String.join(" ", options));
            }
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** CPU time the server's JVM has used so far, every thread included (zero before it starts). */
    public Duration cpu() {
        return process == null ? Duration.ZERO : process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The JVM's process id (of a started node), for jcmd and /proc. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * SIGKILL: no shutdown hook, no flush; only what was durable survives. The JVM's children die
     * too: {@code bin/paddock} runs the JVM as its child while it writes its class-data archive, and
     * killing the script alone left that JVM running after a failed test.
     */
    public void kill9() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
        for (ProcessHandle child : children) {
            child.onExit().join();
        }
    }

    /** SIGTERM and wait; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** SIGTERM, as an operator or a supervisor stops a server; returns at once. */
    public void sigterm() {
        process.destroy();
    }

    /** Waits up to {@code timeout} for the JVM to exit; its exit code, or empty if it still runs. */
    public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(process.exitValue())
            : OptionalInt.empty();
    }

    /** SIGQUIT: the JVM prints every thread's stack into its log, to see why it has not exited, say. */
    public void threadDump() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill9();
        }
    }

    /** Sends a four-letter word and returns the whole answer ("" if the connection closed silently). */
    public static String fourLetterWord(String host, int port, String word) {
        return fourLetterWord(host, port, word, Duration.ofSeconds(5));
    }

    /** As above, giving up ("") when the answer has not ended within {@code readTimeout}. */
    public static String fourLetterWord(String host, int port, String word, Duration readTimeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout((int) readTimeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
