package io.paddock.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.config.MetricsProvider;
import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.node.context.ServerContext;
import io.paddock.protocol.Zxid;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EnsembleViewTest {
    private static final Path DIR = Path.of("target", "ensemble-view-test");

    private static NodeConfig config(Map<Long, ServerSpec> servers) {
        return new NodeConfig(DIR.resolve("zoo.cfg"), servers.isEmpty() ? 0 : 1, 2000, 10, 5, DIR, DIR,
            new InetSocketAddress("127.0.0.1", 2181), 60, 4000, 40000, 100000, 3, 0, Set.of("ruok"), 1048575, 1000,
            false, 60000, 10000, 10000, servers, true, false, false, "127.0.0.1", 8080, "/commands", MetricsProvider.NONE, null, false, List.of());
    }

    private static NodeConfig threeAndAnObserver() {
        Map<Long, ServerSpec> servers = new TreeMap<>();
        for (long id = 1; id <= 4; id++) {
            servers.put(id, new ServerSpec(id, "127.0.0.1", 2887 + (int) id, 3887 + (int) id,
                id <= 3 ? ServerSpec.Role.PARTICIPANT : ServerSpec.Role.OBSERVER, null));
        }
        return config(servers);
    }

    private static NodeStatus status(long id, String role, long leader, boolean serving, long epoch, long lastCommitted) {
        return new NodeStatus(id, "127.0.0.1:" + (2180 + id), role, serving ? "broadcast" : "election", leader, serving,
            epoch, lastCommitted, lastCommitted, 0, 0, 0, 0, 0, 0, 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> server(Map<String, Object> view, long id) {
        return ((List<Map<String, Object>>) view.get("servers")).stream()
            .filter(s -> ((Long) s.get("serverId")) == id).findFirst().orElseThrow();
    }

    @Test
    void everyConfiguredServerIsListedAndThoseThatDidNotAnswerAreUnreachable() {
        long leaderZxid = Zxid.make(2, 10);
        Map<String, Object> view = EnsembleView.json(threeAndAnObserver(), List.of(
            status(1, "follower", 3, true, 2, Zxid.make(2, 7)),
            status(3, "leader", 3, true, 2, leaderZxid)));

        assertThat(view.get("leader")).isEqualTo(3L);
        assertThat(view.get("epoch")).isEqualTo(2L);
        assertThat(server(view, 1)).containsEntry("reachable", true).containsEntry("role", "follower")
            .containsEntry("lag", 3L).containsEntry("type", "participant").containsEntry("clientAddress", "127.0.0.1:2181");
        assertThat(server(view, 2)).containsEntry("reachable", false).containsEntry("role", null)
            .containsEntry("serving", false).containsEntry("lag", null);
        assertThat(server(view, 3)).containsEntry("lag", 0L).containsEntry("lastCommittedZxid", Zxid.toHex(leaderZxid));
        assertThat(server(view, 4)).containsEntry("type", "observer").containsEntry("reachable", false);
    }

    @Test
    void aDeposedLeaderStillSayingSoLosesToTheLeaderOfALaterEpoch() {
        NodeStatus old = status(1, "leader", 1, true, 4, Zxid.make(4, 100));
        NodeStatus current = status(2, "leader", 2, true, 5, Zxid.make(5, 1));
        assertThat(EnsembleView.leaderOf(List.of(old, current))).isEqualTo(current);
        assertThat(EnsembleView.leaderOf(List.of(current, old))).isEqualTo(current);
    }

    @Test
    void thereIsNoLeaderWhileNobodyServesAsOne() {
        NodeStatus looking = status(1, "looking", ServerContext.NO_LEADER, false, 4, Zxid.make(4, 100));
        NodeStatus syncing = status(2, "follower", 3, false, 4, Zxid.make(4, 90));
        Map<String, Object> view = EnsembleView.json(threeAndAnObserver(), List.of(looking, syncing));

        assertThat(view.get("leader")).isNull();
        assertThat(server(view, 1)).containsEntry("leader", null).containsEntry("lag", null);
        assertThat(server(view, 2)).containsEntry("leader", 3L).containsEntry("serving", false);
    }

    @Test
    void lagIsUnknownAcrossEpochsAndNeverNegative() {
        NodeStatus leader = status(3, "leader", 3, true, 5, Zxid.make(5, 2));
        assertThat(EnsembleView.lag(leader, status(1, "follower", 3, true, 5, Zxid.make(4, 900)))).isNull();
        // a follower that applied a commit the leader's status had not shown yet
        assertThat(EnsembleView.lag(leader, status(1, "follower", 3, true, 5, Zxid.make(5, 3)))).isZero();
    }

    @Test
    void ofTwoAnswersFromOneServerTheNewerIncarnationsCounts() {
        NodeStatus leader = status(3, "leader", 3, true, 2, Zxid.make(2, 50));
        NodeStatus stale = status(1, "follower", 3, true, 2, Zxid.make(2, 10));
        NodeStatus restarted = status(1, "follower", 3, true, 2, Zxid.make(2, 50));
        assertThat(server(EnsembleView.json(threeAndAnObserver(), List.of(restarted, leader, stale)), 1))
            .containsEntry("lag", 0L);
    }

    @Test
    void aStandaloneServerIsItsOwnEnsemble() {
        Map<String, Object> view = EnsembleView.json(config(Map.of()),
            List.of(status(0, "standalone", 0, true, 1, Zxid.make(1, 5))));
        assertThat(view.get("leader")).isEqualTo(0L);
        assertThat(server(view, 0)).containsEntry("role", "standalone").containsEntry("lag", 0L)
            .containsEntry("type", "participant");
    }
}
