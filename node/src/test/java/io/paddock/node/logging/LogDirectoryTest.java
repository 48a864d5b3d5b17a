package io.paddock.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogDirectoryTest {
    private static final List<Path> ONE = List.of(Path.of("/var/lib/paddock/data"));

    @Test
    void thePropertyWinsThenTheEnvironmentVariable() {
        assertThat(LogDirectory.choose("/var/log/paddock", "/elsewhere", ONE)).isEqualTo(Path.of("/var/log/paddock"));
        assertThat(LogDirectory.choose(null, "/elsewhere", ONE)).isEqualTo(Path.of("/elsewhere"));
        assertThat(LogDirectory.choose(" ", "", ONE)).isEqualTo(Path.of("/var/lib/paddock/data/logs"));
    }

    @Test
    void oneNodeLogsInItsDataDir() {
        assertThat(LogDirectory.choose(null, null, ONE)).isEqualTo(Path.of("/var/lib/paddock/data/logs"));
        assertThat(LogDirectory.choose(null, null, List.of(Path.of("data/standalone"))))
            .isEqualTo(Path.of("data/standalone").toAbsolutePath().resolve("logs"));
    }

    @Test
    void severalNodesInOneProcessLogBesideTheirDataDirs() {
        List<Path> ensemble = List.of(Path.of("./data/ensemble/node1"), Path.of("./data/ensemble/node2"),
            Path.of("./data/ensemble/node3"));
        assertThat(LogDirectory.choose(null, null, ensemble))
            .isEqualTo(Path.of("data/ensemble/logs").toAbsolutePath());
        assertThat(LogDirectory.choose(null, null, List.of(Path.of("/a/b/one"), Path.of("/a/c/two"))))
            .isEqualTo(Path.of("/a/logs"));
        // with only the root in common, the first node's dataDir
        assertThat(LogDirectory.choose(null, null, List.of(Path.of("/srv/one"), Path.of("/data/two"))))
            .isEqualTo(Path.of("/srv/one/logs"));
    }
}
