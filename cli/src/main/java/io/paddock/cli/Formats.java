package io.paddock.cli;

import io.paddock.client.SessionEvent;
import io.paddock.client.WatchEvent;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Stat;
import java.io.PrintStream;
import java.util.Date;
import java.util.Locale;

/** How zkCli 3.9.5 writes stats, ACLs, errors and events, so that scripts written for it keep working. */
final class Formats {
    private Formats() {
    }

    /** zkCli's stat block; times as java.util.Date prints them, in the JVM's time zone, as zkCli does. */
    static void stat(Stat stat, PrintStream out) {
        out.println("cZxid = 0x" + Long.toHexString(stat.czxid()));
        out.println("ctime = " + new Date(stat.ctime()));
        out.println("mZxid = 0x" + Long.toHexString(stat.mzxid()));
        out.println("mtime = " + new Date(stat.mtime()));
        out.println("pZxid = 0x" + Long.toHexString(stat.pzxid()));
        out.println("cversion = " + stat.cversion());
        out.println("dataVersion = " + stat.version());
        out.println("aclVersion = " + stat.aversion());
        out.println("ephemeralOwner = 0x" + Long.toHexString(stat.ephemeralOwner()));
        out.println("dataLength = " + stat.dataLength());
        out.println("numChildren = " + stat.numChildren());
    }

    /** One ACL entry as getAcl prints it: the id as jute's CSV form of the record, then the permissions. */
    static void acl(Acl acl, PrintStream out) {
        out.println(csv(acl.id().scheme()) + "," + csv(acl.id().id()));
        out.println(": " + perms(acl.perms()));
    }

    /** Permission letters in ZooKeeper's order (cdrwa). */
    static String perms(int perms) {
        StringBuilder s = new StringBuilder();
        appendIf(s, perms, Perms.CREATE, 'c');
        appendIf(s, perms, Perms.DELETE, 'd');
        appendIf(s, perms, Perms.READ, 'r');
        appendIf(s, perms, Perms.WRITE, 'w');
        appendIf(s, perms, Perms.ADMIN, 'a');
        return s.toString();
    }

    private static void appendIf(StringBuilder s, int perms, int bit, char letter) {
        if ((perms & bit) != 0) {
            s.append(letter);
        }
    }

    /** A string field in jute's CSV form: a leading quote, the characters CSV would split on escaped. */
    static String csv(String s) {
        StringBuilder out = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\0' -> out.append("%00");
                case '\n' -> out.append("%0A");
                case '\r' -> out.append("%0D");
                case ',' -> out.append("%2C");
                case '}' -> out.append("%7D");
                case '%' -> out.append("%25");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The one line zkCli prints for a failed request (its CliWrapperException, else KeeperException's message). */
    static String error(ErrorCode code, String path) {
        return switch (code) {
            case NONODE -> "Node does not exist: " + path;
            case NODEEXISTS -> "Node already exists: " + path;
            case NOTEMPTY -> "Node not empty: " + path;
            case NOCHILDRENFOREPHEMERALS -> "Ephemerals cannot have children: " + path;
            case NOTREADONLY -> "Not a read-only call: " + path;
            case INVALIDACL -> "Acl is not valid : " + path;
            case NOAUTH -> "Insufficient permission : " + path;
            case BADARGUMENTS -> "Arguments are not valid : " + path;
            case BADVERSION -> "version No is not valid : " + path;
            case AUTHFAILED -> "Authentication is not valid : " + path;
            default -> "KeeperErrorCode = " + codeName(code) + (path == null ? "" : " for " + path);
        };
    }

    /** KeeperException.Code's messages for the codes zkCli has no sentence of its own for. */
    private static String codeName(ErrorCode code) {
        return switch (code) {
            case SYSTEMERROR -> "SystemError";
            case RUNTIMEINCONSISTENCY -> "RuntimeInconsistency";
            case DATAINCONSISTENCY -> "DataInconsistency";
            case CONNECTIONLOSS -> "ConnectionLoss";
            case MARSHALLINGERROR -> "MarshallingError";
            case UNIMPLEMENTED -> "Unimplemented";
            case OPERATIONTIMEOUT -> "OperationTimeout";
            case NEWCONFIGNOQUORUM -> "NewConfigNoQuorum";
            case RECONFIGINPROGRESS -> "ReconfigInProgress";
            case APIERROR -> "APIError";
            case SESSIONEXPIRED -> "Session expired";
            case INVALIDCALLBACK -> "Invalid callback";
            case SESSIONMOVED -> "Session moved";
            case EPHEMERALONLOCALSESSION -> "Ephemeral node on local session";
            case NOWATCHER -> "No such watcher";
            case UNKNOWNSESSION -> "Unknown session";
            case REQUESTTIMEOUT -> "Request timeout";
            case RECONFIGDISABLED -> "Reconfig is disabled";
            case SESSIONCLOSEDREQUIRESASLAUTH -> "Session closed because client failed to authenticate";
            case QUOTAEXCEEDED -> "Quota has exceeded";
            case THROTTLEDOP -> "Op throttled due to high load";
            default -> code.name();
        };
    }

    /** A watch event as ZooKeeper's WatchedEvent.toString writes it. */
    static String event(WatchEvent event) {
        return watchedEvent("SyncConnected", camel(event.type().name()), event.path(), event.zxid());
    }

    /** A session change as zkCli's default watcher prints it: an event of type None. */
    static String event(SessionEvent.State state) {
        return watchedEvent(keeperState(state), "None", null, -1);
    }

    static String keeperState(SessionEvent.State state) {
        // ZooKeeper has one state for a new session and a resumed one
        return state == SessionEvent.State.CONNECTED || state == SessionEvent.State.RECONNECTED ? "SyncConnected"
            : camel(state.name());
    }

    private static String watchedEvent(String state, String type, String path, long zxid) {
        return "WatchedEvent state:" + state + " type:" + type + " path:" + path + " zxid: " + zxid;
    }

    /** NODE_DATA_CHANGED -> NodeDataChanged. */
    static String camel(String constant) {
        StringBuilder s = new StringBuilder();
        for (String part : constant.split("_")) {
            s.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return s.toString();
    }
}
