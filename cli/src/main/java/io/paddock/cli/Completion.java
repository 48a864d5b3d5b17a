package io.paddock.cli;

import io.paddock.protocol.PathUtils;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: the first word from the command names, a word starting with a slash (or an
 * empty one) from the children of the node it names, fetched from the server at each Tab.
 */
final class Completion implements Completer {
    /** A Tab must not hang the shell on a server that does not answer. */
    private static final long CHILDREN_TIMEOUT_MS = 2000;

    private final Function<String, List<String>> children;

    /** {@code children} gives a node's children, or an empty list when it cannot. */
    Completion(Function<String, List<String>> children) {
        this.children = children;
    }

    /** Children from the shell's current session. */
    static Completion of(Shell shell) {
        return new Completion(path -> {
            try {
                return shell.client().getChildren(path, false).toCompletableFuture()
                    .get(CHILDREN_TIMEOUT_MS, TimeUnit.MILLISECONDS).children();
            } catch (Exception e) { // no node, no connection, no answer: nothing to offer
                return List.of();
            }
        });
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, line.wordCursor());
        if (line.wordIndex() == 0) {
            for (Command c : Command.sorted()) {
                if (c.name.startsWith(word)) {
                    candidates.add(new Candidate(c.name));
                }
            }
        } else if (word.isEmpty() || word.startsWith("/")) {
            for (String path : paths(word.isEmpty() ? "/" : word)) {
                // not complete: no space after it, so that a slash and a child's name may follow
                candidates.add(new Candidate(path, path, null, null, null, null, false));
            }
        }
    }

    /** The children of the node before the last slash whose names start with what follows it. */
    List<String> paths(String word) {
        int slash = word.lastIndexOf('/');
        String parent = slash == 0 ? "/" : word.substring(0, slash);
        String prefix = word.substring(slash + 1);
        return children.apply(parent).stream().filter(child -> child.startsWith(prefix)).sorted()
            .map(child -> PathUtils.child(parent, child)).toList();
    }
}
