package io.paddock.node.metrics;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One of ZooKeeper's summaries, in milliseconds, in both its shapes: Prometheus' (ZooKeeper's
 * PrometheusMetricsProvider writes quantiles 0.5, 0.9 and 0.99, or 0.5 alone, with count and sum)
 * and mntr's with ZooKeeper's default provider ({@code avg_}, {@code min_}, {@code max_},
 * {@code cnt_}, {@code sum_} and, for its detailed ones, {@code p50_}, {@code p95_}, {@code p99_},
 * {@code p999_}). One observation feeds both.
 *
 * <p>Count, sum, min and max are exact. The quantiles are those of the values recorded in about
 * the last minute ({@link #WINDOW_SLICES} slices of {@link #SLICE_NANOS}; values recorded between
 * two reads count as recorded at the second), to 1 % and 1 µs, from HdrHistogram. Prometheus'
 * own Summary (a CKMS estimator per quantile in each of five age buckets) cost about 0.4 µs a
 * value on the thread that answers clients, more than a tenth of a leader's CPU under heavy writes;
 * recording here costs a few nanoseconds and the work moves to the reader.
 */
public final class Distribution {
    private static final double[] DETAILED = {0.5, 0.9, 0.95, 0.99, 0.999};
    private static final double[] MNTR_PERCENTILES = {0.5, 0.95, 0.99, 0.999};
    static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(15);
    static final int WINDOW_SLICES = 4;
    /** An hour, in µs: anything longer is recorded as an hour (max_ stays exact). */
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int DIGITS = 2;

    private final String name;
    private final double[] quantiles;
    private final boolean detailed;
    private final LongSupplier clock;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAccumulator minMicros = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, DIGITS);
    /** Guarded by this: the recent slices, oldest first, and the histogram they are merged into. */
    private final ArrayDeque<Slice> slices = new ArrayDeque<>();
    private final Histogram merged = new Histogram(HIGHEST_MICROS, DIGITS);
    private Histogram interval;

    private record Slice(long start, Histogram values) {
    }

    /** ZooKeeper's summary {@code name}; {@code detailed}: with percentiles (ZooKeeper's "advanced" ones). */
    Distribution(PrometheusRegistry registry, String name, boolean detailed) {
        this(registry, name, detailed, System::nanoTime);
    }

    Distribution(PrometheusRegistry registry, String name, boolean detailed, LongSupplier nanoClock) {
        this.name = name;
        this.detailed = detailed;
        this.quantiles = detailed ? DETAILED : new double[] {0.5};
        this.clock = nanoClock;
        registry.register(new Collector() {
            @Override
            public MetricSnapshot collect() {
                return snapshot();
            }

            @Override
            public String getPrometheusName() {
                return name;
            }

            @Override
            public MetricType getMetricType() {
                return MetricType.SUMMARY;
            }
        });
    }

    /** One value, in ms. */
    public void observe(double millis) {
        long micros = Math.max(0, Math.round(millis * 1000));
        count.increment();
        sum.add(millis);
        minMicros.accumulate(micros);
        maxMicros.accumulate(micros);
        recorder.recordValue(Math.min(HIGHEST_MICROS, micros));
    }

    /** Prometheus' view: count, sum and the recent quantiles (NaN while there are none, as Prometheus' Summary says). */
    SummarySnapshot snapshot() {
        double[] values = recentQuantiles(quantiles, Double.NaN);
        List<Quantile> qs = new ArrayList<>(quantiles.length);
        for (int i = 0; i < quantiles.length; i++) {
            qs.add(new Quantile(quantiles[i], values[i]));
        }
        return SummarySnapshot.builder().name(name).help(name)
            .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().count(count.sum()).sum(sum.sum())
                .quantiles(Quantiles.of(qs)).build())
            .build();
    }

    /** Adds mntr's keys of this summary to {@code into}, as ZooKeeper's default provider shows them. */
    public void mntr(Map<String, Object> into) {
        long n = count.sum();
        double total = sum.sum();
        into.put("avg_" + name, n == 0 ? 0.0 : new BigDecimal(total / n).setScale(4, RoundingMode.HALF_UP).doubleValue());
        into.put("min_" + name, n == 0 ? 0 : minMicros.get() / 1000);
        into.put("max_" + name, maxMicros.get() / 1000);
        into.put("cnt_" + name, n);
        into.put("sum_" + name, Math.round(total));
        if (detailed) {
            // mntr prints integers, and 0 before the first value
            double[] values = recentQuantiles(MNTR_PERCENTILES, 0);
            for (int i = 0; i < values.length; i++) {
                into.put("p" + percentile(MNTR_PERCENTILES[i]) + "_" + name, Math.round(values[i]));
            }
        }
    }

    private static String percentile(double q) {
        return q == 0.999 ? "999" : Integer.toString((int) Math.round(q * 100));
    }

    /** The quantiles {@code qs} of the recent values, in ms; {@code none} for each when there are none. */
    private synchronized double[] recentQuantiles(double[] qs, double none) {
        long now = clock.getAsLong();
        interval = recorder.getIntervalHistogram(interval);
        Slice newest = slices.peekLast();
        if (newest == null || now - newest.start() >= SLICE_NANOS) {
            newest = new Slice(now, new Histogram(HIGHEST_MICROS, DIGITS));
            slices.addLast(newest);
        }
        newest.values().add(interval);
        while (now - slices.peekFirst().start() >= SLICE_NANOS * WINDOW_SLICES) {
            slices.removeFirst();
        }
        merged.reset();
        slices.forEach(s -> merged.add(s.values()));
        double[] out = new double[qs.length];
        for (int i = 0; i < qs.length; i++) {
            // a bucket's highest value can lie above every value recorded in it
            out[i] = merged.getTotalCount() == 0 ? none
                : Math.min(merged.getValueAtPercentile(qs[i] * 100), maxMicros.get()) / 1000.0;
        }
        return out;
    }
}
