package io.paddock.persistence;

import io.paddock.protocol.Batches;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Group commit in front of {@link TxnLog}. Typed persistence handles one command at a time and
 * stashes the rest while a write is in flight, so each Append would cost its own fsync. This
 * keeps exactly one Append in flight and gathers every txn that arrives meanwhile into the next
 * one: at most {@code maxBatch} txns and {@code maxBatchBytes} bytes of encoded txns each (a larger
 * txn alone), so that one journal record stays a few MiB even when every txn carries 1 MB.
 *
 * <p>The listener gets one {@link Durable} per completed Append, in increasing zxid order. The
 * batcher watches the log and stops when it stops. It does not bound what it gathers: the node
 * bounds proposals in flight.
 */
public final class TxnLogBatcher extends AbstractBehavior<TxnLogBatcher.Command> {

    public sealed interface Command {
    }

    /** Txns to log, in zxid order, following those of earlier Log messages. */
    public record Log(List<Txn> txns) implements Command {
    }

    /** Everything up to and including {@code lastZxid} is durable. */
    public record Durable(long lastZxid) {
    }

    private record Written(TxnLog.Appended appended) implements Command {
    }

    public static Behavior<Command> create(ActorRef<TxnLog.Command> log, ActorRef<Durable> listener, int maxBatch,
                                           long maxBatchBytes) {
        if (maxBatch < 1 || maxBatchBytes < 1) {
            throw new IllegalArgumentException("maxBatch and maxBatchBytes must be positive: " + maxBatch + ", "
                + maxBatchBytes);
        }
        return Behaviors.setup(ctx -> new TxnLogBatcher(ctx, log, listener, maxBatch, maxBatchBytes));
    }

    private final ActorRef<TxnLog.Command> log;
    private final ActorRef<Durable> listener;
    private final int maxBatch;
    private final long maxBatchBytes;
    private final ActorRef<TxnLog.Appended> written;
    private final ArrayDeque<Txn> waiting = new ArrayDeque<>();
    private int writing; // txns in the Append in flight, 0 when none

    private TxnLogBatcher(ActorContext<Command> context, ActorRef<TxnLog.Command> log, ActorRef<Durable> listener,
                          int maxBatch, long maxBatchBytes) {
        super(context);
        this.log = log;
        this.listener = listener;
        this.maxBatch = maxBatch;
        this.maxBatchBytes = maxBatchBytes;
        this.written = context.messageAdapter(TxnLog.Appended.class, Written::new);
        context.watch(log);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Log.class, this::onLog)
            .onMessage(Written.class, this::onWritten)
            .onSignal(Terminated.class, t -> {
                int lost = writing + waiting.size();
                if (lost > 0) {
                    getContext().getLog().warn("The transaction log {} stopped; {} txns are not known to be durable",
                        t.getRef(), lost);
                } else {
                    getContext().getLog().debug("The transaction log {} stopped with nothing pending", t.getRef());
                }
                return Behaviors.stopped();
            })
            .build();
    }

    private Behavior<Command> onLog(Log message) {
        waiting.addAll(message.txns());
        if (writing == 0) {
            writeNext();
        }
        return this;
    }

    private Behavior<Command> onWritten(Written message) {
        listener.tell(new Durable(message.appended().lastZxid()));
        writing = 0;
        writeNext();
        return this;
    }

    private void writeNext() {
        if (waiting.isEmpty()) {
            return;
        }
        int count = Batches.fitting(waiting, TxnCodec::size, maxBatchBytes, maxBatch);
        List<Txn> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(waiting.poll());
        }
        log.tell(new TxnLog.Append(batch, written));
        writing = batch.size();
    }
}
