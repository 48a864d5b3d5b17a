package io.paddock.node.metrics;

import io.paddock.protocol.OpCode;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * One node's metrics, in Prometheus' registry (one per node: several nodes can share a JVM).
 * ZooKeeper's names where ZooKeeper has the metric, so that dashboards and alerts written for
 * ZooKeeper's PrometheusMetricsProvider work: its gauges ({@link #gauge}), {@code readlatency}
 * and {@code updatelatency} (ms), {@code fsynctime} (ms), {@code election_time} (ms). ZooKeeper's
 * counters ({@code looking_count}, ...) are exported under their exact names as gauges of the
 * count: Prometheus' current client writes every counter with a {@code _total} suffix that
 * ZooKeeper's old one did not, and PromQL's {@code rate} works on either. Paddock's own metrics
 * are {@code paddock_*}, in seconds, as histograms (they aggregate across nodes, summaries do not).
 */
public final class NodeMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Distribution readLatency = new Distribution(registry, "readlatency", true);
    private final Distribution updateLatency = new Distribution(registry, "updatelatency", true);
    private final Distribution fsyncTime = new Distribution(registry, "fsynctime", false);
    private final Distribution electionTime = new Distribution(registry, "election_time", false);
    /** ZooKeeper's counters, kept as plain counts (see the class comment) and shown in mntr too. */
    private final LongAdder lookingCount = new LongAdder();
    private final LongAdder proposalCount = new LongAdder();
    private final LongAdder commitCount = new LongAdder();
    private final Histogram requests = Histogram.builder().name("paddock_request_duration_seconds")
        .help("Time from a client request's arrival to its answer, by operation").labelNames("op")
        .classicOnly().classicExponentialUpperBounds(0.0001, 2, 16).register(registry);
    private final Histogram proposalCommit = Histogram.builder().name("paddock_proposal_commit_seconds")
        .help("On the leader: time from proposing a txn to committing it (a quorum logged it)")
        .classicOnly().classicExponentialUpperBounds(0.0001, 2, 16).register(registry);
    private final Histogram fsync = Histogram.builder().name("paddock_fsync_duration_seconds")
        .help("Time one journal append took: its write and its fsync").classicOnly().classicExponentialUpperBounds(0.00005, 2, 16)
        .register(registry);
    private final Histogram fsyncBatch = Histogram.builder().name("paddock_fsync_batch_writes")
        .help("Journal writes made durable by one fsync").classicOnly().classicExponentialUpperBounds(1, 2, 12)
        .register(registry);
    private final Counter elections = Counter.builder().name("paddock_elections")
        .help("Leader elections this node took part in").register(registry);
    private final Histogram electionDuration = Histogram.builder().name("paddock_election_duration_seconds")
        .help("Time from starting to look for a leader to the election's decision").classicOnly()
        .classicExponentialUpperBounds(0.01, 2, 14).register(registry);

    /** With {@code jvm}, the JVM's and the process's metrics too (ZooKeeper's metricsProvider.exportJvmInfo). */
    public NodeMetrics(boolean jvm) {
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
        gauge("looking_count", "looking_count", lookingCount::sum);
        gauge("proposal_count", "proposal_count", proposalCount::sum);
        gauge("commit_count", "commit_count", commitCount::sum);
    }

    /** mntr's keys of these metrics, as ZooKeeper's default metrics provider shows them. */
    public void mntr(Map<String, Object> into) {
        into.put("looking_count", lookingCount.sum());
        into.put("proposal_count", proposalCount.sum());
        into.put("commit_count", commitCount.sum());
        for (Distribution d : new Distribution[] {readLatency, updateLatency, fsyncTime, electionTime}) {
            d.mntr(into);
        }
    }

    /** This node began to look for a leader. */
    public void looking() {
        lookingCount.increment();
    }

    /** The leader proposed {@code txns} txns. */
    public void proposed(int txns) {
        proposalCount.add(txns);
    }

    /** A gauge read when scraped; ZooKeeper's gauges have their name as their help. */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    /** A gauge with a sample only while {@code present} holds (ZooKeeper's leader-only gauges on a leader). */
    public void gaugeWhile(String name, BooleanSupplier present, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(name).callback(cb -> {
            if (present.getAsBoolean()) {
                cb.call(value.getAsDouble());
            }
        }).register(registry);
    }

    /** A gauge with one sample per key of {@code values}, labelled {@code label}. */
    public void gaugeByLabel(String name, String help, String label, Supplier<Map<Long, Long>> values) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(label)
            .callback(cb -> values.get().forEach((key, value) -> cb.call(value, Long.toString(key)))).register(registry);
    }

    /** A client request of {@code op} was answered {@code nanos} after it arrived. */
    public void requestAnswered(int op, boolean write, long nanos) {
        (write ? updateLatency : readLatency).observe(nanos / 1e6);
        requests.labelValues(OpCode.name(op)).observe(nanos / 1e9);
    }

    /** The leader committed a txn {@code nanos} after it proposed it. */
    public void committed(long nanos) {
        commitCount.increment();
        proposalCommit.observe(nanos / 1e9);
    }

    /** One fsync of the journal made {@code writes} journal writes durable in {@code nanos}. */
    public void fsynced(int writes, long nanos) {
        fsyncTime.observe(nanos / 1e6);
        fsync.observe(nanos / 1e9);
        fsyncBatch.observe(writes);
    }

    /** An election this node looked in was decided {@code nanos} after it began. */
    public void electionDecided(long nanos) {
        elections.inc();
        electionTime.observe(nanos / 1e6);
        electionDuration.observe(nanos / 1e9);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Every metric in Prometheus' text format (version 0.0.4), as ZooKeeper's provider serves it. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
