package io.paddock.node.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.metrics.NodeMetrics;
import org.junit.jupiter.api.Test;

class ServerStatsTest {
    @Test
    void diffCountCountsSyncsByTruncationAsZooKeeperDoesButNotSnapshots() {
        ServerStats stats = new ServerStats(new NodeMetrics(false));
        stats.learnerSynced(ServerStats.SyncKind.DIFF);
        stats.learnerSynced(ServerStats.SyncKind.TRUNC);
        stats.learnerSynced(ServerStats.SyncKind.TRUNC);
        stats.learnerSynced(ServerStats.SyncKind.SNAP);

        assertThat(stats.diffCount()).isEqualTo(3);
        assertThat(stats.learnerSyncs(ServerStats.SyncKind.SNAP)).isEqualTo(1);
    }
}
