package io.paddock.persistence.journal;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import scala.jdk.javaapi.CollectionConverters;

/** Drives the classic journal plugin through {@link JournalProtocol}, as a persistent actor would. */
final class JournalClient {
    static final String WRITER = "writer-1";

    /** What one ReplayMessages returned. */
    record Replay(List<PersistentRepr> events, long highestSequenceNr, Throwable failure) {
        List<Object> payloads() {
            return events.stream().map(PersistentRepr::payload).toList();
        }

        List<Long> seqNrs() {
            return events.stream().map(PersistentRepr::sequenceNr).toList();
        }
    }

    private final ActorTestKit kit;
    private final ActorRef journal;

    JournalClient(ActorTestKit kit) {
        this.kit = kit;
        this.journal = Persistence.get(Adapter.toClassic(kit.system())).journalFor("paddock.journal", ConfigFactory.empty());
    }

    /**
     * Writes AtomicWrites (each a list of payloads) with consecutive sequence numbers from
     * {@code from}; returns the overall reply followed by one reply per event.
     */
    List<Object> write(String persistenceId, long from, List<List<Object>> atomicWrites) {
        TestProbe<Object> probe = kit.createTestProbe();
        ActorRef replyTo = Adapter.toClassic(probe.getRef());
        List<PersistentEnvelope> envelopes = new ArrayList<>();
        long seqNr = from;
        int events = 0;
        for (List<Object> payloads : atomicWrites) {
            List<PersistentRepr> reprs = new ArrayList<>();
            for (Object payload : payloads) {
                reprs.add(PersistentRepr.apply(payload, seqNr++, persistenceId, "", false, ActorRef.noSender(), WRITER));
                events++;
            }
            envelopes.add(AtomicWrite.apply(CollectionConverters.asScala(reprs).toList()));
        }
        journal.tell(new JournalProtocol.WriteMessages(CollectionConverters.asScala(envelopes).toList(), replyTo, 1),
            replyTo);
        List<Object> replies = new ArrayList<>();
        for (int i = 0; i <= events; i++) {
            replies.add(probe.receiveMessage());
        }
        return replies;
    }

    /** Writes each payload as its own AtomicWrite, expecting success. */
    void writeEach(String persistenceId, long from, List<?> payloads) {
        List<Object> replies = write(persistenceId, from, payloads.stream().map(p -> List.<Object>of(p)).toList());
        if (!(replies.get(0) instanceof JournalProtocol.WriteMessagesSuccessful$)) {
            throw new AssertionError("write failed: " + replies);
        }
    }

    Replay replay(String persistenceId, long from, long to, long max) {
        TestProbe<Object> probe = kit.createTestProbe();
        ActorRef replyTo = Adapter.toClassic(probe.getRef());
        journal.tell(new JournalProtocol.ReplayMessages(from, to, max, persistenceId, replyTo), replyTo);
        List<PersistentRepr> events = new ArrayList<>();
        while (true) {
            Object reply = probe.receiveMessage();
            if (reply instanceof JournalProtocol.ReplayedMessage replayed) {
                events.add(replayed.persistent());
            } else if (reply instanceof JournalProtocol.RecoverySuccess success) {
                return new Replay(events, success.highestSequenceNr(), null);
            } else if (reply instanceof JournalProtocol.ReplayMessagesFailure failure) {
                return new Replay(events, -1, failure.cause());
            } else {
                throw new AssertionError("unexpected reply " + reply);
            }
        }
    }

    Replay replayAll(String persistenceId) {
        return replay(persistenceId, 1, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    long highestSequenceNr(String persistenceId) {
        return replay(persistenceId, 0, 0, Long.MAX_VALUE).highestSequenceNr();
    }

    void deleteTo(String persistenceId, long toSequenceNr) {
        TestProbe<Object> probe = kit.createTestProbe();
        ActorRef replyTo = Adapter.toClassic(probe.getRef());
        journal.tell(new JournalProtocol.DeleteMessagesTo(persistenceId, toSequenceNr, replyTo), replyTo);
        probe.expectMessage(new DeleteMessagesSuccess(toSequenceNr));
    }
}
