package io.paddock.tests.compat.differential;

import io.paddock.tests.compat.RawZooKeeper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.jute.Record;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.proto.Create2Response;
import org.apache.zookeeper.proto.CreateResponse;
import org.apache.zookeeper.proto.ErrorResponse;
import org.apache.zookeeper.proto.ExistsResponse;
import org.apache.zookeeper.proto.GetACLResponse;
import org.apache.zookeeper.proto.GetChildren2Response;
import org.apache.zookeeper.proto.GetChildrenResponse;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.SetACLResponse;
import org.apache.zookeeper.proto.SetDataResponse;
import org.apache.zookeeper.proto.SyncResponse;

/**
 * One run of a script against one server: the sessions the script opened, and the transcript
 * of what it saw. Every call goes through {@link #op} or {@link #raw}, which record its outcome
 * with the zxid of the reply header; watch events are recorded at {@link #settle()} points, per
 * session, in the order the session received them.
 */
final class Run implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** A call whose result (or KeeperException) is recorded. */
    interface Call<T> {
        T call() throws Exception;
    }

    /** One session opened by the script, with every event it received. */
    static final class Client {
        final String name;
        final RawZooKeeper zk;
        final BlockingQueue<WatchedEvent> events;
        final Watcher watcher;

        private Client(String name, RawZooKeeper zk, BlockingQueue<WatchedEvent> events, Watcher watcher) {
            this.name = name;
            this.zk = zk;
            this.events = events;
            this.watcher = watcher;
        }
    }

    private final Target target;
    private final Transcript t = new Transcript();
    private final Map<String, Client> clients = new LinkedHashMap<>();

    Run(Target target) {
        this.target = target;
    }

    Target target() {
        return target;
    }

    Transcript transcript() {
        return t;
    }

    Client connect(String name) throws IOException, InterruptedException {
        return connect(name, target.connectString(), 10_000);
    }

    /** Opens a session and waits for SyncConnected; its events are recorded from then on. */
    Client connect(String name, String connectString, int timeout) throws IOException, InterruptedException {
        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        Watcher w = events::add;
        Client c = new Client(name, new RawZooKeeper(connectString, timeout, w), events, w);
        clients.put(name, c);
        WatchedEvent first = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null || first.getState() != Watcher.Event.KeeperState.SyncConnected) {
            throw new AssertionError("[" + name + "] did not connect to " + target.name() + ": " + first);
        }
        t.nameSession(c.zk.getSessionId(), name);
        return c;
    }

    /** A client that resumes session {@code sessionId}; nothing is awaited, so refusals can be recorded. */
    Client resume(String name, int timeout, long sessionId, byte[] passwd) throws IOException {
        BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
        Watcher w = events::add;
        Client c = new Client(name, new RawZooKeeper(target.connectString(), timeout, w, sessionId, passwd), events, w);
        clients.put(name, c);
        return c;
    }

    /** Runs a client call and records its result, or the error it failed with. */
    <T> T op(Client c, String label, Call<T> call) throws InterruptedException {
        String outcome;
        T result = null;
        try {
            result = call.call();
            outcome = t.render(result);
        } catch (KeeperException e) {
            outcome = "ERR " + e.code() + (e.getResults() == null ? "" : " " + t.render(e.getResults()));
        } catch (IllegalArgumentException e) {
            outcome = "CLIENT REFUSES: " + e.getMessage();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            outcome = "THROWS " + e;
        }
        t.add("[" + c.name + "] " + label + " -> " + outcome + " @" + t.zxid(c.zk.lastZxid()));
        return result;
    }

    /** Sends a request as it is, past the client's own checks, and records the reply. */
    ReplyHeader raw(Client c, String label, int op, Record request, Record response) throws InterruptedException {
        ReplyHeader h = c.zk.submit(op, request, response);
        String outcome = h.getErr() == 0 ? "OK " + renderResponse(response) : "ERR " + KeeperException.Code.get(h.getErr());
        t.add("[" + c.name + "] raw " + label + " -> " + outcome.trim() + " @" + t.zxid(h.getZxid()));
        return h;
    }

    private String renderResponse(Record r) {
        if (r == null) {
            return "";
        } else if (r instanceof CreateResponse c) {
            return c.getPath();
        } else if (r instanceof Create2Response c) {
            return c.getPath() + " " + t.stat(c.getStat());
        } else if (r instanceof SetDataResponse s) {
            return t.stat(s.getStat());
        } else if (r instanceof ExistsResponse s) {
            return t.stat(s.getStat());
        } else if (r instanceof GetDataResponse g) {
            return t.render(g.getData()) + " " + t.stat(g.getStat());
        } else if (r instanceof GetChildrenResponse g) {
            return t.render(g.getChildren());
        } else if (r instanceof GetChildren2Response g) {
            return t.render(g.getChildren()) + " " + t.stat(g.getStat());
        } else if (r instanceof GetACLResponse g) {
            return t.render(g.getAcl()) + " " + t.stat(g.getStat());
        } else if (r instanceof SetACLResponse s) {
            return t.stat(s.getStat());
        } else if (r instanceof SyncResponse s) {
            return s.getPath();
        } else if (r instanceof ErrorResponse e) {
            return "body err=" + e.getErr();
        }
        return r.toString();
    }

    /** Closes a session and stops recording its events (its own Closed event arrives at no fixed point). */
    void close(Client c) throws InterruptedException {
        clients.remove(c.name);
        c.zk.close();
    }

    void note(String label, Object value) {
        t.add(label + " = " + t.render(value));
    }

    /**
     * Waits until every live session has processed what the server sent it so far, then
     * records their events. A callback runs on the client's event thread after every event
     * that arrived before its reply, and servers send a change's events before any later reply.
     */
    void settle() throws InterruptedException {
        List<CountDownLatch> latches = new ArrayList<>();
        for (Client c : clients.values()) {
            if (c.zk.getState().isAlive() && c.zk.getState().isConnected()) {
                CountDownLatch l = new CountDownLatch(1);
                c.zk.exists("/", false, (rc, path, ctx, stat) -> l.countDown(), null);
                latches.add(l);
            }
        }
        for (CountDownLatch l : latches) {
            if (!l.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("a session did not answer within " + WAIT + " on " + target.name());
            }
        }
        for (Client c : clients.values()) {
            WatchedEvent e;
            while ((e = c.events.poll()) != null) {
                record(c, e);
            }
        }
    }

    /** Waits for {@code c}'s next event (a state change, or one the script cannot settle on) and records it. */
    void awaitEvent(Client c) throws InterruptedException {
        WatchedEvent e = c.events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            t.add("[" + c.name + "] no event within " + WAIT);
        } else {
            record(c, e);
        }
    }

    private void record(Client c, WatchedEvent e) {
        if (e.getType() == Watcher.Event.EventType.None) {
            t.add("[" + c.name + "] state " + e.getState());
        } else {
            t.add("[" + c.name + "] event " + e.getType() + " " + e.getPath() + " @" + t.zxid(e.getZxid())
                + (e.getState() == Watcher.Event.KeeperState.SyncConnected ? "" : " state " + e.getState()));
        }
    }

    @Override
    public void close() {
        for (Client c : clients.values()) {
            try {
                c.zk.close(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
