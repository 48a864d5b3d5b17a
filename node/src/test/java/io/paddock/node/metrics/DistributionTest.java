package io.paddock.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DistributionTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Distribution latency = new Distribution(registry, "updatelatency", true, now::get);

    private double quantile(double q) {
        SummarySnapshot.SummaryDataPointSnapshot p = latency.snapshot().getDataPoints().get(0);
        for (Quantile quantile : p.getQuantiles()) {
            if (quantile.getQuantile() == q) {
                return quantile.getValue();
            }
        }
        throw new AssertionError("no quantile " + q);
    }

    private Map<String, Object> mntr() {
        Map<String, Object> out = new HashMap<>();
        latency.mntr(out);
        return out;
    }

    @Test
    void quantilesCountAndSumOfWhatWasObserved() {
        for (int i = 1; i <= 1000; i++) {
            latency.observe(i / 10.0); // 0.1 .. 100 ms
        }
        assertThat(quantile(0.5)).isCloseTo(50, within(0.5));
        assertThat(quantile(0.99)).isCloseTo(99, within(1.0));
        assertThat(quantile(0.999)).isCloseTo(99.9, within(1.0)).isLessThanOrEqualTo(100);
        SummarySnapshot.SummaryDataPointSnapshot p = latency.snapshot().getDataPoints().get(0);
        assertThat(p.getCount()).isEqualTo(1000);
        assertThat(p.getSum()).isCloseTo(50050, within(1e-6));
        assertThat(mntr()).containsEntry("cnt_updatelatency", 1000L).containsEntry("min_updatelatency", 0L)
            .containsEntry("max_updatelatency", 100L).containsEntry("sum_updatelatency", 50050L)
            .containsEntry("avg_updatelatency", 50.05).containsEntry("p50_updatelatency", 50L)
            .containsEntry("p99_updatelatency", 99L).containsEntry("p999_updatelatency", 100L);
    }

    @Test
    void beforeAnyValueQuantilesAreNaNForPrometheusAndZeroInMntr() {
        assertThat(quantile(0.5)).isNaN();
        assertThat(mntr()).containsEntry("p99_updatelatency", 0L).containsEntry("cnt_updatelatency", 0L)
            .containsEntry("min_updatelatency", 0L).containsEntry("avg_updatelatency", 0.0);
    }

    @Test
    void quantilesForgetValuesOlderThanTheWindowButCountAndSumKeepThem() {
        latency.observe(500);
        assertThat(quantile(0.5)).isCloseTo(500, within(5.0));
        now.addAndGet(Distribution.SLICE_NANOS);
        latency.observe(2);
        assertThat(quantile(0.999)).isCloseTo(500, within(5.0)); // still in the window
        now.addAndGet(Distribution.SLICE_NANOS * (Distribution.WINDOW_SLICES - 1));
        assertThat(quantile(0.999)).isCloseTo(2, within(0.05)); // the 500 ms slice has aged out
        now.addAndGet(Distribution.SLICE_NANOS * Distribution.WINDOW_SLICES);
        assertThat(quantile(0.5)).isNaN();
        assertThat(mntr()).containsEntry("p50_updatelatency", 0L).containsEntry("cnt_updatelatency", 2L)
            .containsEntry("max_updatelatency", 500L).containsEntry("sum_updatelatency", 502L);
    }

    @Test
    void aQuantileNeverExceedsTheLargestValueObserved() {
        latency.observe(99.6); // HdrHistogram's bucket for it reaches above 100 ms
        assertThat(quantile(0.99)).isLessThanOrEqualTo(99.6);
        assertThat((long) mntr().get("p99_updatelatency")).isLessThanOrEqualTo((long) mntr().get("max_updatelatency") + 1);
    }

    @Test
    void prometheusTextIsZooKeepersSummary() throws IOException {
        latency.observe(3);
        new Distribution(registry, "fsynctime", false, now::get).observe(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("# TYPE updatelatency summary", "updatelatency{quantile=\"0.5\"} 3.0",
            "updatelatency{quantile=\"0.99\"} 3.0", "updatelatency_count 1", "updatelatency_sum 3.0",
            "# TYPE fsynctime summary", "fsynctime{quantile=\"0.5\"} 1.0", "fsynctime_count 1");
        assertThat(text).doesNotContain("fsynctime{quantile=\"0.99\"}");
    }
}
