package io.paddock.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The shell: zkCli's prompt, line editing and history (kept in a file across runs),
 * Tab completion of commands and paths, and events printed above the line being typed.
 * An error prints one line and the shell goes on.
 */
final class Interactive {
    private final PrintStream out;
    /** The line reader events print through, once the shell runs; until then they go to stdout. */
    private volatile LineReader reader;

    Interactive(PrintStream out) {
        this.out = out;
    }

    /** Prints an event as zkCli does (a blank line, then the message), above the line being typed. */
    void print(String message) {
        LineReader current = reader;
        if (current == null) {
            out.println("\n" + message);
        } else {
            current.printAbove("\n" + message);
        }
    }

    /** The user's terminal; a dumb one when commands are piped in (without JLine's warning about it). */
    static Terminal systemTerminal() throws IOException {
        return TerminalBuilder.builder().system(true).dumb(true).build();
    }

    /** Reads and runs commands until quit or end of input; the history is kept in {@code history}. */
    int run(Shell shell, Terminal terminal, Path history, PrintStream err) {
        try {
            reader = LineReaderBuilder.builder().terminal(terminal).appName("paddock")
                .completer(Completion.of(shell))
                .variable(LineReader.HISTORY_FILE, history)
                .build();
            for (int count = 0; ; count++) {
                String line;
                try {
                    line = reader.readLine(shell.prompt(count));
                } catch (UserInterruptException e) { // Ctrl-C drops the line, as in a Unix shell
                    count--;
                    continue;
                } catch (EndOfFileException e) { // Ctrl-D
                    return 0;
                }
                List<String> words = reader.getParsedLine().words().stream().filter(w -> !w.isEmpty()).toList();
                if (words.isEmpty() || line.isBlank()) {
                    count--;
                    continue;
                }
                try {
                    if (!shell.run(words)) {
                        return 0;
                    }
                } catch (CliException e) {
                    err.println(e.getMessage());
                }
            }
        } finally {
            reader = null;
        }
    }
}
