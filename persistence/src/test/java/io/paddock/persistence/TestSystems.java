package io.paddock.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/** Actor systems for tests: Paddock's plugins selected, their files under a test's own directory. */
public final class TestSystems {
    private TestSystems() {
    }

    public static Path journalDir(Path dir) {
        return dir.resolve("journal");
    }

    public static Path snapshotDir(Path dir) {
        return dir.resolve("snapshots");
    }

    /** @param extra HOCON that overrides the defaults, e.g. {@code "paddock.journal.segment-size = 1 KiB"} */
    public static Config config(Path dir, String extra) {
        return ConfigFactory.parseString(extra)
            .withFallback(ConfigFactory.parseMap(Map.of(
                "paddock.journal.dir", journalDir(dir).toString(),
                "paddock.snapshot-store.dir", snapshotDir(dir).toString())))
            .withFallback(ConfigFactory.parseString("""
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                pekko.loglevel = INFO
                pekko.log-dead-letters = off
                pekko.persistence.journal.plugin = "paddock.journal"
                pekko.persistence.snapshot-store.plugin = "paddock.snapshot-store"
                # a probe's wait: generous, so that a slow or busy machine never fails a test
                pekko.actor.testkit.typed.single-expect-default = 30s
                """))
            .withFallback(ConfigFactory.load());
    }

    public static ActorTestKit start(String name, Path dir, String extra) {
        return ActorTestKit.create(name, config(dir, extra));
    }

    public static ActorTestKit start(String name, Path dir) {
        return start(name, dir, "");
    }
}
