package io.paddock.tests.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.Await;
import io.paddock.tests.support.ServerConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an operator uses it: {@code dist/target/paddock-VERSION.tar.gz} (the
 * build's package phase makes it before these tests) unpacked into a temporary directory and run
 * with a PATH that has java and the usual tools but no Maven, so a {@code bin/paddock} that tried to
 * build would fail. start, status, stop on a standalone node and on a three-node ensemble; the
 * shell (bin/paddock cli) against the standalone one.
 * Whatever a test started is killed by its pid afterwards, also when the test failed.
 *
 * <p>One unpacked copy serves both tests, standalone first: its first clean stop writes the
 * class-data archive, which the ensemble's three JVMs then map (half the CPU of a start).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionTest {
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(40);

    @TempDir
    static Path dir;

    private static Path home;
    private static String path;
    /** Every pid file a test's start wrote; the processes in them are killed after the test. */
    private final Set<Path> pidFiles = new LinkedHashSet<>();
    private final Set<Long> pids = new LinkedHashSet<>();

    record Result(int exitCode, String output) {
    }

    @BeforeAll
    static void unpack() throws Exception {
        Path target = Path.of("..", "dist", "target").toAbsolutePath().normalize();
        Path tarball;
        try (DirectoryStream<Path> found = Files.newDirectoryStream(target, "paddock-*.tar.gz")) {
            tarball = found.iterator().next();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new AssertionError("no paddock-*.tar.gz in " + target + ": the dist module's package phase builds it"
                + " (mvn -B package or verify, before the tests module)", e);
        }
        Path unpacked = Files.createDirectories(dir.resolve("opt"));
        assertThat(exec(List.of("tar", "xzf", tarball.toString(), "-C", unpacked.toString()), System.getenv("PATH")).exitCode())
            .isZero();
        String name = tarball.getFileName().toString();
        home = unpacked.resolve(name.substring(0, name.length() - ".tar.gz".length()));
        assertThat(home.resolve("bin/paddock")).isExecutable();
        assertThat(home.resolve("pom.xml")).doesNotExist();
        path = pathWithoutMaven();
    }

    /**
     * java's bin, then a directory of links to every command in /usr/bin and /bin but Maven's
     * (on this machine mvn sits in /usr/bin beside the tools the script needs).
     */
    private static String pathWithoutMaven() throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String bin : List.of("/usr/bin", "/bin")) {
            try (DirectoryStream<Path> commands = Files.newDirectoryStream(Path.of(bin))) {
                for (Path command : commands) {
                    String name = command.getFileName().toString();
                    Path link = tools.resolve(name);
                    if (!name.startsWith("mvn") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, command);
                    }
                }
            }
        }
        String p = Path.of(System.getProperty("java.home"), "bin") + ":" + tools;
        Result mvn = exec(List.of("bash", "-c", "command -v mvn || echo none"), p);
        assertThat(mvn.output().strip()).as("mvn on the test's PATH").isEqualTo("none");
        return p;
    }

    /** The links only: JUnit would warn about each link to outside the temp dir it deletes. */
    @AfterAll
    static void removeTools() throws IOException {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(dir.resolve("tools"))) {
            for (Path link : links) {
                Files.delete(link);
            }
        }
    }

    @AfterEach
    void killWhatWasStarted() throws IOException {
        for (Path pidFile : pidFiles) {
            if (Files.exists(pidFile)) {
                pids.add(Long.parseLong(Files.readString(pidFile).strip()));
            }
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
    }

    /** The pid a start wrote, remembered for {@link #killWhatWasStarted} even if a stop removes the file. */
    private long startedPid(Path pidFile) throws IOException {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        pids.add(pid);
        return pid;
    }

    @Test
    @Order(1)
    void standaloneNodeStartsServesAndStopsWithoutMaven() throws Exception {
        int port = io.paddock.node.LoopbackPorts.free();
        Path cfg = ServerConfigs.standalone(dir.resolve("standalone"), port, Map.of());
        ServerConfigs.enableAdmin(Map.of(1, cfg));
        Path pidFile = pidFile(cfg);

        assertThat(paddock("version").output()).startsWith("Paddock, version 3.9.5-paddock-");
        // a pid file left by a process that is gone (a crash, a reboot) does not stop a start
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.createDirectories(pidFile.getParent());
        Files.writeString(pidFile, gone.pid() + "\n");

        Result start = paddock("start", cfg.toString());
        assertThat(start.exitCode()).as(start.output()).isZero();
        assertThat(start.output()).contains("Removing stale pid file").contains("Starting Paddock ... STARTED");
        long pid = startedPid(pidFile);
        assertThat(pid).isNotEqualTo(gone.pid());

        Result again = paddock("start", cfg.toString());
        assertThat(again.output()).contains("already running as process " + pid);

        Result status = paddock("status", cfg.toString());
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("Mode: standalone").containsPattern("Zxid: 0x[0-9a-f]+");
        // the shell runs from lib/cli/
        Result cli = paddock("cli", "-server", "127.0.0.1:" + port, "create", "/unpacked", "data");
        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(cli.output()).contains("Created /unpacked");

        Result stop = paddock("stop", cfg.toString());
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("Stopping Paddock ... STOPPED");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(pidFile).doesNotExist();
        // the daemon logged to its file, not to the console (paddock.out keeps what comes before logging)
        Path logs = cfg.resolveSibling("data").resolve("logs");
        assertThat(Files.readString(logs.resolve("paddock.log"))).contains("listening for clients");
        assertThat(Files.readString(logs.resolve("paddock.out"))).doesNotContain("listening for clients");
        // the first clean stop left the class-data archive that later starts map
        assertThat(home.resolve("lib/paddock-cds.jsa")).isNotEmptyFile();

        Result down = paddock("status", cfg.toString());
        assertThat(down.exitCode()).as(down.output()).isEqualTo(3);
        assertThat(down.output()).contains("It is probably not running");
        assertThat(paddock("stop", cfg.toString()).output()).contains("No Paddock to stop");

        // restart starts a node that was not running; a stop that must kill says so, and exits 1
        Result restart = paddock("restart", cfg.toString());
        assertThat(restart.exitCode()).as(restart.output()).isZero();
        assertThat(restart.output()).contains("No Paddock to stop").contains("STARTED");
        long restarted = startedPid(pidFile);
        Result killed = paddock(Map.of("PADDOCK_STOP_TIMEOUT", "0"), "stop", cfg.toString());
        assertThat(killed.exitCode()).as(killed.output()).isEqualTo(1);
        assertThat(killed.output()).contains("KILLED");
        Await.until(Duration.ofSeconds(10), "the killed node is gone",
            () -> ProcessHandle.of(restarted).map(p -> !p.isAlive()).orElse(true));
        assertThat(pidFile).doesNotExist();
    }

    @Test
    @Order(2)
    void ensembleOfThreeStartsElectsAndStopsWithoutMaven() throws Exception {
        ServerConfigs.Ensemble ensemble = ServerConfigs.ensemble(dir.resolve("ensemble"), 3, 0, Map.of());
        ServerConfigs.enableAdmin(ensemble.configs());
        List<Path> configs = List.copyOf(ensemble.configs().values());
        configs.forEach(this::pidFile);

        // at once: each start waits for its node to serve, and a node serves once a quorum has formed
        for (Result start : each(configs, "start")) {
            assertThat(start.exitCode()).as(start.output()).isZero();
            assertThat(start.output()).contains("STARTED");
        }
        for (Path cfg : configs) {
            startedPid(pidFile(cfg));
        }
        List<Result> statuses = new ArrayList<>();
        Await.until(Duration.ofSeconds(30), "every node serves", () -> {
            statuses.clear();
            statuses.addAll(each(configs, "status"));
            return statuses.stream().allMatch(r -> r.exitCode() == 0);
        });
        List<String> modes = new ArrayList<>();
        List<String> leaders = new ArrayList<>();
        for (Result status : statuses) {
            modes.add(field(status.output(), "Mode"));
            leaders.add(field(status.output(), "Leader"));
            assertThat(status.output()).containsPattern("Zxid: 0x[0-9a-f]+");
        }
        assertThat(modes).containsExactlyInAnyOrder("leader", "follower", "follower");
        int leaderIndex = modes.indexOf("leader");
        String leaderId = Files.readString(configs.get(leaderIndex).resolveSibling("data").resolve("myid")).strip();
        assertThat(leaders).containsOnly(leaderId);

        for (Result stop : each(configs, "stop")) {
            assertThat(stop.exitCode()).as(stop.output()).isZero();
            assertThat(stop.output()).contains("STOPPED");
        }
        for (Path cfg : configs) {
            assertThat(pidFile(cfg)).doesNotExist();
        }
    }

    private Path pidFile(Path cfg) {
        Path pidFile = cfg.resolveSibling("data").resolve("paddock_server.pid");
        pidFiles.add(pidFile);
        return pidFile;
    }

    private static String field(String output, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": (\\S+)$").matcher(output);
        return m.find() ? m.group(1) : null;
    }

    /** bin/paddock COMMAND CONFIG for every config at once; the results in the configs' order. */
    private List<Result> each(List<Path> configs, String command) {
        List<CompletableFuture<Result>> running = configs.stream()
            .map(cfg -> CompletableFuture.supplyAsync(() -> paddock(command, cfg.toString()))).toList();
        return running.stream().map(CompletableFuture::join).toList();
    }

    private Result paddock(String... args) {
        return paddock(Map.of(), args);
    }

    private Result paddock(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/paddock").toString());
        cmd.addAll(List.of(args));
        return exec(cmd, path, env);
    }

    private static Result exec(List<String> cmd, String pathVariable) {
        return exec(cmd, pathVariable, Map.of());
    }

    private static Result exec(List<String> cmd, String pathVariable, Map<String, String> env) {
        try {
            Path out = Files.createTempFile(dir, "command", ".out");
            ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
            b.environment().remove("JAVA_HOME");
            b.environment().put("PATH", pathVariable);
            b.environment().put("PADDOCK_JAVA_OPTS", "-Xmx256m");
            b.environment().putAll(env);
            Process p = b.start();
            boolean done = p.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS);
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
                throw new AssertionError(cmd + " did not finish within " + COMMAND_LIMIT + ":\n" + output);
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
