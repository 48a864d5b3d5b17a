package io.paddock.config;

import java.nio.file.Path;

/** One realistic ZooKeeper 3.9 ensemble config, written in both formats. */
final class RealisticConfig {
    private RealisticConfig() {}

    static String[] zooCfg(Path dataDir, Path dataLogDir) {
        return new String[] {
            "# The number of milliseconds of each tick",
            "tickTime=3000",
            "initLimit=20",
            "syncLimit=10",
            "dataDir=" + dataDir,
            "dataLogDir=" + dataLogDir,
            "clientPort=2181",
            "maxClientCnxns=0",
            "minSessionTimeout=6000",
            "maxSessionTimeout=90000",
            "snapCount=50000",
            "preAllocSize=65536",
            "autopurge.snapRetainCount=5",
            "autopurge.purgeInterval=24",
            "4lw.commands.whitelist=stat, ruok, conf, isro",
            "jute.maxbuffer=4194304",
            "globalOutstandingLimit=2000",
            "extendedTypesEnabled=true",
            "znode.container.checkIntervalMs=30000",
            "reconfigEnabled=true",
            "electionAlg=3",
            "quorumListenOnAllIPs=true",
            "admin.serverAddress=127.0.0.1",
            "admin.serverPort=9090",
            "admin.idleTimeout=30000",
            "metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider",
            "metricsProvider.httpPort=7000",
            "server.1=zk1.example.com:2888:3888;2181",
            "server.2=zk2.example.com:2888:3888;2181",
            "server.3=zk3.example.com:2888:3888:participant;2181",
            "server.4=zk4.example.com:2888:3888:observer;2181",
        };
    }

    /** The same settings as HOCON, using nesting, quoted dotted keys and a list where HOCON allows. */
    static String[] hocon(Path dataDir, Path dataLogDir) {
        return new String[] {
            "# Paddock node config",
            "paddock {",
            "  tickTime = 3000",
            "  initLimit = 20",
            "  syncLimit = 10",
            "  dataDir = \"" + dataDir + "\"",
            "  dataLogDir = \"" + dataLogDir + "\"",
            "  clientPort = 2181",
            "  maxClientCnxns = 0",
            "  minSessionTimeout = 6000",
            "  maxSessionTimeout = 90000",
            "  snapCount = 50000",
            "  preAllocSize = 65536",
            "  autopurge {",
            "    snapRetainCount = 5",
            "    purgeInterval = 24",
            "  }",
            "  \"4lw.commands.whitelist\" = [stat, ruok, conf, isro]",
            "  jute.maxbuffer = 4194304",
            "  globalOutstandingLimit = 2000",
            "  extendedTypesEnabled = true",
            "  znode.container.checkIntervalMs = 30000",
            "  reconfigEnabled = true",
            "  electionAlg = 3",
            "  quorumListenOnAllIPs = true",
            "  admin { serverAddress = \"127.0.0.1\", serverPort = 9090, idleTimeout = 30000 }",
            "  metricsProvider {",
            "    className = \"org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider\"",
            "    httpPort = 7000",
            "  }",
            "  server {",
            "    1 = \"zk1.example.com:2888:3888;2181\"",
            "    2 = \"zk2.example.com:2888:3888;2181\"",
            "  }",
            "  server.3 = \"zk3.example.com:2888:3888:participant;2181\"",
            "  \"server.4\" = \"zk4.example.com:2888:3888:observer;2181\"",
            "}",
        };
    }
}
