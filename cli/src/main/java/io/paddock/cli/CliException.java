package io.paddock.cli;

/** A command failed: the shell prints the message as one line; a one-shot run exits with the code. */
final class CliException extends Exception {
    /** zkCli's exit code for a command it does not know. */
    static final int UNKNOWN_COMMAND = 127;

    private final int exitCode;

    CliException(String message) {
        this(message, 1);
    }

    CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
