package io.paddock.persistence.journal;

import com.typesafe.config.Config;
import io.paddock.persistence.files.FileNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Paddock's embedded journal plugin: one {@link SegmentedLog} directory per persistenceId under
 * {@code dir}, and exactly one fsync per {@code doAsyncWriteMessages} call (per persistenceId in
 * it) however many AtomicWrites it carries. A typed persistent actor writes one command's events
 * per call, which is why {@link io.paddock.persistence.GroupCommit} gathers proposals into one
 * command.
 *
 * <p>All file I/O is synchronous and runs on the plugin's dispatcher, a one-thread pool
 * ({@code paddock.persistence-dispatcher}); every method returns an already completed future.
 * The methods are synchronized anyway, because Pekko runs replays as future callbacks and a
 * differently configured dispatcher must not make them race with writes.
 */
public final class LocalJournal extends AsyncWriteJournal {
    private static final Logger log = LoggerFactory.getLogger(LocalJournal.class);

    private final Path dir;
    private final long segmentSize;
    private final Serialization serialization;
    private final Map<String, SegmentedLog> logs = new HashMap<>();
    private final JournalObserver observer;

    public LocalJournal(Config config) {
        this.dir = Path.of(config.getString("dir")).toAbsolutePath();
        this.segmentSize = config.getBytes("segment-size");
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segment-size must be positive, not " + segmentSize);
        }
        this.serialization = SerializationExtension.get(context().system());
        this.observer = JournalObserver.get(context().system());
        log.info("Local journal in {} (segments of {} bytes)", dir, segmentSize);
    }

    @Override
    public synchronized Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
        List<Optional<Exception>> results = new ArrayList<>();
        Map<String, List<List<StoredEvent>>> byPersistenceId = new LinkedHashMap<>();
        for (AtomicWrite write : messages) {
            try {
                List<StoredEvent> events = new ArrayList<>(write.size());
                for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
                    events.add(new StoredEvent(repr.sequenceNr(), serialize(repr)));
                }
                byPersistenceId.computeIfAbsent(write.persistenceId(), id -> new ArrayList<>()).add(events);
                results.add(Optional.empty());
            } catch (Exception e) {
                // rejected: Pekko reports it to the writer, the other AtomicWrites go ahead
                results.add(Optional.of(e));
            }
        }
        for (Map.Entry<String, List<List<StoredEvent>>> entry : byPersistenceId.entrySet()) {
            try {
                long began = System.nanoTime();
                logFor(entry.getKey()).append(entry.getValue());
                observer.fsynced(entry.getValue().size(), System.nanoTime() - began);
            } catch (IOException e) {
                discard(entry.getKey());
                log.error("Journal write for {} failed: {}", entry.getKey(), e.getMessage());
                return Futures.failed(e);
            }
        }
        return Futures.successful(results);
    }

    private byte[] serialize(PersistentRepr repr) {
        Object payload = repr.payload();
        // tags are for queries, which this journal does not offer; store the event itself
        PersistentRepr stored = (payload instanceof Tagged tagged ? repr.withPayload(tagged.payload()) : repr)
            .update(repr.sequenceNr(), repr.persistenceId(), false, ActorRef.noSender(), repr.writerUuid());
        PersistentRepr stamped = stored.timestamp() == 0 ? stored.withTimestamp(System.currentTimeMillis()) : stored;
        return serialization.serialize(stamped).get();
    }

    @Override
    public synchronized Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        try {
            logFor(persistenceId).deleteTo(toSequenceNr);
            return Futures.successful(null);
        } catch (IOException e) {
            discard(persistenceId);
            return Futures.failed(e);
        }
    }

    @Override
    public synchronized Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr,
                                                           long toSequenceNr, long max,
                                                           Consumer<PersistentRepr> replayCallback) {
        try {
            logFor(persistenceId).replay(fromSequenceNr, toSequenceNr, max,
                event -> replayCallback.accept(deserialize(persistenceId, event)));
            return Futures.successful(null);
        } catch (Exception e) {
            log.error("Replay of {} failed: {}", persistenceId, e.getMessage());
            return Futures.failed(e);
        }
    }

    private PersistentRepr deserialize(String persistenceId, StoredEvent event) {
        try {
            return serialization.deserialize(event.bytes(), PersistentRepr.class).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot deserialize event " + event.seqNr() + " of " + persistenceId
                + " in " + dir.resolve(FileNames.encode(persistenceId)) + ": " + e, e);
        }
    }

    @Override
    public synchronized Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        try {
            return Futures.successful(logFor(persistenceId).highestSequenceNr());
        } catch (IOException e) {
            log.error("Opening the journal of {} failed: {}", persistenceId, e.getMessage());
            return Futures.failed(e);
        }
    }

    /** The log of a persistenceId, opened (and so checked, torn tail cut) on first use. */
    private SegmentedLog logFor(String persistenceId) throws IOException {
        SegmentedLog existing = logs.get(persistenceId);
        if (existing != null) {
            return existing;
        }
        SegmentedLog opened = SegmentedLog.open(dir.resolve(FileNames.encode(persistenceId)), segmentSize);
        logs.put(persistenceId, opened);
        return opened;
    }

    /** After an I/O error the in-memory view may be wrong: forget it, so the next use rescans the files. */
    private void discard(String persistenceId) {
        SegmentedLog log = logs.remove(persistenceId);
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // already failing; the rescan is what matters
            }
        }
    }

    @Override
    public synchronized void postStop() {
        for (String persistenceId : List.copyOf(logs.keySet())) {
            discard(persistenceId);
        }
    }
}
