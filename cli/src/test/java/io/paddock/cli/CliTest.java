package io.paddock.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.client.ReferenceServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.zookeeper.ZKUtil;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.cli.StatPrinter;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell against Apache ZooKeeper 3.9.5: one-shot commands (what they print, where, and the
 * exit code) and the interactive loop.
 * Stats and ACLs are checked against what ZooKeeper's own client and zkCli's printers make of
 * the same node.
 */
class CliTest {
    @TempDir
    static Path dataDir;
    private static ReferenceServer server;
    private static ActorSystem<Void> system;
    private static ZooKeeper zk;

    @BeforeAll
    static void start() throws Exception {
        server = ReferenceServer.start(dataDir);
        system = ActorSystem.create(Behaviors.empty(), "cli-test");
        zk = new ZooKeeper(server.connectString(), 10_000, event -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        zk.close();
        system.terminate();
        server.close();
    }

    record Run(int code, String out, String err) {
    }

    private static Run cli(String... command) {
        List<String> args = new ArrayList<>(List.of("-server", server.connectString(), "-timeout", "4000"));
        args.addAll(List.of(command));
        return cliArgs(args);
    }

    private static Run cliArgs(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(system, args, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
        return new Run(code, out.toString(UTF_8), err.toString(UTF_8));
    }

    private static String zkCliStat(String path) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new StatPrinter(new PrintStream(printed, true, UTF_8)).print(zk.exists(path, false));
        return printed.toString(UTF_8);
    }

    @Test
    void createGetSetAndStatPrintAsZkCli() throws Exception {
        assertThat(cli("create", "/data", "hello")).isEqualTo(new Run(0, "", "Created /data\n"));
        assertThat(cli("get", "-s", "/data")).isEqualTo(new Run(0, "hello\n" + zkCliStat("/data"), ""));
        assertThat(cli("stat", "/data")).isEqualTo(new Run(0, zkCliStat("/data"), ""));
        Run set = cli("set", "/data", "again", "-s"); // flags may follow the arguments, as in zkCli
        assertThat(set).isEqualTo(new Run(0, zkCliStat("/data"), ""));
        assertThat(set.out()).contains("dataVersion = 1\n");
        assertThat(cli("create", "-s", "/data/seq-")).isEqualTo(new Run(0, "", "Created /data/seq-0000000000\n"));
        assertThat(cli("ls", "-s", "/data")).isEqualTo(new Run(0, "[seq-0000000000]\n" + zkCliStat("/data"), ""));
        assertThat(cli("sync", "/data")).isEqualTo(new Run(0, "Sync is OK\n", ""));
        assertThat(cli("create", "-t", "60000", "/ttl")).isEqualTo(new Run(0, "", "Created /ttl\n"));
    }

    @Test
    void lsRecursiveListsBreadthFirstAndDeleteAllRemovesTheSubtree() throws Exception {
        for (String path : List.of("/tree", "/tree/b", "/tree/a", "/tree/a/x")) {
            assertThat(cli("create", path).code()).isZero();
        }
        assertThat(cli("ls", "-R", "/tree")).isEqualTo(new Run(0, "/tree\n/tree/a\n/tree/b\n/tree/a/x\n", ""));
        assertThat(cli("ls", "/tree")).isEqualTo(new Run(0, "[a, b]\n", ""));
        assertThat(cli("deleteall", "/tree")).isEqualTo(new Run(0, "", ""));
        assertThat(zk.exists("/tree", false)).isNull();
    }

    @Test
    void aclsPrintAsZkCli() throws Exception {
        cli("create", "/acl");
        assertThat(cli("setAcl", "/acl", "world:anyone:cdr,ip:127.0.0.1:a")).isEqualTo(new Run(0, "", ""));
        StringBuilder expected = new StringBuilder();
        for (ACL acl : zk.getACL("/acl", new Stat())) { // zkCli's GetAclCommand prints each entry so
            expected.append(acl.getId()).append(": ").append(ZKUtil.getPermString(acl.getPerms())).append('\n');
        }
        assertThat(expected).hasToString("'world,'anyone\n: cdr\n'ip,'127.0.0.1\n: a\n");
        assertThat(cli("getAcl", "-s", "/acl")).isEqualTo(new Run(0, expected + zkCliStat("/acl"), ""));
        assertThat(cli("setAcl", "/acl", "world:anyone")).isEqualTo(new Run(1, "",
            "world:anyone does not have the form scheme:id:perm\nAcl is not valid : /acl\n"));
    }

    @Test
    void whoAmIShowsTheSessionsIdentities() {
        assertThat(cli("whoami")).isEqualTo(new Run(0, "Auth scheme: User\nip: 127.0.0.1\n", ""));
    }

    @Test
    void everyErrorIsOneLineOnStderrAndANonZeroExit() throws Exception {
        cli("create", "/full");
        cli("create", "/full/child");
        assertThat(cli("get", "/missing")).isEqualTo(new Run(1, "", "Node does not exist: /missing\n"));
        assertThat(cli("stat", "/missing")).isEqualTo(new Run(1, "", "Node does not exist: /missing\n"));
        assertThat(cli("create", "/full")).isEqualTo(new Run(1, "", "Node already exists: /full\n"));
        assertThat(cli("delete", "/full")).isEqualTo(new Run(1, "", "Node not empty: /full\n"));
        assertThat(cli("set", "-v", "7", "/full", "x")).isEqualTo(new Run(1, "", "version No is not valid : /full\n"));
        assertThat(cli("delete", "-v", "seven", "/full")).isEqualTo(new Run(1, "", "-v argument must be an int value\n"));
        assertThat(cli("get", "full")).isEqualTo(new Run(1, "", "Path must start with / character\n"));
        assertThat(cli("get")).isEqualTo(new Run(1, "", "get [-s] [-w] path\n"));
        assertThat(cli("get", "-q", "/full")).isEqualTo(new Run(1, "", "get [-s] [-w] path\n"));
        assertThat(cli("create", "-c", "-e", "/c")).isEqualTo(new Run(1, "",
            "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.\n"));
        assertThat(cli("addWatch", "-m", "ONCE", "/full").code()).isEqualTo(1);
        Run unknown = cli("frobnicate", "/full");
        assertThat(unknown.code()).isEqualTo(127);
        assertThat(unknown.err()).contains("\tls [-s] [-w] [-R] path\n")
            .endsWith("Command not found: Command not found frobnicate\n");
        assertThat(zk.exists("/full", false).getVersion()).isZero(); // nothing was changed
    }

    @Test
    void aServerThatRefusesFailsTheCommand() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run refused = cliArgs(List.of("-server", "127.0.0.1:" + closedPort, "-timeout", "500", "ls", "/"));
        assertThat(refused).isEqualTo(new Run(1, "",
            "Unable to connect to 127.0.0.1:" + closedPort + ": KeeperErrorCode = ConnectionLoss\n"));
        assertThat(cliArgs(List.of("-server", "127.0.0.1:port", "ls", "/")).code()).isEqualTo(1);
    }

    @Test
    void theShellPrintsEventsAndReconnectsAfterClose() throws Exception {
        cli("create", "/watched", "one");
        BlockingQueue<String> printed = new LinkedBlockingQueue<>();
        Shell.Connector connector = Main.connector(system, Duration.ofSeconds(4), printed::add, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Shell shell = new Shell(connector.connect(server.connectString()), server.connectString(), connector,
            new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
        try {
            assertThat(printed.poll()).isEqualTo("WATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null zxid: -1");
            shell.run(List.of("get", "-w", "/watched"));
            Stat changed = zk.setData("/watched", "two".getBytes(UTF_8), -1);
            assertThat(printed.poll(10, TimeUnit.SECONDS)).isEqualTo("WATCHER::\n\n"
                + "WatchedEvent state:SyncConnected type:NodeDataChanged path:/watched zxid: " + changed.getMzxid());
            // Tab completion asks the same session for the children of what was typed
            assertThat(Completion.of(shell).paths("/wat")).containsExactly("/watched");
            shell.run(List.of("addWatch", "-m", "PERSISTENT", "/watched"));
            shell.run(List.of("stat", "-w", "/watched"));
            shell.run(List.of("removewatches", "/watched", "-d")); // the one-shot data watch of stat -w
            zk.delete("/watched", -1); // so only the persistent watch fires
            assertThat(printed.poll(10, TimeUnit.SECONDS)).startsWith(
                "WATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDeleted path:/watched zxid: ");

            shell.run(List.of("create", "/eph"));
            shell.run(List.of("create", "-e", "/eph/one"));
            shell.run(List.of("create", "-e", "-s", "/eph/seq-"));
            out.reset();
            shell.run(List.of("getEphemerals"));
            shell.run(List.of("getEphemerals", "/eph/s")); // a prefix, not a node
            shell.run(List.of("getEphemerals", "/nothing"));
            shell.run(List.of("getAllChildrenNumber", "/eph"));
            assertThat(out.toString(UTF_8))
                .isEqualTo("[/eph/one, /eph/seq-0000000001]\n[/eph/seq-0000000001]\n[]\n2\n");

            assertThat(shell.prompt(3)).isEqualTo("[zk: " + server.connectString() + "(CONNECTED) 3] ");
            shell.run(List.of("close"));
            assertThat(printed.poll(10, TimeUnit.SECONDS))
                .isEqualTo("WATCHER::\n\nWatchedEvent state:Closed type:None path:null zxid: -1");
            assertThat(shell.prompt(4)).isEqualTo("[zk: " + server.connectString() + "(CLOSED) 4] ");
            assertThatThrownBy(() -> shell.run(List.of("ls", "/"))).hasMessage("Not connected");
            shell.run(List.of("connect", server.connectString()));
            assertThat(shell.prompt(5)).contains("(CONNECTED)");
            out.reset();
            shell.run(List.of("ls", "/"));
            assertThat(out.toString(UTF_8)).contains("zookeeper");
            assertThat(err.toString(UTF_8)).isEqualTo("Created /eph\nCreated /eph/one\nCreated /eph/seq-0000000001\n");
        } finally {
            shell.client().close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theShellPrintsAnErrorAsOneLineAndGoesOn(@TempDir Path home) throws Exception {
        cli("create", "/typed", "value");
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Shell.Connector connector = Main.connector(system, Duration.ofSeconds(4), message -> { }, true);
        Shell shell = new Shell(connector.connect(server.connectString()), server.connectString(), connector,
            new PrintStream(screen, true, UTF_8), new PrintStream(err, true, UTF_8));
        Path history = home.resolve("history");
        byte[] typed = "get /nope\nget /typed\nquit\nls /\n".getBytes(UTF_8);
        try (Terminal terminal = TerminalBuilder.builder().system(false).dumb(true)
                 .streams(new ByteArrayInputStream(typed), screen).build()) {
            assertThat(new Interactive(System.out).run(shell, terminal, history, new PrintStream(err, true, UTF_8)))
                .isZero();
        } finally {
            shell.client().close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(err.toString(UTF_8)).isEqualTo("Node does not exist: /nope\n");
        assertThat(screen.toString(UTF_8)).contains("(CONNECTED) 0] ", "(CONNECTED) 1] ", "value\n", "(CONNECTED) 2] ")
            .doesNotContain("(CONNECTED) 3] "); // quit ended it before ls
        assertThat(Files.readAllLines(history)).hasSize(3).last().asString().endsWith(":quit");
    }
}
