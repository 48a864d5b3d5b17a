package io.paddock.protocol.txn;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteOutput;
import io.paddock.protocol.jute.MalformedRecordException;
import java.util.List;

/**
 * A txn in jute encoding: header fields, then one tag per op and the op's fields in record order
 * (a multi nests its ops). Every txn is written to the leader's and each follower's log and sent
 * to each follower, so this is the hot path of replication; it costs a fraction of reflective
 * serialization (Jackson with type names), and its bytes are what the journal and Artery carry.
 */
public final class TxnCodec {
    private static final int CREATE = 1;
    private static final int DELETE = 2;
    private static final int SET_DATA = 3;
    private static final int SET_ACL = 4;
    private static final int CHECK = 5;
    private static final int CREATE_SESSION = 6;
    private static final int CLOSE_SESSION = 7;
    private static final int ERROR = 8;
    private static final int MULTI = 9;
    private static final int SESSION_SECRET = 10;
    /** zxid, sessionId, cxid, time. */
    private static final int HEADER = 8 + 8 + 4 + 8;

    private TxnCodec() {
    }

    public static byte[] encode(Txn txn) {
        JuteOutput out = new JuteOutput(size(txn));
        out.writeLong(txn.zxid()).writeLong(txn.sessionId()).writeInt(txn.cxid()).writeLong(txn.time());
        writeOp(out, txn.op());
        // the buffer was sized exactly, so it is the encoding: no copy
        return out.size() == out.array().length ? out.array() : out.toByteArray();
    }

    /** The exact length of {@link #encode}'s result, counted without encoding (no allocation). */
    public static int size(Txn txn) {
        return size(txn.op());
    }

    /** The exact encoded length of any txn whose op is {@code op}: the header's fields have fixed sizes. */
    public static int size(TxnOp op) {
        return HEADER + opSize(op);
    }

    /** @throws MalformedRecordException if {@code bytes} are not one whole encoded txn */
    public static Txn decode(byte[] bytes) {
        JuteInput in = new JuteInput(bytes);
        Txn txn = new Txn(in.readLong(), in.readLong(), in.readInt(), in.readLong(), readOp(in));
        if (in.remaining() != 0) {
            throw new MalformedRecordException(in.remaining() + " bytes after the end of txn " + Long.toHexString(txn.zxid()));
        }
        return txn;
    }

    /** What {@link #writeOp} writes for {@code op}, field by field. */
    private static int opSize(TxnOp op) {
        if (op instanceof TxnOp.CreateTxn c) {
            return 4 + JuteOutput.stringSize(c.path()) + JuteOutput.bufferSize(c.data()) + aclSize(c.acl()) + 8 + 4;
        } else if (op instanceof TxnOp.DeleteTxn d) {
            return 4 + JuteOutput.stringSize(d.path());
        } else if (op instanceof TxnOp.SetDataTxn s) {
            return 4 + JuteOutput.stringSize(s.path()) + JuteOutput.bufferSize(s.data()) + 4;
        } else if (op instanceof TxnOp.SetAclTxn s) {
            return 4 + JuteOutput.stringSize(s.path()) + aclSize(s.acl()) + 4;
        } else if (op instanceof TxnOp.CheckVersionTxn c) {
            return 4 + JuteOutput.stringSize(c.path()) + 4;
        } else if (op instanceof TxnOp.CreateSessionTxn) {
            return 4 + 4;
        } else if (op instanceof TxnOp.CloseSessionTxn c) {
            int n = 4 + 4;
            if (c.ephemerals() != null) {
                for (String path : c.ephemerals()) {
                    n += JuteOutput.stringSize(path);
                }
            }
            return n;
        } else if (op instanceof TxnOp.ErrorTxn) {
            return 4 + 4;
        } else if (op instanceof TxnOp.SessionSecretTxn s) {
            return 4 + JuteOutput.bufferSize(s.secret());
        } else if (op instanceof TxnOp.MultiTxn m) {
            int n = 4 + 4;
            if (m.ops() != null) {
                for (TxnOp sub : m.ops()) {
                    n += opSize(sub);
                }
            }
            return n;
        }
        throw new IllegalArgumentException("no encoding for " + op);
    }

    private static int aclSize(List<Acl> acl) {
        int n = 4;
        if (acl != null) {
            for (Acl a : acl) {
                n += 4 + JuteOutput.stringSize(a.id().scheme()) + JuteOutput.stringSize(a.id().id());
            }
        }
        return n;
    }

    private static void writeOp(JuteOutput out, TxnOp op) {
        if (op instanceof TxnOp.CreateTxn c) {
            out.writeInt(CREATE).writeString(c.path()).writeBuffer(c.data());
            Acl.writeList(out, c.acl());
            out.writeLong(c.ephemeralOwner()).writeInt(c.parentCVersion());
        } else if (op instanceof TxnOp.DeleteTxn d) {
            out.writeInt(DELETE).writeString(d.path());
        } else if (op instanceof TxnOp.SetDataTxn s) {
            out.writeInt(SET_DATA).writeString(s.path()).writeBuffer(s.data()).writeInt(s.version());
        } else if (op instanceof TxnOp.SetAclTxn s) {
            out.writeInt(SET_ACL).writeString(s.path());
            Acl.writeList(out, s.acl());
            out.writeInt(s.version());
        } else if (op instanceof TxnOp.CheckVersionTxn c) {
            out.writeInt(CHECK).writeString(c.path()).writeInt(c.version());
        } else if (op instanceof TxnOp.CreateSessionTxn c) {
            out.writeInt(CREATE_SESSION).writeInt(c.timeOut());
        } else if (op instanceof TxnOp.CloseSessionTxn c) {
            out.writeInt(CLOSE_SESSION).writeStringVector(c.ephemerals());
        } else if (op instanceof TxnOp.ErrorTxn e) {
            out.writeInt(ERROR).writeInt(e.err());
        } else if (op instanceof TxnOp.MultiTxn m) {
            out.writeInt(MULTI).writeVector(m.ops(), TxnCodec::writeOp);
        } else if (op instanceof TxnOp.SessionSecretTxn s) {
            out.writeInt(SESSION_SECRET).writeBuffer(s.secret());
        } else {
            throw new IllegalArgumentException("no encoding for " + op);
        }
    }

    private static TxnOp readOp(JuteInput in) {
        int tag = in.readInt();
        switch (tag) {
            case CREATE:
                return new TxnOp.CreateTxn(in.readString(), in.readBuffer(), Acl.readList(in), in.readLong(), in.readInt());
            case DELETE:
                return new TxnOp.DeleteTxn(in.readString());
            case SET_DATA:
                return new TxnOp.SetDataTxn(in.readString(), in.readBuffer(), in.readInt());
            case SET_ACL:
                return new TxnOp.SetAclTxn(in.readString(), Acl.readList(in), in.readInt());
            case CHECK:
                return new TxnOp.CheckVersionTxn(in.readString(), in.readInt());
            case CREATE_SESSION:
                return new TxnOp.CreateSessionTxn(in.readInt());
            case CLOSE_SESSION:
                return new TxnOp.CloseSessionTxn(in.readStringVector());
            case ERROR:
                return new TxnOp.ErrorTxn(in.readInt());
            case MULTI:
                List<TxnOp> ops = in.readVector(TxnCodec::readOp);
                return new TxnOp.MultiTxn(ops);
            case SESSION_SECRET:
                byte[] secret = in.readBuffer();
                if (secret == null || secret.length == 0) {
                    throw new MalformedRecordException("a session secret txn without a secret");
                }
                return new TxnOp.SessionSecretTxn(secret);
            default:
                throw new MalformedRecordException("unknown txn op tag " + tag);
        }
    }
}
