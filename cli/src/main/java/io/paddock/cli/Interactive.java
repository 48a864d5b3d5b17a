package io.paddock.cli;

import io.paddock.client.SessionEvent;
import io.paddock.client.ZkClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The shell: zkCli's prompt, line editing and history (kept in ~/.paddock_history across runs),
 * Tab completion of commands and paths, and events printed above the line being typed.
 * An error prints one line and the shell goes on.
 */
final class Interactive {
    private Interactive() {
    }

    static int run(ZkClient client, String server, PrintStream out, PrintStream err) {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("paddock")
                .completer(Completion.of(client))
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".paddock_history"))
                .build();
            // while a line is being typed, an event is printed above it and the line redrawn
            Consumer<String> print = message -> reader.printAbove("\n" + message);
            Main.printWatches(client, print);
            State state = new State();
            client.addSessionListener(event -> {
                state.name = state(event.state());
                print.accept("WATCHER::\n\n" + Formats.event(event.state()));
            });
            out.println("Welcome to Paddock!");
            print.accept("WATCHER::\n\n" + Formats.event(SessionEvent.State.CONNECTED));
            Shell shell = new Shell(client, out, err);
            for (int count = 0; ; count++) {
                String line;
                try {
                    line = reader.readLine("[zk: " + server + "(" + state.name + ") " + count + "] ");
                } catch (UserInterruptException e) { // Ctrl-C drops the line, as in a Unix shell
                    count--;
                    continue;
                } catch (EndOfFileException e) { // Ctrl-D
                    return 0;
                }
                List<String> words = reader.getParsedLine().words().stream().filter(w -> !w.isEmpty()).toList();
                if (words.isEmpty()) {
                    count--;
                    continue;
                }
                try {
                    if (!shell.run(words)) {
                        return 0;
                    }
                    if (words.get(0).equals("close")) {
                        state.name = "CLOSED";
                    }
                } catch (CliException e) {
                    err.println(e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The connection state in the prompt, in ZooKeeper's States names. */
    private static String state(SessionEvent.State state) {
        return switch (state) {
            case CONNECTED -> "CONNECTED";
            case DISCONNECTED -> "CONNECTING";
            case EXPIRED, CLOSED -> "CLOSED";
            case AUTH_FAILED -> "AUTH_FAILED";
        };
    }

    private static final class State {
        volatile String name = "CONNECTED";
    }
}
