package io.paddock.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

class ProposalTimesTest {
    private final NodeMetrics metrics = new NodeMetrics(false);
    private final ProposalTimes times = new ProposalTimes(metrics);

    private HistogramSnapshot.HistogramDataPointSnapshot commits() {
        for (MetricSnapshot s : metrics.registry().scrape()) {
            if (s.getMetadata().getName().equals("paddock_proposal_commit_seconds")) {
                return ((HistogramSnapshot) s).getDataPoints().get(0);
            }
        }
        throw new AssertionError("no paddock_proposal_commit_seconds");
    }

    @Test
    void eachTxnOfACommittedBatchIsTimedFromItsProposal() {
        times.proposed(0x100000003L, 3, 1_000_000);
        times.proposed(0x100000005L, 2, 2_000_000);
        times.committed(0x100000003L, 4_000_000);

        assertThat(commits().getCount()).isEqualTo(3);
        assertThat(commits().getSum()).isCloseTo(3 * 0.003, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(times.waiting()).isEqualTo(1);
    }

    @Test
    void aBatchIsTimedOnlyOnceItsLastTxnIsCommitted() {
        times.proposed(0x100000005L, 5, 1_000_000);
        times.committed(0x100000004L, 2_000_000);
        assertThat(commits().getCount()).isZero();

        times.committed(0x100000005L, 3_000_000);
        assertThat(commits().getCount()).isEqualTo(5);
        assertThat(times.waiting()).isZero();
    }

    @Test
    void oneCommitCanCompleteSeveralBatches() {
        times.proposed(0x100000001L, 1, 1_000_000);
        times.proposed(0x100000002L, 1, 1_500_000);
        times.committed(0x100000002L, 2_000_000);
        assertThat(commits().getCount()).isEqualTo(2);
        assertThat(commits().getSum()).isCloseTo(0.001 + 0.0005, org.assertj.core.data.Offset.offset(1e-9));
    }
}
