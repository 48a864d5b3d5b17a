package io.paddock.node.cluster;

import io.paddock.config.NodeConfig;
import io.paddock.protocol.peer.PeerMessage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Finds the other servers' peer endpoints and tells one listener (the node's role) about them.
 *
 * <p>It registers this node's endpoint with the Receptionist under {@link #key(long) zab-peer-&lt;id&gt;},
 * subscribes to every other configured server's key and to the cluster's member and reachability
 * events, and tells the listener, per other configured server id:
 * <ul>
 *   <li>{@link PeerUp}{@code (id, ref)}: {@code id} has a registered endpoint on a reachable node, and
 *       it is {@code ref}; sent again with the new ref when it changes (a restarted node, or one
 *       reachable again after being unreachable);</li>
 *   <li>{@link PeerGone}{@code (id)}: {@code id} no longer has a reachable registered endpoint (its node
 *       is unreachable, stopped, or replaced by a new incarnation that has not registered yet);
 *       messages sent to the old ref are lost;</li>
 *   <li>{@link Reachability}{@code (id, reachable)}: the cluster's failure detector now sees the node
 *       at {@code id}'s configured host:quorumPort as unreachable / reachable again (also when a
 *       new incarnation of an unreachable node joins). This usually comes shortly before the
 *       matching PeerGone / PeerUp, as the Receptionist hides unreachable nodes' entries.</li>
 * </ul>
 * Each event is sent only on a change; nothing is sent about the node itself. A peer is reachable
 * until the listener is told otherwise. No event is ever sent for an id the config does not
 * list. The directory never sends to peers itself: the listener does, to the refs it was given.
 *
 * <p>The directory can be spawned anywhere and lives as long as the node's ActorSystem; stopping
 * it (or the endpoint) removes the endpoint's registration.
 */
public final class PeerDirectory {
    private PeerDirectory() {
    }

    /** What the listener is told. */
    public sealed interface Event {
        /** The server the event is about. */
        long id();
    }

    /** Server {@code id}'s peer endpoint is {@code ref} (first seen, or changed). */
    public record PeerUp(long id, ActorRef<PeerMessage> ref) implements Event {
    }

    /** Server {@code id} has no reachable registered endpoint any more. */
    public record PeerGone(long id) implements Event {
    }

    /** The cluster member at server {@code id}'s address became unreachable ({@code false}) or reachable again. */
    public record Reachability(long id, boolean reachable) implements Event {
    }

    /** The directory's own messages; none is public: it only reacts to the Receptionist and the cluster. */
    public interface Command {
    }

    private record ListingChanged(Receptionist.Listing listing) implements Command {
    }

    private record MemberChanged(ClusterEvent.MemberEvent event) implements Command {
    }

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Command {
    }

    /** The Receptionist key under which server {@code serverId} registers its peer endpoint. */
    public static ServiceKey<PeerMessage> key(long serverId) {
        return ServiceKey.create(PeerMessage.class, "zab-peer-" + serverId);
    }

    /**
     * The directory of the ensemble node configured by {@code cfg}.
     *
     * @param endpoint this node's peer endpoint, registered as {@code zab-peer-<cfg.serverId()>}
     * @param listener told {@link Event}s about the other configured servers
     */
    public static Behavior<Command> create(NodeConfig cfg, ActorRef<PeerMessage> endpoint, ActorRef<Event> listener) {
        if (cfg.isStandalone()) {
            throw new IllegalArgumentException("PeerDirectory needs an ensemble node's config");
        }
        return Behaviors.setup(ctx -> new Directory(cfg, listener, ctx).start(endpoint));
    }

    private static final class Directory {
        private final NodeConfig cfg;
        private final ActorRef<Event> listener;
        private final ActorContext<Command> ctx;
        private final Map<ServiceKey<PeerMessage>, Long> ids = new HashMap<>();
        private final Map<Long, ActorRef<PeerMessage>> current = new HashMap<>();
        private final Set<Long> unreachable = new HashSet<>();

        Directory(NodeConfig cfg, ActorRef<Event> listener, ActorContext<Command> ctx) {
            this.cfg = cfg;
            this.listener = listener;
            this.ctx = ctx;
            ctx.setLoggerName(PeerDirectory.class);
        }

        Behavior<Command> start(ActorRef<PeerMessage> endpoint) {
            ActorRef<Receptionist.Command> receptionist = ctx.getSystem().receptionist();
            receptionist.tell(Receptionist.register(key(cfg.serverId()), endpoint));
            ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class, ListingChanged::new);
            for (long id : cfg.servers().keySet()) {
                if (id != cfg.serverId()) {
                    ServiceKey<PeerMessage> k = key(id);
                    ids.put(k, id);
                    receptionist.tell(Receptionist.subscribe(k, listings));
                }
            }
            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
            cluster.subscriptions().tell(Subscribe.create(
                ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
                ClusterEvent.ReachabilityEvent.class));
            return Behaviors.receive(Command.class)
                .onMessage(ListingChanged.class, m -> onListing(m.listing()))
                .onMessage(MemberChanged.class, m -> onMember(m.event()))
                .onMessage(ReachabilityChanged.class, m -> onReachability(m.event()))
                .build();
        }

        private Behavior<Command> onListing(Receptionist.Listing listing) {
            Long id = ids.get(listing.getKey());
            if (id == null) {
                return Behaviors.same();
            }
            @SuppressWarnings("unchecked")
            ServiceKey<PeerMessage> k = (ServiceKey<PeerMessage>) listing.getKey();
            // reachable nodes' registrations only: an unreachable node's endpoint cannot be talked to
            Set<ActorRef<PeerMessage>> refs = listing.getServiceInstances(k);
            ActorRef<PeerMessage> before = current.get(id);
            if (refs.isEmpty()) {
                if (before != null) {
                    current.remove(id);
                    ctx.getLog().info("peer {} gone (was {})", id, before);
                    listener.tell(new PeerGone(id));
                }
            } else if (before == null || !refs.contains(before)) {
                // normally one; two while a restarted node's old registration is still listed (its old
                // incarnation reachable until removed): take one we have not been using
                ActorRef<PeerMessage> ref = another(refs, before);
                current.put(id, ref);
                ctx.getLog().info("peer {} is {}", id, ref);
                listener.tell(new PeerUp(id, ref));
            }
            return Behaviors.same();
        }

        private static ActorRef<PeerMessage> another(Set<ActorRef<PeerMessage>> refs, ActorRef<PeerMessage> before) {
            ActorRef<PeerMessage> pick = null;
            for (ActorRef<PeerMessage> r : refs) {
                // deterministic among several (the actor uid), so that every node picks the same one
                if (!r.equals(before) && (pick == null || r.path().uid() > pick.path().uid())) {
                    pick = r;
                }
            }
            return pick;
        }

        private Behavior<Command> onMember(ClusterEvent.MemberEvent event) {
            // a new incarnation of an unreachable server has joined: it is reachable
            if (event instanceof ClusterEvent.MemberJoined || event instanceof ClusterEvent.MemberWeaklyUp
                || event instanceof ClusterEvent.MemberUp) {
                Member m = event.member();
                OptionalLong id = peerId(m.address());
                if (id.isPresent() && unreachable.contains(id.getAsLong())
                    && !Cluster.get(ctx.getSystem()).state().getUnreachable().contains(m)) {
                    reachability(id.getAsLong(), true);
                }
            }
            return Behaviors.same();
        }

        private Behavior<Command> onReachability(ClusterEvent.ReachabilityEvent event) {
            OptionalLong id = peerId(event.member().address());
            if (id.isPresent()) {
                reachability(id.getAsLong(), event instanceof ClusterEvent.ReachableMember);
            }
            return Behaviors.same();
        }

        private void reachability(long id, boolean reachable) {
            boolean changed = reachable ? unreachable.remove(id) : unreachable.add(id);
            if (changed) {
                ctx.getLog().info("server {} is {}", id, reachable ? "reachable again" : "unreachable");
                listener.tell(new Reachability(id, reachable));
            }
        }

        private OptionalLong peerId(Address address) {
            OptionalLong id = PeerAddresses.serverId(cfg, address);
            return id.isPresent() && id.getAsLong() != cfg.serverId() ? id : OptionalLong.empty();
        }
    }
}
