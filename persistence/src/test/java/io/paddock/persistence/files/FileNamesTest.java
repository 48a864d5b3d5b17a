package io.paddock.persistence.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileNamesTest {
    @Test
    void keepsPlainIdsReadable() {
        assertThat(FileNames.encode("zab-log-1")).isEqualTo("zab-log-1");
        assertThat(FileNames.encode("Some_Id-42")).isEqualTo("Some_Id-42");
    }

    @Test
    void escapesEverythingThatCouldEscapeTheDirectory() {
        assertThat(FileNames.encode("..")).isEqualTo("%2E%2E");
        assertThat(FileNames.encode("a/b\\c")).isEqualTo("a%2Fb%5Cc");
        assertThat(FileNames.encode("50%")).isEqualTo("50%25");
        assertThat(FileNames.encode("é")).isEqualTo("%C3%A9");
    }

    @Test
    void neverGivesTwoIdsTheSameName() {
        List<String> ids = List.of("a", "a.", "a%2E", "a-1", "a_1", "A", "%", "%25", "x".repeat(300), "x".repeat(301));
        Set<String> names = new HashSet<>();
        for (String id : ids) {
            names.add(FileNames.encode(id));
        }
        assertThat(names).hasSameSizeAs(ids);
    }

    @Test
    void cutsLongIdsAndAddsAHash() {
        String name = FileNames.encode("/".repeat(1000));
        assertThat(name).hasSizeLessThanOrEqualTo(FileNames.MAX_ENCODED).contains("~");
        assertThatThrownBy(() -> FileNames.encode("")).isInstanceOf(IllegalArgumentException.class);
    }
}
