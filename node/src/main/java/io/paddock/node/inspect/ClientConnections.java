package io.paddock.node.inspect;

import io.paddock.node.context.Connection;
import io.paddock.node.context.ConnectionStats;
import io.paddock.node.context.ServerContext;
import io.paddock.protocol.OpCode;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;

/** The client connections stat and cons list, and how they name a connection's last request. */
public final class ClientConnections {
    private ClientConnections() {
    }

    /** The client port's connections, oldest first. */
    public static List<Connection> of(ServerContext ctx) {
        return ctx.connections().all().stream().sorted(Comparator.comparingLong(Connection::established)).toList();
    }

    /** crst: every connection's counters start again. */
    public static void resetStats(ServerContext ctx) {
        ctx.connections().all().forEach(c -> c.stats().reset());
    }

    /** An address as ZooKeeper's JSON writes it: host:port, an IPv6 host in brackets. */
    public static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** How ZooKeeper's cons names the last request a connection answered ("NA" before the first). */
    public static String opName(int op) {
        return switch (op) {
            case OpCode.PING -> "PING";
            case OpCode.CREATE_SESSION -> "SESS";
            case OpCode.CLOSE_SESSION -> "CLOS";
            case OpCode.MULTI -> "MULT";
            case OpCode.MULTI_READ -> "MLTR";
            case OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_TTL, OpCode.CREATE_CONTAINER -> "CREA";
            case OpCode.DELETE, OpCode.DELETE_CONTAINER -> "DELE";
            case OpCode.SET_DATA -> "SETD";
            case OpCode.RECONFIG -> "RECO";
            case OpCode.SET_ACL -> "SETA";
            case OpCode.SYNC -> "SYNC";
            case OpCode.CHECK -> "CHEC";
            case OpCode.EXISTS -> "EXIS";
            case OpCode.GET_DATA -> "GETD";
            case OpCode.SET_WATCHES -> "SETW";
            case OpCode.SET_WATCHES2 -> "STW2";
            case OpCode.ADD_WATCH -> "ADDW";
            case OpCode.GET_ACL -> "GETA";
            case OpCode.GET_CHILDREN, OpCode.GET_CHILDREN2 -> "GETC";
            case OpCode.GET_ALL_CHILDREN_NUMBER -> "GETACN";
            case OpCode.CHECK_WATCHES -> "CHKW";
            case OpCode.REMOVE_WATCHES -> "REMW";
            case OpCode.GET_EPHEMERALS -> "GETE";
            case OpCode.WHO_AM_I -> "HOMI";
            case ConnectionStats.NO_OP -> "NA";
            default -> OpCode.name(op);
        };
    }
}
