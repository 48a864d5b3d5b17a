package io.paddock.tests.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.tests.support.InProcessServer;
import io.paddock.tests.support.ZkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code DigestAuthenticationProvider.superDigest} in zoo.cfg makes a super user, as the system property does. */
class SuperDigestTest {
    @TempDir
    Path dir;

    @Test
    void theSuperUserOfZooCfgPassesARestrictiveAcl() throws Exception {
        String superDigest = DigestAuthenticationProvider.generateDigest("super:hunter2");
        try (InProcessServer server = InProcessServer.start(dir, Map.of("DigestAuthenticationProvider.superDigest", superDigest));
             ZooKeeper alice = ZkClients.connect(server.connectString());
             ZooKeeper root = ZkClients.connect(server.connectString());
             ZooKeeper other = ZkClients.connect(server.connectString())) {
            alice.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
            // the client's ACL check asks the list whether it holds null, which List.of cannot answer
            List<ACL> onlyAlice = new ArrayList<>(List.of(new ACL(ZooDefs.Perms.ALL,
                new Id("digest", DigestAuthenticationProvider.generateDigest("alice:secret")))));
            alice.create("/private", "hers".getBytes(StandardCharsets.UTF_8), onlyAlice, CreateMode.PERSISTENT);

            other.addAuthInfo("digest", "super:wrong".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> other.getData("/private", false, null)).isInstanceOf(KeeperException.NoAuthException.class);
            root.addAuthInfo("digest", "super:hunter2".getBytes(StandardCharsets.UTF_8));
            assertThat(root.getData("/private", false, null)).asString(StandardCharsets.UTF_8).isEqualTo("hers");
        }
    }
}
