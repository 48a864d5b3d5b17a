package io.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

/** Tab completion as JLine asks for it: a parsed line with the cursor at its end. */
class CompletionTest {
    private static final Map<String, List<String>> TREE = Map.of(
        "/", List.of("zookeeper", "app", "apple"),
        "/app", List.of("b", "a"));

    private final Completion completion = new Completion(path -> TREE.getOrDefault(path, List.of()));

    private List<String> complete(String line) {
        List<Candidate> candidates = new ArrayList<>();
        completion.complete(null, new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void theFirstWordCompletesToCommandNames() {
        assertThat(complete("get")).containsExactly("get", "getAcl", "getAllChildrenNumber", "getEphemerals");
        assertThat(complete("")).contains("addWatch", "ls", "whoami").hasSize(Command.values().length);
        assertThat(complete("nothing")).isEmpty();
    }

    @Test
    void laterWordsCompleteToPathsFromTheServersChildren() {
        assertThat(complete("ls /")).containsExactly("/app", "/apple", "/zookeeper");
        assertThat(complete("get -s /ap")).containsExactly("/app", "/apple");
        assertThat(complete("ls /app/")).containsExactly("/app/a", "/app/b");
        assertThat(complete("ls ")).containsExactly("/app", "/apple", "/zookeeper");
        assertThat(complete("ls /nowhere/")).isEmpty();
        assertThat(complete("ls -")).isEmpty(); // a flag is no path
    }

    @Test
    void aPathCandidateLeavesRoomForASlash() {
        List<Candidate> candidates = new ArrayList<>();
        completion.complete(null, new DefaultParser().parse("ls /app", 7, Parser.ParseContext.COMPLETE), candidates);
        assertThat(candidates).allMatch(c -> !c.complete());
    }
}
