package io.paddock.node.cluster;

import io.paddock.config.ServerSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain TCP connection from a learner to its leader's election port, held open for the learner
 * session's life, that tells the learner at once when the leader's process is gone.
 *
 * <p>Why: the cluster's failure detector sees a dead node only after its acceptable heartbeat
 * pause (2.8-3.4 s measured), and a leader killed with SIGKILL would keep its followers (and their
 * clients) waiting that long before an election even starts. When a process dies, though, its
 * operating system closes its sockets, and the other end reads end-of-stream immediately: this is
 * how ZooKeeper's learners notice a dead leader, through their TCP connection to it. Pekko's
 * Artery connection sees the same end, but does not report it (it reconnects), so Paddock holds
 * one connection of its own on the election port, which Artery does not use.
 *
 * <p>It only ever speeds up the detection of a process that is gone: a connection that cannot be
 * opened (a port not reachable, an older node) reports nothing, and a partition, which closes no
 * socket, is left to the failure detector and ZAB's own syncLimit. The leader writes one byte
 * every heartbeat so that an idle connection is never dropped by a middlebox; the learner reads
 * and discards them.
 */
public final class ProcessLink {
    private static final Logger log = LoggerFactory.getLogger(ProcessLink.class);
    private static final ByteString BEAT = ByteString.fromArray(new byte[] {0});

    private ProcessLink() {
    }

    /**
     * Listens on this node's election port ({@code host}: its server.N host, or every address; NodeConfig#peerBindHost) for the
     * learners' links, until {@link Listener#close()} or the end of the ActorSystem. A port that
     * cannot be bound is logged; the node works on, its learners then notice its death through the
     * failure detector only.
     */
    public static Listener listen(ActorSystem<?> system, String host, int port, Duration heartbeat) {
        SharedKillSwitch links = KillSwitches.shared("process-links");
        Flow<ByteString, ByteString, NotUsed> hold = Flow.<ByteString>create().via(links.flow()).via(
            Flow.fromSinkAndSourceCoupled(Sink.ignore(),
                // a greeting at once: the learner's proof that this end holds the link, so closing ends it
                Source.single(BEAT).concat(Source.tick(heartbeat, heartbeat, BEAT))
                    .mapMaterializedValue(c -> NotUsed.getInstance())));
        CompletionStage<Tcp.ServerBinding> bound = Tcp.get(system).bind(host, port)
            .to(Sink.foreach(connection -> connection.handleWith(hold, Materializer.matFromSystem(system))))
            .run(Materializer.matFromSystem(system))
            .whenComplete((binding, failure) -> {
                if (failure != null) {
                    log.warn("the election port {}:{} could not be bound ({}); learners will notice this node's death "
                        + "only through the failure detector", host, port, failure.getMessage());
                } else {
                    log.debug("process link listening on {}", binding.localAddress());
                }
            });
        return new Listener(bound, links);
    }

    /** The listening end of the learners' links. */
    public static final class Listener {
        private final CompletionStage<Tcp.ServerBinding> bound;
        private final SharedKillSwitch links;

        private Listener(CompletionStage<Tcp.ServerBinding> bound, SharedKillSwitch links) {
            this.bound = bound;
            this.links = links;
        }

        /** Completes when the port is bound (or could not be). */
        public CompletionStage<Tcp.ServerBinding> bound() {
            return bound;
        }

        /**
         * Stops listening and ends every learner's link now, as the end of this process would: a
         * node that is stopping tells its learners at once, so that they elect another leader
         * while it finishes its shutdown. Completes when the port is closed.
         */
        public CompletionStage<Void> close() {
            links.shutdown();
            return bound.thenCompose(Tcp.ServerBinding::unbind).handle((done, failure) -> null);
        }
    }

    /** An open (or opening) link; {@link #close()} ends it without reporting. */
    public static final class Link {
        private final UniqueKillSwitch killSwitch;
        private final AtomicBoolean closedHere;
        private final CompletionStage<Void> held;

        private Link(UniqueKillSwitch killSwitch, AtomicBoolean closedHere, CompletionStage<Void> held) {
            this.killSwitch = killSwitch;
            this.closedHere = closedHere;
            this.held = held;
        }

        /**
         * Completes when the leader's greeting arrives: from then on the leader holds this link, and
         * its {@link Listener#close()} ends it. (A connection the kernel has established may still
         * wait in the leader's accept queue, where only the end of its process ends it.) Fails if the
         * link ends before.
         */
        public CompletionStage<Void> held() {
            return held;
        }

        public void close() {
            closedHere.set(true);
            killSwitch.shutdown();
        }
    }

    /**
     * Opens a link to {@code leader}'s election port. {@code lost} runs once if the connection,
     * after it was established, ends or fails (the leader's process or ActorSystem is gone, or it closed
     * its {@link Listener}); never
     * if it could not be established, nor after {@link Link#close()}.
     */
    public static Link watch(ActorSystem<?> system, ServerSpec leader, Runnable lost) {
        AtomicBoolean closedHere = new AtomicBoolean();
        CompletableFuture<Void> held = new CompletableFuture<>();
        var result = Source.<ByteString>maybe()
            .viaMat(KillSwitches.single(), Keep.right())
            .viaMat(Tcp.get(system).outgoingConnection(leader.host(), leader.electionPort()), Keep.both())
            .toMat(Sink.foreach(greeting -> held.complete(null)), Keep.both())
            .run(Materializer.matFromSystem(system));
        var opened = result.first().second().toCompletableFuture();
        result.second().whenComplete((done, failure) -> {
            held.completeExceptionally(failure != null ? failure : new IllegalStateException("the link ended unheld"));
            // the connection's future completes (at the latest) when the stream ends
            boolean wasConnected = opened.isDone() && !opened.isCompletedExceptionally();
            if (wasConnected && !closedHere.get()) {
                log.debug("process link to server {} ended: {}", leader.id(), failure == null ? "closed" : failure.toString());
                lost.run();
            }
        });
        return new Link(result.first().first(), closedHere, held);
    }
}
