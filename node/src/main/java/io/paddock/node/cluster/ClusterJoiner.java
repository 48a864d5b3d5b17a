package io.paddock.node.cluster;

import io.paddock.config.NodeConfig;
import io.paddock.config.ServerSpec;
import io.paddock.protocol.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.apache.pekko.remote.artery.ThisActorSystemQuarantinedEvent;

/**
 * Brings its node into the ensemble's pekko-cluster without a seed-node list. Spawn it on every
 * ensemble node at the well-known path {@code /user/joiner} (a child named {@value #NAME} of the
 * guardian): the joiners find each other there, at {@code pekko://paddock@host:quorumPort/user/joiner}
 * of every configured server.
 *
 * <p>While its node is not a member it probes every other configured server's joiner each
 * {@link #PROBE_INTERVAL}. It joins the cluster of the lowest-id server that answers that it is a
 * member; when no one is, the lowest-id voter that holds the grants of a majority of the voters
 * (itself included) forms the cluster by joining itself ({@link JoinRules} has the rule and why
 * it forms at most one cluster, even under a partition). Observers never form one. Once a member,
 * it stops probing and keeps answering probes, so that nodes started later, and new incarnations
 * of restarted nodes, find the cluster. Every {@link #SPLIT_CHECK_INTERVAL} a member also probes
 * the configured servers outside its cluster: should a second cluster ever have formed, the
 * members of the losing one down themselves ({@link SplitRules}).
 *
 * <p>The joiner leaves only when its node shuts down (first thing in coordinated shutdown), and
 * downs only to unblock a join: Pekko lets a restarted server's new incarnation replace its old
 * one only when the cluster has converged, which an unreachable member prevents; a member that a
 * joiner has been asking for a while, and that sees a majority of the voters alive, downs the
 * members unreachable for {@link #UNREACHABLE_BEFORE_DOWN} or more ({@link UnblockRules}).
 * Joining itself is only asked of Pekko ({@code Cluster.manager() ! Join}). A node counts as a
 * member as soon as it has been welcomed (status Joining, WeaklyUp or Up).
 */
public final class ClusterJoiner {
    /** The joiner's actor name under {@code /user}. */
    public static final String NAME = "joiner";
    /** How often a non-member probes the other servers. */
    public static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
    /** How long a grant binds the granting voter (JoinRules). */
    static final Duration GRANT_LEASE = Duration.ofSeconds(5);
    /** How long a server counts as alive after it was last heard from. */
    static final Duration ALIVE_WINDOW = Duration.ofSeconds(2);
    /** How long to wait for one Join to succeed before asking again (Pekko's own retry is 10 s). */
    static final Duration JOIN_RETRY = Duration.ofSeconds(1);
    /** A joiner asking the same member for this long is blocked (UnblockRules). */
    static final Duration BLOCKED_AFTER = Duration.ofSeconds(3);
    /** Only members unreachable for this long are downed to unblock a join (UnblockRules). */
    static final Duration UNREACHABLE_BEFORE_DOWN = Duration.ofSeconds(5);
    /** How often a member probes the configured servers outside its cluster, to find a split (SplitRules). */
    static final Duration SPLIT_CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final long NO_ONE = -1;

    private ClusterJoiner() {
    }

    /** The joiner's messages; only {@link Probe} and {@link Answer} travel between nodes. */
    public sealed interface Command permits Probe, Answer, Tick, QuarantinedBy {
    }

    /**
     * From a non-member's joiner to every other configured server's joiner, each probe round.
     *
     * @param sender     the prober's server id
     * @param round      the prober's round number, echoed in the answer
     * @param joiningVia the server whose cluster the prober is asking to join now (it asks one at a
     *                   time), or -1
     * @param member     whether the prober is a member (looking for a split cluster; it wants no grant)
     * @param replyTo    the prober's joiner
     */
    public record Probe(long sender, long round, long joiningVia, boolean member, ActorRef<Answer> replyTo)
        implements Command, CborSerializable {
    }

    /**
     * The answer to a {@link Probe}.
     *
     * @param sender        the answering server's id
     * @param round         the probe's round
     * @param member        whether the answering node is a cluster member
     * @param memberAddress its cluster address when it is a member (join it there), else null
     * @param grant         whether it grants the prober the right to form the cluster (never when a member)
     * @param members       when a member: the configured servers in its cluster (as it sees it); else empty
     * @param memberUids    the incarnation (ActorSystem uid) of each of {@code members}, in the same order;
     *                      empty when not told (every incarnation is then taken as the same)
     */
    public record Answer(long sender, long round, boolean member, String memberAddress, boolean grant,
                         List<Long> members, List<Long> memberUids) implements Command, CborSerializable {
        public Answer {
            members = members == null ? List.of() : List.copyOf(members);
            memberUids = memberUids == null ? List.of() : List.copyOf(memberUids);
        }

        public Answer(long sender, long round, boolean member, String memberAddress, boolean grant, List<Long> members) {
            this(sender, round, member, memberAddress, grant, members, List.of());
        }

        /** The members as incarnations (uid 0 for all when the uids were not told). */
        Set<SplitRules.Incarnation> incarnations() {
            Set<SplitRules.Incarnation> out = new HashSet<>();
            for (int i = 0; i < members.size(); i++) {
                out.add(new SplitRules.Incarnation(members.get(i), memberUids.size() == members.size() ? memberUids.get(i) : 0));
            }
            return out;
        }
    }

    private enum Tick implements Command { INSTANCE }

    private record QuarantinedBy(ThisActorSystemQuarantinedEvent event) implements Command {
    }

    /** The joiner of the ensemble node configured by {@code cfg}. */
    public static Behavior<Command> create(NodeConfig cfg) {
        if (cfg.isStandalone() || cfg.self() == null) {
            throw new IllegalArgumentException("ClusterJoiner needs an ensemble node's config (with its own server line)");
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Joiner(cfg, ctx, timers).behavior()));
    }

    private static final class Joiner {
        private final NodeConfig cfg;
        private final ActorContext<Command> ctx;
        private final Cluster cluster;
        private final JoinRules rules;
        private final UnblockRules unblock;
        private final SplitRules split;
        private final Map<Long, ActorRef<Command>> peerById = new HashMap<>();
        private long lastSplitCheck;
        private boolean splitReported;
        private boolean downingSelf;
        private final Set<String> downed = new HashSet<>();
        private final ActorRef<Answer> self;
        private final long startedAt = System.nanoTime();
        private long joinAskedAt;
        private Address joinAskedOf;
        private long joinTarget = NO_ONE;
        private boolean probing = true;

        Joiner(NodeConfig cfg, ActorContext<Command> ctx, TimerScheduler<Command> timers) {
            this.cfg = cfg;
            this.ctx = ctx;
            ctx.setLoggerName(ClusterJoiner.class);
            this.cluster = Cluster.get(ctx.getSystem());
            this.rules = new JoinRules(cfg.serverId(), cfg.voters(), GRANT_LEASE.toNanos(), ALIVE_WINDOW.toNanos());
            this.unblock = new UnblockRules(cfg.serverId(), cfg.voters(), BLOCKED_AFTER.toNanos(),
                UNREACHABLE_BEFORE_DOWN.toNanos(), ALIVE_WINDOW.toNanos());
            this.split = new SplitRules(cfg.serverId(), cfg.voters());
            this.self = ctx.getSelf().narrow();
            ActorRefResolver resolver = ActorRefResolver.get(ctx.getSystem());
            for (Map.Entry<Long, ServerSpec> e : cfg.servers().entrySet()) {
                if (e.getKey() != cfg.serverId()) {
                    peerById.put(e.getKey(), resolver.resolveActorRef(PeerAddresses.joinerPath(e.getValue())));
                }
            }
            ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(ThisActorSystemQuarantinedEvent.class,
                ctx.messageAdapter(ThisActorSystemQuarantinedEvent.class, QuarantinedBy::new)));
            leaveFirstOnShutdown(ctx.getSystem(), cluster);
            // probes while not a member, then unblocks others' joins (unblockJoins)
            timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, PROBE_INTERVAL);
        }

        /**
         * A node that shuts down asks to leave the cluster before anything else stops: the leave
         * takes a few gossip rounds, and a member that has left is removed, so that the node's next
         * incarnation on the same host:port is welcomed at its first Join (the old incarnation, left
         * behind, must first be downed, which costs that Join and a retry). Pekko's own leave comes
         * only after the node's services have stopped; asking earlier lets the two overlap. The wait
         * for the leave to complete stays Pekko's (phase cluster-exiting, bounded in paddock-node.conf).
         */
        private static void leaveFirstOnShutdown(ActorSystem<?> system, Cluster cluster) {
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "leave-cluster-first",
                () -> {
                    MemberStatus s = cluster.selfMember().status();
                    if (s == MemberStatus.up() || s == MemberStatus.weaklyUp() || s == MemberStatus.joining()) {
                        cluster.manager().tell(Leave.create(cluster.selfMember().address()));
                    }
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
        }

        Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                .onMessage(Probe.class, this::onProbe)
                .onMessage(Answer.class, this::onAnswer)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(QuarantinedBy.class, this::onQuarantined)
                .build();
        }

        private Behavior<Command> onTick() {
            if (!probing || isMember()) {
                // a member for good: a node that is downed or leaves is not let in again; only a new
                // incarnation (a new ActorSystem) can join
                stopProbing();
                if (isMember()) {
                    unblockJoins();
                    probeOutsiders();
                }
                return Behaviors.same();
            }
            long now = System.nanoTime();
            long round = rules.startRound(now);
            Probe probe = new Probe(cfg.serverId(), round, joinTarget, false, self);
            for (ActorRef<Command> peer : peerById.values()) {
                peer.tell(probe);
            }
            act(rules.decide(now), now);
            return Behaviors.same();
        }

        private Behavior<Command> onProbe(Probe p) {
            if (isMember()) {
                if (p.joiningVia() == cfg.serverId()) {
                    unblock.onJoinRequest(p.sender(), System.nanoTime());
                }
                List<Long> ids = new ArrayList<>();
                List<Long> uids = new ArrayList<>();
                for (SplitRules.Incarnation i : memberIncarnations()) {
                    ids.add(i.id());
                    uids.add(i.uid());
                }
                p.replyTo().tell(new Answer(cfg.serverId(), p.round(), true, cluster.selfMember().address().toString(), false,
                    ids, uids));
            } else {
                boolean grant = false;
                if (p.member()) {
                    rules.onMemberProbe(System.nanoTime());
                } else {
                    grant = rules.onProbe(p.sender(), System.nanoTime());
                }
                p.replyTo().tell(new Answer(cfg.serverId(), p.round(), false, null, grant, List.of()));
            }
            return Behaviors.same();
        }

        private Behavior<Command> onAnswer(Answer a) {
            if (!probing || isMember()) {
                if (isMember()) {
                    checkSplit(a);
                }
                return Behaviors.same();
            }
            long now = System.nanoTime();
            rules.onAnswer(a.sender(), a.round(), a.member(), a.memberAddress(), a.grant(), now);
            act(rules.decide(now), now);
            return Behaviors.same();
        }

        private void act(JoinRules.Decision decision, long now) {
            if (decision instanceof JoinRules.JoinMember j) {
                Address target = AddressFromURIString.parse(j.address());
                if (joinAskedOf != null && now - joinAskedAt < JOIN_RETRY.toNanos()) {
                    return; // Pekko is still at it
                }
                ctx.getLog().info("joining the cluster through server {} at {} ({} ms after start)",
                    j.serverId(), target, (now - startedAt) / 1_000_000);
                joinAskedOf = target;
                joinAskedAt = now;
                joinTarget = j.serverId();
                cluster.manager().tell(Join.create(target));
            } else if (decision == JoinRules.FormCluster.INSTANCE) {
                ctx.getLog().info("forming the cluster: no member found, and voters {} grant it to server {} ({} ms after start)",
                    rules.grantors(now), cfg.serverId(), (now - startedAt) / 1_000_000);
                rules.formed();
                joinAskedOf = cluster.selfMember().address();
                joinAskedAt = now;
                cluster.manager().tell(Join.create(joinAskedOf));
            }
        }

        /**
         * Another server has quarantined this incarnation: it removed it from the cluster (it was
         * downed while cut off, see UnblockRules) and will never talk to it again. The node learns
         * nothing else (its gossip is dropped, so it would stay a member in its own eyes, with the
         * others unreachable, for ever): it downs itself, and Pekko stops this ActorSystem, so that
         * the node can come back as a new incarnation.
         */
        private Behavior<Command> onQuarantined(QuarantinedBy q) {
            OptionalLong by = PeerAddresses.serverId(cfg, q.event().remoteAddress().address());
            if (by.isEmpty()) {
                return Behaviors.same();
            }
            if (isMember()) {
                downSelf("server " + by.getAsLong() + " has removed this node from the cluster and quarantined it");
            } else {
                ctx.getLog().warn("server {} has quarantined this node, which is not a member", by.getAsLong());
            }
            return Behaviors.same();
        }

        /**
         * Every SPLIT_CHECK_INTERVAL, a member probes the configured servers that are not reachable
         * members of its cluster: outsiders, and servers it lists only as an unreachable member (a
         * server restarted into another cluster leaves its old incarnation listed here).
         */
        private void probeOutsiders() {
            long now = System.nanoTime();
            if (now - lastSplitCheck < SPLIT_CHECK_INTERVAL.toNanos()) {
                return;
            }
            lastSplitCheck = now;
            Set<Long> inside = new HashSet<>(memberIds());
            inside.removeAll(unreachableIds());
            Probe probe = new Probe(cfg.serverId(), 0, NO_ONE, true, self);
            peerById.forEach((id, peer) -> {
                if (!inside.contains(id)) {
                    peer.tell(probe);
                }
            });
        }

        private void checkSplit(Answer a) {
            if (!a.member()) {
                split.clear(a.sender());
                return;
            }
            Set<SplitRules.Incarnation> theirs = a.incarnations();
            SplitRules.Incarnation from = theirs.stream().filter(i -> i.id() == a.sender()).findFirst()
                .orElse(new SplitRules.Incarnation(a.sender(), 0));
            SplitRules.Verdict verdict = split.onMemberAnswer(from, theirs,
                a.memberUids().isEmpty() ? withoutUids(memberIncarnations()) : memberIncarnations(), unreachableIds());
            if (verdict == SplitRules.Verdict.WE_LOSE) {
                downSelf("two clusters: server " + a.sender() + " is a member of another one, of servers " + a.members()
                    + ", which wins over this node's, of servers " + memberIds());
            } else if (verdict == SplitRules.Verdict.WE_WIN && !splitReported) {
                splitReported = true;
                ctx.getLog().warn("two clusters: server {} is a member of another one, of servers {}; this node's cluster,"
                    + " of servers {}, wins: the other's members will stop and rejoin", a.sender(), a.members(),
                    memberIds());
            }
        }

        /** Downs this node, once: Pekko then stops its ActorSystem, and the node must be restarted to rejoin. */
        private void downSelf(String why) {
            if (!downingSelf) {
                downingSelf = true;
                ctx.getLog().error("{}; downing this node, which stops its ActorSystem: restart the node to rejoin", why);
                cluster.manager().tell(new Down(cluster.selfMember().address()));
            }
        }

        /** The members of this node's cluster (any status) that are configured servers, itself included, with their uids. */
        private Set<SplitRules.Incarnation> memberIncarnations() {
            Set<SplitRules.Incarnation> out = new HashSet<>();
            for (Member m : cluster.state().getMembers()) {
                PeerAddresses.serverId(cfg, m.address())
                    .ifPresent(id -> out.add(new SplitRules.Incarnation(id, m.uniqueAddress().longUid())));
            }
            out.add(new SplitRules.Incarnation(cfg.serverId(), cluster.selfMember().uniqueAddress().longUid()));
            return out;
        }

        private static Set<SplitRules.Incarnation> withoutUids(Set<SplitRules.Incarnation> members) {
            Set<SplitRules.Incarnation> out = new HashSet<>();
            members.forEach(i -> out.add(new SplitRules.Incarnation(i.id(), 0)));
            return out;
        }

        /** The configured servers among this node's cluster members that its failure detector finds unreachable. */
        private Set<Long> unreachableIds() {
            Set<Long> ids = new HashSet<>();
            for (Member m : cluster.state().getUnreachable()) {
                PeerAddresses.serverId(cfg, m.address()).ifPresent(ids::add);
            }
            return ids;
        }

        /** The configured servers among the members of this node's cluster (any status), itself included. */
        private Set<Long> memberIds() {
            Set<Long> ids = new java.util.TreeSet<>();
            for (Member m : cluster.state().getMembers()) {
                PeerAddresses.serverId(cfg, m.address()).ifPresent(ids::add);
            }
            ids.add(cfg.serverId());
            return ids;
        }

        /** Downs long-unreachable members when that is what keeps a server from joining (UnblockRules). */
        private void unblockJoins() {
            ClusterEvent.CurrentClusterState state = cluster.state();
            Set<Member> unreachable = state.getUnreachable();
            List<UnblockRules.MemberView> views = new ArrayList<>();
            Map<String, Member> byKey = new HashMap<>();
            Address selfAddress = cluster.selfMember().address();
            for (Member m : state.getMembers()) {
                if (m.address().equals(selfAddress)) {
                    continue;
                }
                String key = m.uniqueAddress().toString();
                byKey.put(key, m);
                MemberStatus s = m.status();
                boolean down = s == MemberStatus.down() || s == MemberStatus.exiting() || s == MemberStatus.removed();
                views.add(new UnblockRules.MemberView(PeerAddresses.serverId(cfg, m.address()).orElse(NO_ONE), key, down,
                    !unreachable.contains(m)));
            }
            for (UnblockRules.MemberView v : unblock.toDown(views, System.nanoTime())) {
                Member m = byKey.get(v.key());
                if (downed.add(v.key())) {
                    ctx.getLog().warn("downing {} (server {}): unreachable for {} s or more, and servers it blocks from"
                        + " joining plus the reachable members are a majority of the voters", m, v.id(),
                        UNREACHABLE_BEFORE_DOWN.toSeconds());
                }
                cluster.manager().tell(new Down(m.address()));
            }
        }

        private void stopProbing() {
            if (probing) {
                probing = false;
                joinTarget = NO_ONE;
                ctx.getLog().info("member of the cluster as {} ({} ms after start); no more probing",
                    cluster.selfMember(), (System.nanoTime() - startedAt) / 1_000_000);
            }
        }

        /** Welcomed into a cluster: Joining (welcomed, not yet Up), WeaklyUp or Up. */
        private boolean isMember() {
            MemberStatus s = cluster.selfMember().status();
            return s == MemberStatus.up() || s == MemberStatus.weaklyUp() || s == MemberStatus.joining();
        }
    }
}
