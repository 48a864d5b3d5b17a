package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.Notification;
import io.paddock.protocol.peer.PeerFrames;
import io.paddock.protocol.peer.ServerState;
import io.paddock.protocol.peer.Vote;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;
import io.paddock.protocol.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer messages and the joiner's messages through Pekko serialization as an ensemble node is
 * configured (jackson-cbor, bound to CborSerializable), back unchanged: byte arrays, nested
 * txn ops, lists and actor refs included.
 */
class PeerSerializationTest {
    @TempDir
    Path dir;

    private ActorSystem<Void> system;
    private Serialization serialization;

    @BeforeEach
    void start() {
        TestEnsemble ensemble = new TestEnsemble(dir, 1, 0);
        system = ActorSystem.create(Behaviors.empty(), PekkoSettings.SYSTEM_NAME,
            TestEnsemble.testSettings(ensemble.config(1)));
        serialization = SerializationExtension.get(system.classicSystem());
    }

    @AfterEach
    void stop() {
        TestEnsemble.terminate(system);
    }

    private byte[] roundTrips(Object message) {
        Serializer serializer = serialization.findSerializerFor(message);
        assertThat(serializer.getClass().getSimpleName()).isEqualTo("JacksonCborSerializer");
        byte[] bytes = serialization.serialize(message).get();
        Object back = serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
            .get();
        assertThat(back).isInstanceOf(message.getClass());
        assertThat(back).usingRecursiveComparison().isEqualTo(message);
        return bytes;
    }

    private static List<Byte> boxed(byte[] bytes) {
        List<Byte> out = new java.util.ArrayList<>(bytes.length);
        for (byte b : bytes) {
            out.add(b);
        }
        return out;
    }

    @Test
    void electionNotification() {
        roundTrips(new Notification(2, new Vote(3, 0x5_0000_0011L, 5), 7, ServerState.FOLLOWING));
    }

    @Test
    void proposalOfACreateWithData() {
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Txn create = new Txn(0x1_0000_0001L, 0x1234L, 7, 1_700_000_000_000L,
            new TxnOp.CreateTxn("/a/b", data, List.of(new Acl(31, new Id("digest", "u:pw"))), 0x1234L, 3));
        Txn multi = new Txn(0x1_0000_0002L, 0x1234L, 8, 1_700_000_000_001L, new TxnOp.MultiTxn(List.of(
            new TxnOp.SetDataTxn("/a", "x".getBytes(StandardCharsets.UTF_8), 4),
            new TxnOp.DeleteTxn("/a/c"),
            new TxnOp.CheckVersionTxn("/a", 4))));
        LearnerMessage.Proposal proposal = new LearnerMessage.Proposal(1, 42, 9, List.of(create, multi));
        byte[] bytes = roundTrips(proposal);
        // each txn travels as one binary value in TxnCodec's encoding (TxnJacksonModule), not as an object
        for (Txn txn : proposal.txns()) {
            assertThat(java.util.Collections.indexOfSubList(boxed(bytes), boxed(TxnCodec.encode(txn))))
                .as("the jute encoding of txn %x inside the message", txn.zxid()).isNotNegative();
        }
    }

    @Test
    void learnerMessagesWithBytesAndLists() {
        roundTrips(new LearnerMessage.FollowerInfo(3, 99, 1, 4, 0x4_0000_0010L, false));
        roundTrips(new LearnerMessage.Snap(1, 99, 5, 0x4_0000_0010L, new byte[] {0, 1, 2, (byte) 255}));
        roundTrips(new LearnerMessage.ForwardRequest(2, 99, 6, List.of(
            new LearnerMessage.Forwarded(0xabcL, 0x5eedL, 17, 1, new byte[] {9, 8, 7}, List.of(new Id("ip", "127.0.0.1"), Id.ANYONE)),
            new LearnerMessage.Forwarded(0xabdL, 1L, 3, 5, new byte[] {1}, List.of()))));
        roundTrips(new LearnerMessage.LearnerPing(2, 99, 7, List.of(1L, 2L, 3L)));
        roundTrips(new LearnerMessage.EndSession(1, 99, 8, "gap: expected 5, got 7"));
    }

    /** A message's own fields (sender, session, seq, names, markers): a few dozen bytes. */
    private static final int OWN_FIELDS = 256;
    /** jute.maxbuffer's default. */
    private static final int MAX_BUFFER = 0xfffff;

    private static List<Txn> variedTxns() {
        List<Acl> acl = List.of(new Acl(31, new Id("digest", "\u00fcser:" + "h".repeat(300))), new Acl(1, Id.ANYONE));
        List<Txn> txns = new java.util.ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            TxnOp op = switch (i % 4) {
                case 0 -> new TxnOp.CreateTxn("/p/\u4e2d" + "x".repeat(i * 50), new byte[i * 1000], acl, i, i);
                case 1 -> new TxnOp.SetDataTxn("/p/" + i, new byte[i * 7000], i);
                case 2 -> new TxnOp.MultiTxn(List.of(new TxnOp.DeleteTxn("/p/" + i), new TxnOp.SetAclTxn("/p", acl, i),
                    new TxnOp.ErrorTxn(-101)));
                default -> new TxnOp.CloseSessionTxn(java.util.Collections.nCopies(i * 10, "/e/" + "n".repeat(100)));
            };
            txns.add(new Txn(0x1_0000_0000L + i, 0x1234L, i, 1_700_000_000_000L + i, op));
        }
        return txns;
    }

    private static List<LearnerMessage.Forwarded> variedForwards() {
        List<LearnerMessage.Forwarded> out = new java.util.ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            List<Id> auth = new java.util.ArrayList<>(List.of(new Id("ip", "127.0.0.1")));
            for (int j = 0; j < i; j++) {
                auth.add(new Id("digest", "\u00e9" + "u".repeat(j * 100) + ":hash"));
            }
            out.add(new LearnerMessage.Forwarded(0x1000L + i, Long.MAX_VALUE - i, i, 5, new byte[i * 3000], auth));
        }
        return out;
    }

    private static List<Long> manySessions(int count) {
        return java.util.stream.LongStream.range(0, count).map(i -> Long.MIN_VALUE + i * 7919).boxed().toList();
    }

    private int serializedSize(Object message) {
        return serialization.serialize(message).get().length;
    }

    /** PeerFrames' sizes bound what Jackson writes: a message is at most its items' sizes and its own fields. */
    @Test
    void messagesAreNoLargerThanTheirItemsSizes() {
        List<Txn> txns = variedTxns();
        long txnBytes = txns.stream().mapToLong(PeerFrames::size).sum();
        assertThat(serializedSize(new LearnerMessage.Proposal(1, 42, 9, txns))).isLessThanOrEqualTo((int) txnBytes + OWN_FIELDS);
        assertThat(serializedSize(new LearnerMessage.Diff(1, 42, 9, txns))).isLessThanOrEqualTo((int) txnBytes + OWN_FIELDS);
        assertThat(serializedSize(new LearnerMessage.Inform(1, 42, 9, txns))).isLessThanOrEqualTo((int) txnBytes + OWN_FIELDS);
        List<LearnerMessage.Forwarded> forwards = variedForwards();
        long forwardBytes = forwards.stream().mapToLong(PeerFrames::size).sum();
        assertThat(serializedSize(new LearnerMessage.ForwardRequest(2, 42, 9, forwards)))
            .isLessThanOrEqualTo((int) forwardBytes + OWN_FIELDS);
        List<Long> touched = manySessions(10_000);
        assertThat(serializedSize(new LearnerMessage.LearnerPing(2, 42, 9, touched)))
            .isLessThanOrEqualTo((int) (touched.size() * PeerFrames.SESSION_TOUCH) + OWN_FIELDS);
    }

    /**
     * Cut as the leader and learners cut them (by PeerFrames' sizes, in batches of jute.maxbuffer), the
     * messages of the broadcast (Proposal, Diff, Inform, ForwardRequest, LearnerPing) all fit Artery's
     * frame, with the envelope's room to spare, even when the whole lot is many frames' worth.
     */
    @Test
    void messagesCutFromLargeBatchesFitTheFrame() {
        long frame = PeerFrames.itemLimit(MAX_BUFFER); // the frame, less the room kept for the envelope
        long budget = PeerFrames.batchBudget(MAX_BUFFER);
        List<Txn> txns = new java.util.ArrayList<>(variedTxns());
        for (int i = 0; i < 6; i++) {
            // a setData of a value at the client packet's limit, as a txn
            txns.add(new Txn(0x2_0000_0000L + i, 1, i, 0, new TxnOp.SetDataTxn("/v" + i, new byte[MAX_BUFFER - 40], i)));
        }
        assertThat(txns.stream().mapToLong(PeerFrames::size).sum()).as("the batch in all").isGreaterThan(3 * frame);
        List<List<Txn>> parts = io.paddock.protocol.Batches.split(txns, PeerFrames::size, budget);
        assertThat(parts).hasSizeGreaterThan(3);
        for (List<Txn> part : parts) {
            assertThat((long) serializedSize(new LearnerMessage.Proposal(1, 42, 9, part))).isLessThanOrEqualTo(frame);
        }
        List<LearnerMessage.Forwarded> forwards = variedForwards();
        for (List<LearnerMessage.Forwarded> part : io.paddock.protocol.Batches.split(forwards, PeerFrames::size, budget)) {
            assertThat((long) serializedSize(new LearnerMessage.ForwardRequest(2, 42, 9, part))).isLessThanOrEqualTo(frame);
        }
        List<Long> touched = manySessions(400_000);
        List<List<Long>> pings = io.paddock.protocol.Batches.split(touched, id -> PeerFrames.SESSION_TOUCH, budget);
        assertThat(pings).hasSizeGreaterThan(1);
        for (List<Long> part : pings) {
            assertThat((long) serializedSize(new LearnerMessage.LearnerPing(2, 42, 9, part))).isLessThanOrEqualTo(frame);
        }
    }

    @Test
    void joinerMessages() {
        roundTrips(new ClusterJoiner.Probe(2, 17, -1, false, system.ignoreRef()));
        roundTrips(new ClusterJoiner.Answer(3, 17, true, "pekko://paddock@127.0.0.1:2888", false, List.of(1L, 3L)));
        roundTrips(new ClusterJoiner.Answer(3, 17, false, null, true, List.of()));
        roundTrips(new ClusterJoiner.Answer(3, 17, true, "pekko://paddock@127.0.0.1:2888", false, List.of(1L, 3L),
            List.of(-5_000_000_000L, 42L)));
    }
}
