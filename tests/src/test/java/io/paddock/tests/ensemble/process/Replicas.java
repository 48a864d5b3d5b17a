package io.paddock.tests.ensemble.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.tests.support.TreeDump;
import io.paddock.tests.support.ProcessEnsemble;
import io.paddock.tests.support.ZkClients;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.zookeeper.ZooKeeper;

/**
 * Every replica's tree as the official client reads it from that server alone, after a
 * {@code sync} there (so the server has applied everything the leader committed before it), and
 * the check that they are all the same: every znode's path, data and full Stat.
 */
final class Replicas {
    private Replicas() {
    }

    /** Each server's whole tree, by server id, read after a sync through that server. */
    static Map<Integer, SortedMap<String, TreeDump.Node>> dumpAll(ProcessEnsemble ensemble) throws Exception {
        Map<Integer, SortedMap<String, TreeDump.Node>> dumps = new LinkedHashMap<>();
        for (int id : ensemble.ids()) {
            try (ZooKeeper zk = ZkClients.connect(ensemble.connectString(id))) {
                ZkClients.sync(zk, "/");
                dumps.put(id, TreeDump.of(zk, "/"));
            }
        }
        return dumps;
    }

    /** Asserts every replica holds the same tree as the first one; returns that tree. */
    static SortedMap<String, TreeDump.Node> assertIdentical(Map<Integer, SortedMap<String, TreeDump.Node>> dumps) {
        Map.Entry<Integer, SortedMap<String, TreeDump.Node>> first = dumps.entrySet().iterator().next();
        List<String> differences = new ArrayList<>();
        dumps.forEach((id, dump) -> {
            if (id.equals(first.getKey())) {
                return;
            }
            for (var e : first.getValue().entrySet()) {
                TreeDump.Node other = dump.get(e.getKey());
                if (!e.getValue().equals(other)) {
                    differences.add(e.getKey() + ": server " + first.getKey() + " has " + e.getValue() + ", server " + id
                        + " has " + other);
                }
            }
            for (String path : dump.keySet()) {
                if (!first.getValue().containsKey(path)) {
                    differences.add(path + ": only on server " + id);
                }
            }
        });
        assertThat(differences.subList(0, Math.min(20, differences.size())))
            .as("differences between the replicas (" + differences.size() + " in all)").isEmpty();
        return first.getValue();
    }
}
