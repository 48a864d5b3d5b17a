package io.paddock.node.metrics;

import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * One of ZooKeeper's summaries, in milliseconds, in both its shapes: Prometheus' (ZooKeeper's
 * PrometheusMetricsProvider writes quantiles 0.5, 0.9 and 0.99, or 0.5 alone, with count and sum)
 * and mntr's with ZooKeeper's default provider ({@code avg_}, {@code min_}, {@code max_},
 * {@code cnt_}, {@code sum_} and, for its detailed ones, {@code p50_}, {@code p95_}, {@code p99_},
 * {@code p999_}). One observation feeds both.
 */
public final class Distribution {
    private static final double[] DETAILED = {0.5, 0.9, 0.95, 0.99, 0.999};
    private static final double[] MNTR_PERCENTILES = {0.5, 0.95, 0.99, 0.999};

    private final String name;
    private final boolean detailed;
    private final Summary summary;
    private final LongAccumulator min = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    /** ZooKeeper's summary {@code name}; {@code detailed}: with percentiles (ZooKeeper's "advanced" ones). */
    Distribution(PrometheusRegistry registry, String name, boolean detailed) {
        this.name = name;
        this.detailed = detailed;
        Summary.Builder b = Summary.builder().name(name).help(name);
        for (double q : detailed ? DETAILED : new double[] {0.5}) {
            b.quantile(q, q >= 0.99 ? 0.001 : 0.01);
        }
        this.summary = b.register(registry);
    }

    /** One value, in ms. */
    public void observe(double millis) {
        summary.observe(millis);
        min.accumulate((long) millis);
        max.accumulate((long) millis);
    }

    /** Adds mntr's keys of this summary to {@code into}, as ZooKeeper's default provider shows them. */
    public void mntr(Map<String, Object> into) {
        SummarySnapshot.SummaryDataPointSnapshot p = summary.collect().getDataPoints().get(0);
        long count = p.getCount();
        into.put("avg_" + name, count == 0 ? 0.0
            : new BigDecimal(p.getSum() / count).setScale(4, RoundingMode.HALF_UP).doubleValue());
        into.put("min_" + name, count == 0 ? 0 : min.get());
        into.put("max_" + name, max.get());
        into.put("cnt_" + name, count);
        into.put("sum_" + name, Math.round(p.getSum()));
        if (detailed) {
            for (double q : MNTR_PERCENTILES) {
                into.put("p" + percentile(q) + "_" + name, Math.round(quantile(p, q)));
            }
        }
    }

    private static String percentile(double q) {
        return q == 0.999 ? "999" : Integer.toString((int) Math.round(q * 100));
    }

    /** The quantile's value, 0 before the first observation (Prometheus says NaN; mntr prints integers). */
    private static double quantile(SummarySnapshot.SummaryDataPointSnapshot p, double q) {
        for (Quantile quantile : p.getQuantiles()) {
            if (quantile.getQuantile() == q) {
                return Double.isNaN(quantile.getValue()) ? 0 : quantile.getValue();
            }
        }
        return 0;
    }
}
