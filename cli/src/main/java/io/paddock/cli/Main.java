package io.paddock.cli;

import io.paddock.client.SessionEvent;
import io.paddock.client.ZkClient;
import io.paddock.client.ZkClientSettings;
import io.paddock.protocol.KeeperException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jline.terminal.Terminal;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/paddock cli [-server host:port,...] [-timeout ms] [command args]}: with a command,
 * runs it and exits (0, or non-zero on any error); without, an interactive shell.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Logging starts before the actors do: else SLF4J intercepts their first lines while it
        // initialises and prints a warning about replaying them.
        LoggerFactory.getILoggerFactory();
        // the actor system's own settings (quiet logging) are in this module's application.conf
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "paddock-cli");
        int code;
        try {
            code = run(system, Arrays.asList(args), System.out, System.err);
        } finally {
            system.terminate();
        }
        System.exit(code);
    }

    /** Parses the arguments, connects, and runs one command or the shell; returns the exit code. */
    static int run(ActorSystem<?> system, List<String> args, PrintStream out, PrintStream err) {
        String server = "localhost:2181";
        Duration timeout = Duration.ofSeconds(30); // zkCli's default session timeout
        int i = 0;
        for (; i < args.size() && args.get(i).startsWith("-"); i += 2) {
            if (i + 1 == args.size() || !(args.get(i).equals("-server") || args.get(i).equals("-timeout"))) {
                Shell.help(err);
                return 1;
            }
            if (args.get(i).equals("-server")) {
                server = args.get(i + 1);
            } else {
                try {
                    timeout = Duration.ofMillis(Long.parseLong(args.get(i + 1)));
                } catch (NumberFormatException e) {
                    err.println("-timeout must be a number of milliseconds: " + args.get(i + 1));
                    return 1;
                }
            }
        }
        List<String> command = args.subList(i, args.size());
        boolean interactive = command.isEmpty();
        Interactive console = new Interactive(out); // in one-shot runs, it prints events straight to stdout
        Shell.Connector connector = connector(system, timeout, console::print, interactive);
        if (interactive) {
            out.println("Connecting to " + server);
            out.println("Welcome to Paddock!");
        }
        Shell shell;
        try {
            shell = new Shell(connector.connect(server), server, connector, out, err);
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        try {
            return interactive ? interactive(console, shell, err) : oneShot(shell, command, err);
        } finally {
            shell.client().close().toCompletableFuture().join();
        }
    }

    /**
     * Opens sessions whose watch events print as zkCli's watcher prints them ("WATCHER::", then
     * the event), and in the shell the session's changes of state too.
     */
    static Shell.Connector connector(ActorSystem<?> system, Duration timeout, Consumer<String> print,
                                     boolean sessionEvents) {
        return server -> {
            ZkClient client = connect(system, server, timeout);
            client.addWatchListener(event -> print.accept("WATCHER::\n\n" + Formats.event(event)));
            if (sessionEvents) {
                print.accept("WATCHER::\n\n" + Formats.event(SessionEvent.State.CONNECTED));
                // The listener may or may not hear the CONNECTED that completed the connect (it was
                // added after): a CONNECTED prints only after a change to another state.
                AtomicReference<SessionEvent.State> last = new AtomicReference<>(SessionEvent.State.CONNECTED);
                client.addSessionListener(event -> {
                    if (last.getAndSet(event.state()) != event.state()) {
                        print.accept("WATCHER::\n\n" + Formats.event(event.state()));
                    }
                });
            }
            return client;
        };
    }

    /** Connects, or fails with the line to print. */
    private static ZkClient connect(ActorSystem<?> system, String server, Duration timeout) throws CliException {
        try {
            return ZkClient.connect(system, server, ZkClientSettings.create(system).withSessionTimeout(timeout))
                .toCompletableFuture().join();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        } catch (CompletionException e) {
            throw new CliException("Unable to connect to " + server + ": " + describe(e.getCause()));
        }
    }

    /** The shell on the user's terminal, with zkCli's kind of history file: ~/.paddock_history. */
    private static int interactive(Interactive console, Shell shell, PrintStream err) {
        try (Terminal terminal = Interactive.systemTerminal()) {
            return console.run(shell, terminal, Path.of(System.getProperty("user.home"), ".paddock_history"), err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int oneShot(Shell shell, List<String> command, PrintStream err) {
        try {
            shell.run(command);
            return 0;
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
    }

    private static String describe(Throwable failure) {
        return failure instanceof KeeperException k ? Formats.error(k.code(), null) : String.valueOf(failure);
    }
}
