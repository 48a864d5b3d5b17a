package io.paddock.node.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.paddock.config.NodeConfig;

/** The Pekko configuration a node runs with, derived from its NodeConfig. */
public final class PekkoSettings {
    private PekkoSettings() {
    }

    public static Config forNode(NodeConfig cfg) {
        return ConfigFactory.empty()
            .withValue("paddock.journal.dir",
                ConfigValueFactory.fromAnyRef(cfg.dataLogDir().resolve("journal").toAbsolutePath().toString()))
            .withValue("paddock.snapshot-store.dir",
                ConfigValueFactory.fromAnyRef(cfg.dataDir().resolve("snapshots").toAbsolutePath().toString()))
            .withFallback(ConfigFactory.parseResources("paddock-node.conf"))
            .withFallback(ConfigFactory.load());
    }
}
