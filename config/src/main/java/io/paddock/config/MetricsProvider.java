package io.paddock.config;

/**
 * ZooKeeper's {@code metricsProvider.*} keys. With ZooKeeper's PrometheusMetricsProvider named in
 * {@code metricsProvider.className}, a node serves its metrics at {@code /metrics} on
 * {@code httpHost:httpPort} as ZooKeeper does (they are on the admin port's {@code /metrics}
 * either way).
 *
 * @param prometheus    whether {@code metricsProvider.className} is ZooKeeper's PrometheusMetricsProvider
 * @param httpHost      metricsProvider.httpHost (default 0.0.0.0, as in ZooKeeper)
 * @param httpPort      metricsProvider.httpPort (default 7000, as in ZooKeeper)
 * @param exportJvmInfo metricsProvider.exportJvmInfo (default true): the jvm_* and process_* metrics
 */
public record MetricsProvider(boolean prometheus, String httpHost, int httpPort, boolean exportJvmInfo) {
    /** The class name ZooKeeper's zoo.cfg names for its Prometheus exporter. */
    public static final String PROMETHEUS_CLASS = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider";

    /** No metrics port of its own; JVM metrics exported. */
    public static final MetricsProvider NONE = new MetricsProvider(false, "0.0.0.0", 7000, true);
}
