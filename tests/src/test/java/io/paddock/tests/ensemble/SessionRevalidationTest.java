package io.paddock.tests.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.proto.ConnectResponse;
import io.paddock.tests.support.Await;
import io.paddock.tests.support.InProcessEnsemble;
import io.paddock.tests.support.RawClient;
import io.paddock.tests.support.ReplicaDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client may resume its session on a server that has not applied the session's creation yet:
 * a brand-new session whose client has seen no zxid, moving to a follower that lags. ZooKeeper's
 * learner asks the leader before it answers; a Paddock server catches up with the leader first
 * (a sync). Here the follower is cut off, so it cannot have the session: it must not call the
 * session expired (the client would lose it), only close the connection when it stops serving;
 * once back, it resumes the session, and every replica holds the same state, the session included.
 */
class SessionRevalidationTest {
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aServerThatHasNotSeenANewSessionDoesNotExpireIt() throws Exception {
        try (InProcessEnsemble ensemble = InProcessEnsemble.start(dir, 3, 0, Map.of())) {
            int leader = ensemble.awaitServing(PATIENCE);
            int lagging = leader == 3 ? 2 : 3;
            ensemble.partition(Set.of(lagging));

            ConnectResponse session;
            try (RawClient viaLeader = RawClient.open(ensemble.clientPort(leader))) {
                session = viaLeader.connect();
            }
            assertThat(session.timeOut()).as("the new session's timeout").isPositive();
            assertThat(ensemble.node(lagging).context().serving()).as("the cut-off follower still serves").isTrue();

            try (RawClient viaLagging = RawClient.open(ensemble.clientPort(lagging))) {
                viaLagging.sendFrame(viaLagging.connectPayload(0, 10_000, session.sessionId(), session.passwd(), true));
                byte[] answer = viaLagging.readFrame(); // the follower stops serving within syncLimit ticks
                if (answer != null) {
                    assertThat(ConnectResponse.read(new JuteInput(answer)).timeOut())
                        .as("the cut-off follower's answer to the session it has not seen (0: expired)").isPositive();
                }
            }

            ensemble.heal();
            Await.until(PATIENCE, "server " + lagging + " serves again", () -> ensemble.node(lagging).context().serving());
            try (RawClient viaLagging = RawClient.open(ensemble.clientPort(lagging))) {
                ConnectResponse resumed = viaLagging.connect(0, session.sessionId(), session.passwd(), true);
                assertThat(resumed.sessionId()).isEqualTo(session.sessionId());
                assertThat(resumed.timeOut()).as("resumed, not expired").isPositive();
                assertThat(ReplicaDigest.awaitIdentical(ensemble, PATIENCE).sessions()).as("sessions on every replica")
                    .containsKey(session.sessionId());
            }
        }
    }
}
