package io.paddock.protocol.txn;

/**
 * One transaction of the replicated log, as the leader prepared it: everything a replica needs
 * to apply it deterministically.
 *
 * @param zxid      its position in the log ({@code epoch << 32 | counter})
 * @param sessionId the session whose request produced it
 * @param cxid      the client's xid of that request
 * @param time      the leader's clock when it was prepared (becomes ctime/mtime)
 * @param op        what it does
 */
public record Txn(long zxid, long sessionId, int cxid, long time, TxnOp op) {
}
