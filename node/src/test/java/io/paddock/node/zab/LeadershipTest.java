package io.paddock.node.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.node.zab.Leadership.Action;
import io.paddock.persistence.HistoryWindow;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The leader's rules without actors: each test drives a {@link Leadership} through its inputs and
 * checks the actions, in order. Server 1 leads voters 1, 2, 3; server 4 observes. The leader's
 * log ends at 0x40000000a; the new epoch is 5.
 */
class LeadershipTest {
    private static final long SELF = 1;
    private static final long OBSERVER = 4;
    private static final long TICK = 100;
    private static final long LAST = Zxid.make(4, 10);
    private static final long EPOCH = 5;
    private static final Leadership.Settings SETTINGS = settings(1 << 20, 0xffffffffL);
    private static final byte[] IMAGE = {1, 2, 3};

    private final Map<Long, Learner> learners = new HashMap<>();
    private long now = 1_000;

    private static Leadership.Settings settings(int maxBuffer, long maxCounter) {
        return settings(maxBuffer, maxCounter, 1L << 30);
    }

    private static Leadership.Settings settings(int maxBuffer, long maxCounter, long maxUnackedBytes) {
        return new Leadership.Settings(TICK, 5, 10, maxBuffer, HistoryWindow.of(100), maxCounter, maxUnackedBytes);
    }

    /** A learner's side of one session: numbers what it sends, and reads what the leader sent it. */
    private final class Learner {
        final long id;
        final long session;
        final boolean observer;
        long seq;

        Learner(long id, boolean observer) {
            this(id, observer, 100 + id);
        }

        Learner(long id, boolean observer, long session) {
            this.id = id;
            this.session = session;
            this.observer = observer;
        }

        /** The same learner in a new session, after its last one ended. */
        Learner again() {
            Learner next = new Learner(id, observer, session + 1_000);
            learners.put(id, next);
            return next;
        }

        LearnerMessage.FollowerInfo info(long acceptedEpoch, long lastZxid) {
            return new LearnerMessage.FollowerInfo(id, session, ++seq, acceptedEpoch, lastZxid, observer);
        }

        LearnerMessage.AckEpoch ackEpoch(long currentEpoch, long lastZxid) {
            return new LearnerMessage.AckEpoch(id, session, ++seq, currentEpoch, lastZxid);
        }

        LearnerMessage.AckNewLeader ackNewLeader(long lastZxid) {
            return new LearnerMessage.AckNewLeader(id, session, ++seq, lastZxid);
        }

        LearnerMessage.Ack ack(long upTo) {
            return new LearnerMessage.Ack(id, session, ++seq, upTo);
        }

        LearnerMessage.SyncRequest syncRequest(long token) {
            return new LearnerMessage.SyncRequest(id, session, ++seq, token);
        }

        LearnerMessage.LearnerPing ping() {
            return new LearnerMessage.LearnerPing(id, session, ++seq, List.of());
        }
    }

    private Learner learner(long id) {
        return learners.computeIfAbsent(id, i -> new Learner(i, i == OBSERVER));
    }

    private static Leadership<String> leader(Leadership.Settings settings) {
        return Leadership.elected(SELF, new QuorumVerifier(List.of(1L, 2L, 3L)), settings);
    }

    /** The sync asked for learner {@code id}'s image, in its session; returns what the image's arrival sends. */
    private List<Action<String>> imageArrives(Leadership<String> l, List<Action<String>> sync, long id, Leadership.Image image) {
        assertThat(sentTo(id, sync)).as("nothing goes out before the image").isEmpty();
        assertThat(of(Leadership.SerializeImage.class, sync)).containsExactly(
            new Leadership.SerializeImage<>(id, learner(id).session));
        return l.imageReady(id, learner(id).session, image);
    }

    private static Txn txn(long zxid, int dataBytes) {
        return new Txn(zxid, 9, 1, 0, new TxnOp.SetDataTxn("/n", new byte[dataBytes], 1));
    }

    private static List<Txn> history(long... zxids) {
        return LongStream.of(zxids).mapToObj(z -> txn(z, 1)).toList();
    }

    private static <R> List<LearnerMessage> sentTo(long id, List<Action<R>> actions) {
        return actions.stream().filter(a -> a instanceof Leadership.Send<R> s && s.to() == id)
            .map(a -> ((Leadership.Send<R>) a).message()).toList();
    }

    private static <R, T> List<T> of(Class<T> type, List<Action<R>> actions) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private List<Action<String>> from(Leadership<String> l, LearnerMessage m) {
        return l.learnerMessage(m, now);
    }

    /** Discovery with learner 2 (its log ending at {@code learnerZxid}); returns the actions of the history read (its sync). */
    private List<Action<String>> discover(Leadership<String> l, long learnerZxid, long... history) {
        assertThat(l.start(4, 4, LAST)).isEmpty();
        assertThat(from(l, learner(2).info(4, learnerZxid))).containsExactly(new Leadership.PersistAcceptedEpoch<>(EPOCH));
        assertThat(l.acceptedEpochPersisted()).singleElement().isInstanceOf(Leadership.Send.class);
        List<Action<String>> done = from(l, learner(2).ackEpoch(4, learnerZxid));
        assertThat(done).containsExactly(new Leadership.PersistCurrentEpoch<>(EPOCH), new Leadership.ReadHistory<>());
        long floor = history.length == 0 ? LAST : history[0] - 1;
        return l.historyRead(history(history), floor, LAST, LAST, new java.util.ArrayDeque<>());
    }

    /** An established leadership with learner 2 synced. */
    private Leadership<String> established() {
        return established(SETTINGS);
    }

    private Leadership<String> established(Leadership.Settings settings) {
        Leadership<String> l = leader(settings);
        discover(l, LAST);
        l.currentEpochPersisted();
        List<Action<String>> acks = from(l, learner(2).ackNewLeader(LAST));
        assertThat(of(Leadership.Established.class, acks)).containsExactly(new Leadership.Established<>(EPOCH, LAST, 1));
        return l;
    }

    private List<Action<String>> propose(Leadership<String> l, String request) {
        return l.propose(txn(l.nextZxid(), 1), request);
    }

    // ---- discovery and establishing

    @Test
    void establishesOnlyOnceItsEpochIsCurrentAndAQuorumAckedNewLeader() {
        Leadership<String> l = leader(SETTINGS);
        List<Action<String>> sync = discover(l, LAST);
        assertThat(sentTo(2, sync)).extracting(m -> m.getClass().getSimpleName()).containsExactly("Diff", "NewLeader");
        assertThat(from(l, learner(2).ackNewLeader(LAST))).as("the epoch is not durable here yet").isEmpty();
        List<Action<String>> current = l.currentEpochPersisted();
        assertThat(current.get(0)).isEqualTo(new Leadership.Established<String>(EPOCH, LAST, 1));
        assertThat(sentTo(2, current)).singleElement().isInstanceOf(LearnerMessage.UpToDate.class);
        assertThat(l.established()).isTrue();
        assertThat(l.nextZxid()).isEqualTo(Zxid.make(EPOCH, 1));
    }

    @Test
    void anObserversNewLeaderAckIsNotPartOfTheQuorum() {
        Leadership<String> l = leader(SETTINGS);
        discover(l, LAST);
        l.currentEpochPersisted();
        assertThat(from(l, learner(OBSERVER).info(4, LAST))).isNotEmpty(); // LeaderInfo: discovery is done
        from(l, learner(OBSERVER).ackEpoch(4, LAST));
        assertThat(of(Leadership.Established.class, from(l, learner(OBSERVER).ackNewLeader(LAST)))).isEmpty();
        assertThat(l.established()).isFalse();
        assertThat(of(Leadership.Established.class, from(l, learner(2).ackNewLeader(LAST)))).hasSize(1);
    }

    @Test
    void aNewLeaderAckOfALearnerWhoseSessionEndedNoLongerCounts() {
        Leadership<String> l = leader(SETTINGS);
        discover(l, LAST);
        from(l, learner(2).ackNewLeader(LAST));
        from(l, new LearnerMessage.EndSession(2, learner(2).session, ++learner(2).seq, "restarting"));
        assertThat(l.currentEpochPersisted()).isEmpty();
        assertThat(l.established()).isFalse();
    }

    @Test
    void followerInfosBeforeTheLogIsDrainedWaitForTheStart() {
        Leadership<String> l = leader(SETTINGS);
        assertThat(from(l, learner(2).info(4, LAST))).isEmpty();
        assertThat(l.started()).isFalse();
        assertThat(l.start(4, 4, LAST)).containsExactly(new Leadership.PersistAcceptedEpoch<>(EPOCH));
    }

    @Test
    void aStandalonePersistsItsEpochBeforeItServesZooKeeper1291() {
        Leadership<String> l = Leadership.standalone(SELF, SETTINGS, EPOCH, LAST);
        assertThat(l.startStandalone()).containsExactly(new Leadership.PersistAcceptedEpoch<>(EPOCH),
            new Leadership.PersistCurrentEpoch<>(EPOCH));
        assertThat(l.established()).isFalse();
        assertThat(l.currentEpochPersisted()).containsExactly(new Leadership.Established<>(EPOCH, LAST, 0));
        propose(l, "w");
        List<Action<String>> flushed = l.flush();
        assertThat(l.logDurable(Zxid.make(EPOCH, 1))).as("a quorum of one: its own log")
            .singleElement().isInstanceOf(Leadership.Apply.class);
        assertThat(flushed).singleElement().isInstanceOf(Leadership.Log.class);
    }

    @Test
    void noEstablishedEpochWithinInitLimitStepsDown() {
        Leadership<String> l = leader(SETTINGS);
        discover(l, LAST);
        List<Action<String>> out = l.establishTimeout();
        assertThat(sentTo(2, out)).singleElement().isInstanceOf(LearnerMessage.EndSession.class);
        assertThat(of(Leadership.StepDown.class, out)).singleElement()
            .satisfies(s -> assertThat(s.reason()).contains("initLimit"));
        assertThat(l.steppedDown()).isTrue();
        assertThat(from(l, learner(2).ping())).as("after the step-down nothing is taken").isEmpty();
    }

    // ---- sync

    @Test
    void aLearnerBehindWithinTheHistoryGetsADiffOfWhatItLacks() {
        Leadership<String> l = leader(SETTINGS);
        List<Action<String>> sync = discover(l, Zxid.make(4, 8), Zxid.make(4, 7), Zxid.make(4, 8), Zxid.make(4, 9), LAST);
        LearnerMessage.Diff diff = (LearnerMessage.Diff) sentTo(2, sync).get(0);
        assertThat(diff.txns()).extracting(Txn::zxid).containsExactly(Zxid.make(4, 9), LAST);
        assertThat(of(Leadership.Synced.class, sync)).singleElement()
            .satisfies(s -> assertThat(s.plan()).isInstanceOf(SyncPlanner.Diff.class));
    }

    @Test
    void aLearnerBelowTheHistoryGetsTheImageInPartsThenTheHistoryAboveIt() {
        byte[] image = new byte[10_000];
        Leadership<String> l = leader(settings(4096, 0xffffffffL));
        List<Action<String>> sync = discover(l, Zxid.make(3, 5), Zxid.make(4, 8), Zxid.make(4, 9), LAST);
        List<Action<String>> ready = imageArrives(l, sync, 2, new Leadership.Image(Zxid.make(4, 8), image));
        List<LearnerMessage> msgs = sentTo(2, ready);
        assertThat(msgs).extracting(m -> m.getClass().getSimpleName())
            .containsExactly("SnapPart", "SnapPart", "SnapPart", "Diff", "NewLeader");
        assertThat(((LearnerMessage.Diff) msgs.get(3)).txns()).extracting(Txn::zxid)
            .as("the history above the image").containsExactly(Zxid.make(4, 9), LAST);
        assertThat(msgs).extracting(LearnerMessage::seq).containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    /** The node hands the image over in parts of its own size; the SnapParts are cut by jute.maxbuffer across them. */
    @Test
    void anImageInPartsGoesOutInSnapPartsOfMaxBufferWithItsBytesInOrder() {
        byte[] first = new byte[3000];
        byte[] second = new byte[7000];
        byte[] third = {3, 3, 3, 3, 3};
        java.util.Arrays.fill(first, (byte) 1);
        java.util.Arrays.fill(second, (byte) 2);
        Leadership<String> l = leader(settings(4096, 0xffffffffL));
        List<Action<String>> sync = discover(l, Zxid.make(3, 5), Zxid.make(4, 8), Zxid.make(4, 9), LAST);
        List<Action<String>> ready = imageArrives(l, sync, 2,
            new Leadership.Image(Zxid.make(4, 8), List.of(first, new byte[0], second, third)));
        List<LearnerMessage.SnapPart> parts = sentTo(2, ready).stream().filter(LearnerMessage.SnapPart.class::isInstance)
            .map(LearnerMessage.SnapPart.class::cast).toList();

        assertThat(parts).extracting(p -> p.part().length).containsExactly(4096, 4096, 1813);
        assertThat(parts).extracting(LearnerMessage.SnapPart::count).containsOnly(3);
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        parts.forEach(p -> joined.writeBytes(p.part()));
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        List.of(first, second, third).forEach(expected::writeBytes);
        assertThat(joined.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aRingThatDoesNotReachTheTreeGivesWayToWhatWasLoggedAboveIt() {
        // a follower whose commits lagged, now elected: its tree is at 0x400000007, its ring starts above 0x400000008
        Leadership<String> l = leader(SETTINGS);
        l.start(4, 4, LAST);
        from(l, learner(2).info(4, Zxid.make(4, 7)));
        l.acceptedEpochPersisted();
        from(l, learner(2).ackEpoch(4, Zxid.make(4, 7)));
        java.util.ArrayDeque<Txn> unapplied = new java.util.ArrayDeque<>(history(Zxid.make(4, 8), Zxid.make(4, 9), LAST));
        List<Action<String>> sync = l.historyRead(history(Zxid.make(4, 9), LAST), Zxid.make(4, 8), LAST, Zxid.make(4, 7),
            unapplied);
        assertThat(((LearnerMessage.Diff) sentTo(2, sync).get(0)).txns()).extracting(Txn::zxid)
            .containsExactly(Zxid.make(4, 8), Zxid.make(4, 9), LAST);
        Leadership<String> gap = leader(SETTINGS);
        assertThatThrownBy(() -> gap.historyRead(history(Zxid.make(4, 9), LAST), Zxid.make(4, 8), LAST, Zxid.make(4, 7),
            new java.util.ArrayDeque<>(history(Zxid.make(4, 8), Zxid.make(4, 9))))).hasMessageContaining("are not all known");
    }

    @Test
    void aSnapOfATreeBelowTheHistorysFloorIsRefused() {
        Leadership<String> l = leader(SETTINGS);
        List<Action<String>> sync = discover(l, Zxid.make(3, 5), Zxid.make(4, 9), LAST);
        assertThatThrownBy(() -> imageArrives(l, sync, 2, new Leadership.Image(Zxid.make(4, 2), IMAGE)))
            .hasMessageContaining("cannot be followed by the history");
    }

    /**
     * A SNAP's image is serialized off the leader's thread: writes go on meanwhile, the learner gets
     * none of them as proposals, and every one of them (the history kept whole, however small its
     * window) follows the image in its DIFF, with NEWLEADER naming the last.
     */
    @Test
    void writesProposedWhileAnImageIsSerializedFollowItInTheDiff() {
        Leadership<String> l = Leadership.elected(SELF, new QuorumVerifier(List.of(1L, 2L, 3L)),
            new Leadership.Settings(TICK, 5, 10, 1 << 20, HistoryWindow.of(2), 0xffffffffL, 1L << 30));
        discover(l, LAST);
        l.currentEpochPersisted();
        from(l, learner(2).ackNewLeader(LAST));
        from(l, learner(3).info(4, Zxid.make(3, 5)));
        List<Action<String>> sync = from(l, learner(3).ackEpoch(4, Zxid.make(3, 5)));
        for (int i = 1; i <= 5; i++) {
            propose(l, "w" + i);
            assertThat(sentTo(3, l.flush())).as("no proposal before its sync").isEmpty();
            l.logDurable(Zxid.make(EPOCH, i));
            assertThat(of(Leadership.Apply.class, from(l, learner(2).ack(Zxid.make(EPOCH, i))))).hasSize(1);
        }
        List<LearnerMessage> toThree = sentTo(3, imageArrives(l, sync, 3, new Leadership.Image(LAST, IMAGE)));

        assertThat(toThree).extracting(m -> m.getClass().getSimpleName()).containsExactly("SnapPart", "Diff", "NewLeader");
        assertThat(((LearnerMessage.Diff) toThree.get(1)).txns()).extracting(Txn::zxid)
            .containsExactly(LongStream.rangeClosed(1, 5).map(c -> Zxid.make(EPOCH, c)).boxed().toArray(Long[]::new));
        assertThat(((LearnerMessage.NewLeader) toThree.get(2)).lastZxid()).isEqualTo(Zxid.make(EPOCH, 5));
        propose(l, "w6");
        assertThat(sentTo(3, l.flush())).as("from now on it gets every proposal").singleElement()
            .isInstanceOf(LearnerMessage.Proposal.class);
    }

    @Test
    void anImageForALearnerSessionThatHasEndedIsDropped() {
        Leadership<String> l = leader(SETTINGS);
        List<Action<String>> sync = discover(l, Zxid.make(3, 5), Zxid.make(4, 9), LAST);
        long oldSession = learner(2).session;
        from(l, new LearnerMessage.EndSession(2, oldSession, ++learner(2).seq, "restarting"));
        assertThat(of(Leadership.SerializeImage.class, sync)).hasSize(1);
        assertThat(l.imageReady(2, oldSession, new Leadership.Image(LAST, IMAGE))).isEmpty();
    }

    @Test
    void anImageThatCouldNotBeSerializedEndsTheLearnersSession() {
        Leadership<String> l = leader(SETTINGS);
        discover(l, Zxid.make(3, 5), Zxid.make(4, 9), LAST);
        List<Action<String>> failed = l.imageFailed(2, learner(2).session, "java.lang.OutOfMemoryError");
        assertThat(sentTo(2, failed)).singleElement().satisfies(m ->
            assertThat(((LearnerMessage.EndSession) m).reason()).contains("could not be serialized").contains("OutOfMemoryError"));
        assertThat(of(Leadership.LinkEnded.class, failed)).hasSize(1);
        assertThat(l.learners()).doesNotContain(2L);
    }

    @Test
    void proposalsMadeWhileALearnerSyncsReachItOnceAfterItsDiff() {
        Leadership<String> l = established();
        propose(l, "a");
        l.flush();
        long a = Zxid.make(EPOCH, 1);
        // learner 3 arrives while "a" is outstanding: its DIFF holds "a", NEWLEADER names it
        from(l, learner(3).info(4, LAST));
        List<Action<String>> sync = from(l, learner(3).ackEpoch(4, LAST));
        List<LearnerMessage> toThree = sentTo(3, sync);
        assertThat(((LearnerMessage.Diff) toThree.get(0)).txns()).extracting(Txn::zxid).containsExactly(a);
        assertThat(((LearnerMessage.NewLeader) toThree.get(1)).lastZxid()).isEqualTo(a);
        propose(l, "b");
        List<Action<String>> flushed = l.flush();
        assertThat(sentTo(3, flushed)).singleElement().satisfies(m ->
            assertThat(((LearnerMessage.Proposal) m).txns()).extracting(Txn::zxid).containsExactly(Zxid.make(EPOCH, 2)));
        // its NEWLEADER ack covers "a" (it made the sync durable first, ZOOKEEPER-4646): with it, "a" commits
        l.logDurable(Zxid.make(EPOCH, 2));
        List<Action<String>> acked = from(l, learner(3).ackNewLeader(a));
        assertThat(of(Leadership.Apply.class, acked)).singleElement()
            .satisfies(ap -> assertThat(ap.committed()).extracting(p -> ((Leadership.Proposed<?>) p).request()).containsExactly("a"));
        assertThat(sentTo(3, acked)).extracting(m -> m.getClass().getSimpleName()).containsExactly("Commit", "UpToDate");
    }

    // ---- broadcast

    @Test
    void proposalsWaitForOneFlushAndGoOutAsOneBatch() {
        Leadership<String> l = established();
        assertThat(propose(l, "a")).containsExactly(new Leadership.FlushLater<>());
        assertThat(propose(l, "b")).isEmpty();
        assertThat(propose(l, "c")).isEmpty();
        List<Action<String>> out = l.flush();
        assertThat(of(Leadership.Log.class, out)).singleElement()
            .satisfies(log -> assertThat(log.txns()).hasSize(3));
        assertThat(sentTo(2, out)).singleElement().satisfies(m -> assertThat(((LearnerMessage.Proposal) m).txns()).hasSize(3));
        assertThat(l.flush()).isEmpty();
    }

    @Test
    void aBatchLargerThanAFrameGoesOutInSeveralProposals() {
        Leadership<String> l = established(settings(4096, 0xffffffffL));
        for (int i = 0; i < 5; i++) {
            l.propose(txn(l.nextZxid(), 1500), "w" + i);
        }
        List<LearnerMessage> proposals = sentTo(2, l.flush());
        assertThat(proposals).hasSizeGreaterThan(1);
        List<Long> zxids = new ArrayList<>();
        for (LearnerMessage m : proposals) {
            List<Txn> txns = ((LearnerMessage.Proposal) m).txns();
            assertThat(txns.stream().mapToLong(PeerFrames::size).sum()).isLessThanOrEqualTo(PeerFrames.batchBudget(4096));
            txns.forEach(t -> zxids.add(t.zxid()));
        }
        assertThat(zxids).containsExactly(LongStream.rangeClosed(1, 5).map(c -> Zxid.make(EPOCH, c)).boxed().toArray(Long[]::new));
    }

    @Test
    void aTxnCommitsOnlyOnceAQuorumHasItDurableTheLeadersOwnLogIncluded() {
        Leadership<String> l = established();
        propose(l, "a");
        l.flush();
        long a = Zxid.make(EPOCH, 1);
        assertThat(from(l, learner(2).ack(a))).as("one voter of three").isEmpty();
        List<Action<String>> durable = l.logDurable(a);
        assertThat(durable.get(0)).isInstanceOf(Leadership.Apply.class);
        assertThat(sentTo(2, durable)).singleElement().isEqualTo(new LearnerMessage.Commit(SELF, learner(2).session, 6, a));
        assertThat(l.lastCommitted()).isEqualTo(a);
    }

    @Test
    void anObserversAckNeverCommitsAndObserversGetInformsOfCommittedTxns() {
        Leadership<String> l = established();
        from(l, learner(OBSERVER).info(4, LAST));
        from(l, learner(OBSERVER).ackEpoch(4, LAST));
        from(l, learner(OBSERVER).ackNewLeader(LAST));
        propose(l, "a");
        assertThat(sentTo(OBSERVER, l.flush())).as("no proposals to an observer").isEmpty();
        long a = Zxid.make(EPOCH, 1);
        assertThat(l.logDurable(a)).isEmpty();
        assertThat(from(l, learner(OBSERVER).ack(a))).isEmpty();
        List<Action<String>> committed = from(l, learner(2).ack(a));
        assertThat(sentTo(OBSERVER, committed)).singleElement().satisfies(m ->
            assertThat(((LearnerMessage.Inform) m).txns()).extracting(Txn::zxid).containsExactly(a));
    }

    @Test
    void aSyncIsAnsweredAfterEverythingProposedBeforeItIsApplied() {
        Leadership<String> l = established();
        assertThat(l.sync("s0")).containsExactly(new Leadership.AnswerSync<>("s0"));
        propose(l, "a");
        assertThat(l.sync("s1")).isEmpty();
        assertThat(from(l, learner(2).syncRequest(7))).isEmpty();
        propose(l, "b");
        l.flush();
        long a = Zxid.make(EPOCH, 1);
        l.logDurable(Zxid.make(EPOCH, 2));
        List<Action<String>> out = from(l, learner(2).ack(a));
        assertThat(out).extracting(x -> x.getClass().getSimpleName())
            .containsExactly("Apply", "Send", "AnswerSync", "Send");
        assertThat(sentTo(2, out).get(1)).isInstanceOf(LearnerMessage.SyncDone.class);
        assertThat(((LearnerMessage.SyncDone) sentTo(2, out).get(1)).zxid()).isEqualTo(a);
    }

    /**
     * A learner numbers its syncs from 1 in every session: a sync of a session that ended must not
     * be answered in the learner's next one, where its token names another sync (a client's
     * revalidation would be answered before the writes the leader took before it).
     */
    @Test
    void aSyncOfALearnerSessionThatEndedIsNotAnsweredInItsNextOne() {
        Leadership<String> l = established();
        propose(l, "a");
        l.flush();
        long a = Zxid.make(EPOCH, 1);
        assertThat(from(l, learner(2).syncRequest(1))).isEmpty();
        l.linkEnded(2, learner(2).session);
        Learner again = learner(2).again();
        from(l, again.info(EPOCH, LAST));
        from(l, again.ackEpoch(EPOCH, LAST));
        l.logDurable(a);
        List<Action<String>> acked = from(l, again.ackNewLeader(a));
        assertThat(of(Leadership.Apply.class, acked)).as("a commits").hasSize(1);
        assertThat(sentTo(2, acked)).noneMatch(m -> m instanceof LearnerMessage.SyncDone);
        assertThat(from(l, again.syncRequest(1))).as("the new session's own sync, with nothing outstanding")
            .singleElement().satisfies(x -> assertThat(((Leadership.Send<?>) x).message())
                .isEqualTo(new LearnerMessage.SyncDone(SELF, again.session, 6, 1, a)));
    }

    @Test
    void learnersAreCountedAsMntrCountsThemOnceTheirSyncWentOut() {
        Leadership<String> l = leader(SETTINGS);
        assertThat(l.learnerCounts()).isEqualTo(LearnerCounts.NONE);
        discover(l, LAST);
        // learner 2's sync went out: ZooKeeper counts a follower as synced from then on (it forwards to it)
        assertThat(l.learnerCounts()).isEqualTo(new LearnerCounts(1, 1, 0, List.of(), 0));
        l.currentEpochPersisted();
        from(l, learner(2).ackNewLeader(LAST));
        from(l, learner(3).info(4, LAST));
        assertThat(l.learnerCounts()).as("3 has a session and no sync yet").isEqualTo(new LearnerCounts(2, 1, 0, List.of(), 0));
        from(l, learner(3).ackEpoch(4, LAST));
        from(l, learner(OBSERVER).info(4, LAST));
        from(l, learner(OBSERVER).ackEpoch(4, LAST));
        // server 5 is in no one's voter list, yet follows
        Learner stranger = learner(5);
        from(l, stranger.info(4, LAST));
        from(l, stranger.ackEpoch(4, LAST));
        assertThat(l.learnerCounts()).isEqualTo(new LearnerCounts(4, 3, 1, List.of(OBSERVER), 0));

        // syncs waiting for a proposal before them are pending until it commits
        propose(l, "a");
        l.sync("s1");
        from(l, learner(2).syncRequest(7));
        assertThat(l.learnerCounts().pendingSyncs()).isEqualTo(2);
        l.flush();
        l.logDurable(Zxid.make(EPOCH, 1));
        from(l, learner(2).ack(Zxid.make(EPOCH, 1)));
        assertThat(l.learnerCounts().pendingSyncs()).isZero();

        from(l, new LearnerMessage.EndSession(3, learner(3).session, ++learner(3).seq, "restarting"));
        assertThat(l.learnerCounts()).isEqualTo(new LearnerCounts(3, 2, 1, List.of(OBSERVER), 0));
        propose(l, "b");
        l.sync("s2");
        l.stepDown("test");
        assertThat(l.learnerCounts()).as("no learners, no syncs after a step-down").isEqualTo(LearnerCounts.NONE);
    }

    @Test
    void aLearnersLagIsTheCommittedTxnsItHasNotAcked() {
        Leadership<String> l = established();
        from(l, learner(3).info(4, LAST));
        from(l, learner(3).ackEpoch(4, LAST));
        assertThat(l.learnerLags()).as("3's last ack is of the old epoch: no comparable counter").containsOnlyKeys(2L);
        for (String r : List.of("a", "b", "c")) {
            propose(l, r);
        }
        l.flush();
        l.logDurable(Zxid.make(EPOCH, 3));
        from(l, learner(2).ack(Zxid.make(EPOCH, 3)));
        from(l, learner(3).ack(Zxid.make(EPOCH, 1)));
        assertThat(l.learnerLags()).isEqualTo(java.util.Map.of(2L, 0L, 3L, 2L));
    }

    @Test
    void zxidsOfAnEpochRunOutAndTheLeaderMustStepDown() {
        Leadership<String> l = Leadership.standalone(SELF, settings(1 << 20, 2), EPOCH, LAST);
        l.startStandalone();
        l.currentEpochPersisted();
        propose(l, "a");
        propose(l, "b");
        assertThat(l.exhausted()).isTrue();
        assertThatThrownBy(l::nextZxid).hasMessageContaining("exhausted");
        assertThatThrownBy(() -> l.propose(txn(Zxid.make(EPOCH, 5), 1), "x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aProposalMustCarryTheNextZxid() {
        Leadership<String> l = established();
        assertThatThrownBy(() -> l.propose(txn(Zxid.make(EPOCH, 2), 1), "x")).hasMessageContaining("not the next zxid");
    }

    // ---- sessions and liveness

    @Test
    void aLostMessageEndsTheLearnersSession() {
        Leadership<String> l = established();
        learner(2).seq++; // a message that never arrived
        List<Action<String>> out = from(l, learner(2).ping());
        assertThat(sentTo(2, out)).singleElement().isInstanceOf(LearnerMessage.EndSession.class);
        assertThat(of(Leadership.LinkEnded.class, out)).singleElement()
            .satisfies(e -> assertThat(e.reason()).contains("was lost"))
            .satisfies(e -> assertThat(e.session()).as("the session whose link the driver closes").isEqualTo(learner(2).session));
        assertThat(l.learners()).isEmpty();
    }

    @Test
    void aMessageOfAnotherSessionIsIgnored() {
        Leadership<String> l = established();
        assertThat(from(l, new LearnerMessage.Ack(2, 999, 5, Zxid.make(EPOCH, 1)))).isEmpty();
        assertThat(l.synced(2)).isTrue();
    }

    @Test
    void aSilentFollowerLosesItsSessionAndWithoutAQuorumTheLeaderStepsDown() {
        Leadership<String> l = established();
        propose(l, "a");
        l.flush();
        propose(l, "b"); // not flushed yet
        List<Action<String>> out = List.of();
        for (int i = 0; i < 100 && !l.steppedDown(); i++) {
            now += TICK / 2;
            out = l.tick(now);
        }
        assertThat(l.steppedDown()).isTrue();
        // the session ended first (silent for syncLimit), then the quorum was missed for syncLimit more
        assertThat(out.get(0)).isInstanceOfSatisfying(Leadership.Log.class, log ->
            assertThat(log.txns()).extracting(t -> ((Txn) t).zxid()).containsExactly(Zxid.make(EPOCH, 2)));
        assertThat(of(Leadership.StepDown.class, out)).singleElement().satisfies(s -> {
            assertThat(s.reason()).contains("no quorum of synced followers");
            assertThat(s.uncommitted()).extracting(t -> ((Txn) t).zxid()).containsExactly(Zxid.make(EPOCH, 1), Zxid.make(EPOCH, 2));
        });
    }

    @Test
    void aFollowerThatKeepsTalkingKeepsTheLeadership() {
        Leadership<String> l = established();
        for (int i = 0; i < 40; i++) {
            now += TICK / 2;
            assertThat(sentTo(2, l.tick(now))).singleElement().isInstanceOf(LearnerMessage.LeaderPing.class);
            from(l, learner(2).ping());
        }
        assertThat(l.steppedDown()).isFalse();
    }

    @Test
    void aStallOfTheLeaderItselfIsNotItsFollowersSilence() {
        Leadership<String> l = established();
        now += TICK / 2;
        l.tick(now);
        now += 60_000; // this node did not run for a minute: the follower's messages wait unread
        List<Action<String>> out = l.tick(now);
        assertThat(sentTo(2, out)).singleElement().isInstanceOf(LearnerMessage.LeaderPing.class);
        assertThat(l.steppedDown()).isFalse();
    }

    @Test
    void anUnreachableLearnersSessionEnds() {
        Leadership<String> l = established();
        assertThat(of(Leadership.LinkEnded.class, l.unreachable(2))).singleElement()
            .satisfies(e -> assertThat(e.reason()).isEqualTo("unreachable"));
        assertThat(l.unreachable(2)).isEmpty();
    }

    @Test
    void aLearnerWhoseConnectionClosedLosesItsSessionButNotANewerOne() {
        Leadership<String> l = established();
        assertThat(l.linkEnded(2, learner(2).session + 1)).as("the link of an older session").isEmpty();
        assertThat(of(Leadership.LinkEnded.class, l.linkEnded(2, learner(2).session))).singleElement()
            .satisfies(e -> assertThat(e.reason()).isEqualTo("its connection closed"));
        assertThat(l.linkEnded(2, learner(2).session)).isEmpty();
    }

    @Test
    void aFollowerTooFarBehindLosesItsSession() {
        Leadership<String> l = established();
        propose(l, "first");
        l.flush();
        from(l, learner(2).ack(Zxid.make(EPOCH, 1)));
        for (long i = 0; i <= Leadership.MAX_UNACKED; i++) {
            propose(l, null);
        }
        List<Action<String>> out = l.flush();
        assertThat(of(Leadership.LinkEnded.class, out)).singleElement()
            .satisfies(e -> assertThat(e.reason()).contains("unacked"));
    }

    @Test
    void aFollowerThatHasAckedNothingOfThisEpochIsTooFarBehindAsWell() {
        // learner 2 acked NEWLEADER at the last zxid of epoch 4, and then never an Ack: its disk hangs
        Leadership<String> l = established();
        for (long i = 0; i <= Leadership.MAX_UNACKED; i++) {
            propose(l, null);
        }
        assertThat(of(Leadership.LinkEnded.class, l.flush())).singleElement()
            .satisfies(e -> assertThat(e.reason()).contains("unacked"));
    }

    @Test
    void aFollowerWithTooManyBytesUnackedLosesItsSessionButAlwaysGetsOneBatch() {
        Leadership<String> l = established(settings(1 << 20, 0xffffffffL, 50_000));
        l.propose(txn(l.nextZxid(), 60_000), "larger than the bound alone");
        assertThat(sentTo(2, l.flush())).as("nothing unacked: it gets the batch").hasSize(1);
        from(l, learner(2).ack(Zxid.make(EPOCH, 1)));
        for (int i = 0; i < 4; i++) {
            l.propose(txn(l.nextZxid(), 10_000), "w" + i);
            assertThat(of(Leadership.LinkEnded.class, l.flush())).as("%d of 10 kB unacked", i).isEmpty();
            assertThat(sentTo(2, l.flush())).isEmpty();
        }
        from(l, learner(2).ack(Zxid.make(EPOCH, 3)));
        l.propose(txn(l.nextZxid(), 10_000), "w4");
        assertThat(of(Leadership.LinkEnded.class, l.flush())).as("three unacked again").isEmpty();
        l.propose(txn(l.nextZxid(), 20_000), "w5");
        assertThat(of(Leadership.LinkEnded.class, l.flush())).singleElement()
            .satisfies(e -> assertThat(e.reason()).isEqualTo("more than 50000 bytes of proposals unacked"));
    }
}
