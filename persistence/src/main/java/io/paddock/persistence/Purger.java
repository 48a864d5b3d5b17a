package io.paddock.persistence;

import java.time.Duration;
import java.util.Collection;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.DeleteMessagesFailure;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.DeleteSnapshotFailure;
import org.apache.pekko.persistence.DeleteSnapshotSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsFailure;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * A short-lived child of the TxnLog that deletes the events up to and including a kept snapshot's
 * sequence number, every older snapshot, and the given newer snapshots that could not be read,
 * then replies {@link Done} and stops. It talks the
 * classic plugin protocols, whose replies are classic messages, hence {@code Behavior<Object>}.
 *
 * <p>Purging is housekeeping: a failed deletion loses nothing, so it is logged and still
 * answered with Done.
 */
final class Purger {
    private enum Timeout { INSTANCE }

    private Purger() {
    }

    static Behavior<Object> create(org.apache.pekko.actor.ActorRef journal, org.apache.pekko.actor.ActorRef snapshotStore,
                                   String persistenceId, long keptSnapshotSeqNr, Collection<Long> unreadable,
                                   ActorRef<Done> replyTo) {
        return Behaviors.setup(ctx -> {
            org.apache.pekko.actor.ActorRef self = Adapter.toClassic(ctx.getSelf());
            journal.tell(new JournalProtocol.DeleteMessagesTo(persistenceId, keptSnapshotSeqNr, self), self);
            snapshotStore.tell(new SnapshotProtocol.DeleteSnapshots(persistenceId,
                SnapshotSelectionCriteria.create(keptSnapshotSeqNr - 1, Long.MAX_VALUE)), self);
            for (long seqNr : unreadable) {
                // timestamp 0: whatever its timestamp
                snapshotStore.tell(new SnapshotProtocol.DeleteSnapshot(new SnapshotMetadata(persistenceId, seqNr, 0)), self);
            }
            ctx.setReceiveTimeout(Duration.ofSeconds(60), Timeout.INSTANCE);
            return waiting(ctx, persistenceId, 2 + unreadable.size(), replyTo);
        });
    }

    private static Behavior<Object> waiting(ActorContext<Object> ctx, String persistenceId, int outstanding,
                                            ActorRef<Done> replyTo) {
        return Behaviors.receive(Object.class)
            .onMessage(DeleteMessagesSuccess.class, m -> answered(ctx, persistenceId, outstanding, replyTo))
            .onMessage(DeleteSnapshotsSuccess.class, m -> answered(ctx, persistenceId, outstanding, replyTo))
            .onMessage(DeleteSnapshotSuccess.class, m -> answered(ctx, persistenceId, outstanding, replyTo))
            .onMessage(DeleteMessagesFailure.class, m -> {
                ctx.getLog().warn("Purging the events of {} up to {} failed", persistenceId, m.toSequenceNr(), m.cause());
                return answered(ctx, persistenceId, outstanding, replyTo);
            })
            .onMessage(DeleteSnapshotsFailure.class, m -> {
                ctx.getLog().warn("Purging the snapshots of {} ({}) failed", persistenceId, m.criteria(), m.cause());
                return answered(ctx, persistenceId, outstanding, replyTo);
            })
            .onMessage(DeleteSnapshotFailure.class, m -> {
                ctx.getLog().warn("Deleting snapshot {} failed", m.metadata(), m.cause());
                return answered(ctx, persistenceId, outstanding, replyTo);
            })
            .onMessage(Timeout.class, m -> {
                ctx.getLog().warn("Purging {}: no answer from the persistence plugins within 60 s", persistenceId);
                replyTo.tell(Done.getInstance());
                return Behaviors.stopped();
            })
            .build();
    }

    private static Behavior<Object> answered(ActorContext<Object> ctx, String persistenceId, int outstanding,
                                             ActorRef<Done> replyTo) {
        if (outstanding > 1) {
            return waiting(ctx, persistenceId, outstanding - 1, replyTo);
        }
        replyTo.tell(Done.getInstance());
        return Behaviors.stopped();
    }
}
