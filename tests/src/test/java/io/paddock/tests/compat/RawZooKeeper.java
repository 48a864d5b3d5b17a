package io.paddock.tests.compat;

import java.io.IOException;
import org.apache.jute.Record;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

/**
 * The official client with a way around its own checks: {@link #submit} sends any request
 * record as it is, so tests can show what the server answers to paths, flags and TTLs the
 * client would refuse to send.
 */
public final class RawZooKeeper extends ZooKeeper {

    public RawZooKeeper(String connectString, int sessionTimeout, Watcher watcher) throws IOException {
        super(connectString, sessionTimeout, watcher);
    }

    public RawZooKeeper(String connectString, int sessionTimeout, Watcher watcher, long sessionId, byte[] passwd)
        throws IOException {
        super(connectString, sessionTimeout, watcher, sessionId, passwd);
    }

    /** Sends {@code request} as opcode {@code op}; {@code response} is filled when the reply's err is 0. */
    public ReplyHeader submit(int op, Record request, Record response) throws InterruptedException {
        RequestHeader h = new RequestHeader();
        h.setType(op);
        return cnxn.submitRequest(h, request, response, null);
    }

    /** The zxid of the last reply this client read (events and pings do not count). */
    public long lastZxid() {
        return cnxn.getLastZxid();
    }
}
