package io.paddock.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.server.PekkoSettings;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.peer.LearnerMessage;
import io.paddock.protocol.peer.Notification;
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
            new LearnerMessage.Forwarded(0xabcL, 17, 1, new byte[] {9, 8, 7}, List.of(new Id("ip", "127.0.0.1"), Id.ANYONE)),
            new LearnerMessage.Forwarded(0xabdL, 3, 5, new byte[] {1}, List.of()))));
        roundTrips(new LearnerMessage.LearnerPing(2, 99, 7, List.of(1L, 2L, 3L)));
        roundTrips(new LearnerMessage.EndSession(1, 99, 8, "gap: expected 5, got 7"));
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
