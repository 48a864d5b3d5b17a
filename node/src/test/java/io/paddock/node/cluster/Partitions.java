package io.paddock.node.cluster;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.remote.RARP;
import org.apache.pekko.remote.transport.ThrottlerTransportAdapter;
import scala.jdk.javaapi.FutureConverters;

/**
 * Network partitions between ActorSystems in one JVM, with Artery's test-mode blackhole
 * (DESIGN §8) and, for the learner sessions' own connections, {@link LinkCuts}. Everything between the two addresses is dropped, cluster heartbeats included;
 * messages sent during a cut are lost, not delayed. The only place that touches these
 * internal/deprecated Pekko APIs. Published in the node module's test jar for the tests module's
 * in-JVM ensembles.
 */
@SuppressWarnings("deprecation")
public final class Partitions {
    private Partitions() {
    }

    /** From now on {@code system} drops everything it would send to or receives from {@code peer}. */
    public static void cut(ActorSystem<?> system, Address peer) {
        throttle(system, peer, ThrottlerTransportAdapter.blackholeThrottleMode());
        LinkCuts.get(system).cut(peer);
    }

    /** Undoes {@link #cut}. */
    public static void heal(ActorSystem<?> system, Address peer) {
        throttle(system, peer, ThrottlerTransportAdapter.unthrottledThrottleMode());
        LinkCuts.get(system).heal(peer);
    }

    private static void throttle(ActorSystem<?> system, Address peer, ThrottlerTransportAdapter.ThrottleMode mode) {
        // with test mode off the command is accepted and silently does nothing
        if (!system.settings().config().getBoolean("pekko.remote.artery.advanced.test-mode")) {
            throw new IllegalStateException(system + ": pekko.remote.artery.advanced.test-mode is off; partitions need it on");
        }
        RARP rarp = (RARP) RARP.get(system.classicSystem());
        Object done;
        try {
            done = FutureConverters.asJava(rarp.provider().transport().managementCommand(
                    new ThrottlerTransportAdapter.SetThrottle(peer, ThrottlerTransportAdapter.bothDirection(), mode)))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not throttle " + system + " -> " + peer, e);
        }
        if (!Boolean.TRUE.equals(done)) {
            throw new IllegalStateException("throttling " + system + " -> " + peer + " was refused: " + done);
        }
    }
}
