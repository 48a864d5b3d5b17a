package io.paddock.cli;

import io.paddock.client.ZkClient;
import io.paddock.client.ZkClientSettings;
import io.paddock.protocol.KeeperException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
        if (interactive) {
            out.println("Connecting to " + server);
        }
        ZkClient client;
        try {
            client = ZkClient.connect(system, server, ZkClientSettings.create(system).withSessionTimeout(timeout))
                .toCompletableFuture().join();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 1;
        } catch (CompletionException e) {
            err.println("Unable to connect to " + server + ": " + describe(e.getCause()));
            return 1;
        }
        try {
            return interactive ? Interactive.run(client, server, out, err) : oneShot(client, command, out, err);
        } finally {
            client.close().toCompletableFuture().join();
        }
    }

    private static int oneShot(ZkClient client, List<String> command, PrintStream out, PrintStream err) {
        printWatches(client, message -> out.println("\n" + message));
        try {
            new Shell(client, out, err).run(command);
            return 0;
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
    }

    /** Prints every watch event as it arrives, as zkCli's watcher does: "WATCHER::", then the event. */
    static void printWatches(ZkClient client, Consumer<String> print) {
        client.addWatchListener(event -> print.accept("WATCHER::\n\n" + Formats.event(event)));
    }

    private static String describe(Throwable failure) {
        return failure instanceof KeeperException k ? Formats.error(k.code(), null) : String.valueOf(failure);
    }
}
