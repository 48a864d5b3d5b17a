package io.paddock.node.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.paddock.config.NodeConfig;
import java.nio.file.Path;

/**
 * The Pekko configuration a node runs with, derived from its NodeConfig. Highest first: the
 * node's journal and snapshot directories; the {@code pekko { }} block beside
 * {@code paddock { }} in a HOCON config file (docs/config.md: "so one file can configure
 * both"); Paddock's paddock-node.conf; and Pekko's usual {@code ConfigFactory.load()} (system
 * properties, application.conf, reference.conf).
 */
public final class PekkoSettings {
    private PekkoSettings() {
    }

    public static Config forNode(NodeConfig cfg) {
        return ConfigFactory.empty()
            .withValue("paddock.journal.dir",
                ConfigValueFactory.fromAnyRef(cfg.dataLogDir().resolve("journal").toAbsolutePath().toString()))
            .withValue("paddock.snapshot-store.dir",
                ConfigValueFactory.fromAnyRef(cfg.dataDir().resolve("snapshots").toAbsolutePath().toString()))
            .withFallback(pekkoBlock(cfg.sourceFile()))
            .withFallback(ConfigFactory.parseResources("paddock-node.conf"))
            .withFallback(ConfigFactory.load());
    }

    /** The {@code pekko { }} block of a HOCON config file that wraps its settings in {@code paddock { }}; empty otherwise. */
    static Config pekkoBlock(Path file) {
        if (file == null || file.getFileName() == null || !file.getFileName().toString().endsWith(".conf")) {
            return ConfigFactory.empty();
        }
        // ConfigLoader has read and checked this file already, so it parses and resolves
        Config config = ConfigFactory.parseFile(file.toFile()).resolve();
        boolean wrapped = config.root().containsKey("paddock")
            && config.root().get("paddock").valueType() == ConfigValueType.OBJECT;
        return wrapped && config.hasPath("pekko") ? config.withOnlyPath("pekko") : ConfigFactory.empty();
    }
}
