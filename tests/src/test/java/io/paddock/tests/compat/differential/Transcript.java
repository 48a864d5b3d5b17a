package io.paddock.tests.compat.differential;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Stat;

/**
 * What a script observed on one server, one line per outcome. Values that differ between any
 * two servers by nature are named instead of printed: each distinct zxid becomes z1, z2, ... in
 * order of first appearance (so "same zxid" and "later zxid" still compare), session ids become
 * the name of the session that owns them, and times are reduced to how they relate.
 */
final class Transcript {
    private static final long DAY_MS = 24L * 3600 * 1000;

    private final List<String> lines = new ArrayList<>();
    private final Map<Long, String> zxids = new HashMap<>();
    private final Map<Long, String> sessions = new HashMap<>();

    void add(String line) {
        lines.add(line);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    void nameSession(long sessionId, String name) {
        sessions.putIfAbsent(sessionId, name);
    }

    String zxid(long zxid) {
        if (zxid == 0 || zxid == -1) {
            return Long.toString(zxid);
        }
        return zxids.computeIfAbsent(zxid, z -> "z" + (zxids.size() + 1));
    }

    String session(long id) {
        if (id == 0) {
            return "0";
        }
        String name = sessions.get(id);
        return name != null ? "sid(" + name + ")" : "0x" + Long.toHexString(id);
    }

    String render(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof byte[] b) {
            return "'" + new String(b, java.nio.charset.StandardCharsets.UTF_8) + "'";
        } else if (v instanceof Stat s) {
            return stat(s);
        } else if (v instanceof ACL a) {
            return a.getPerms() + ":" + a.getId().getScheme() + ":" + a.getId().getId();
        } else if (v instanceof ClientInfo c) {
            return c.getAuthScheme() + ":" + c.getUser();
        } else if (v instanceof OpResult r) {
            return opResult(r);
        } else if (v instanceof List<?> l) {
            // child names and whoAmI's ids come back in hash order, which no client may rely on
            boolean unordered = !l.isEmpty() && l.stream().allMatch(x -> x instanceof String || x instanceof ClientInfo);
            List<String> items = l.stream().map(this::render).collect(Collectors.toList());
            if (unordered) {
                items.sort(null);
            }
            return "[" + String.join(", ", items) + "]";
        }
        return v.toString();
    }

    String stat(Stat s) {
        return "{czxid=" + zxid(s.getCzxid()) + " mzxid=" + zxid(s.getMzxid()) + " pzxid=" + zxid(s.getPzxid())
            + " version=" + s.getVersion() + " cversion=" + s.getCversion() + " aversion=" + s.getAversion()
            + " owner=" + session(s.getEphemeralOwner()) + " dataLength=" + s.getDataLength()
            + " numChildren=" + s.getNumChildren() + " time=" + times(s) + "}";
    }

    /** Times as relations: zero, or set (near now) with mtime equal to ctime when nothing modified the node. */
    private static String times(Stat s) {
        if (s.getCtime() == 0 && s.getMtime() == 0) {
            return "0";
        }
        if (s.getCtime() == 0) {
            return "ctime=0,mtime=" + (nearNow(s.getMtime()) ? "now" : Long.toString(s.getMtime()));
        }
        if (!nearNow(s.getCtime()) || !nearNow(s.getMtime())) {
            return "ctime=" + s.getCtime() + ",mtime=" + s.getMtime();
        }
        if (s.getMzxid() == s.getCzxid()) {
            return s.getMtime() == s.getCtime() ? "now,m=c" : "now,m!=c";
        }
        return s.getMtime() >= s.getCtime() ? "now,m>=c" : "now,m<c";
    }

    private static boolean nearNow(long millis) {
        return Math.abs(System.currentTimeMillis() - millis) < DAY_MS;
    }

    private String opResult(OpResult r) {
        if (r instanceof OpResult.CreateResult c) {
            return "create(" + c.getPath() + (c.getStat() == null ? "" : " " + stat(c.getStat())) + ")";
        } else if (r instanceof OpResult.SetDataResult s) {
            return "setData(" + (s.getStat() == null ? "null" : stat(s.getStat())) + ")";
        } else if (r instanceof OpResult.DeleteResult) {
            return "delete";
        } else if (r instanceof OpResult.CheckResult) {
            return "check";
        } else if (r instanceof OpResult.ErrorResult e) {
            return "error(" + org.apache.zookeeper.KeeperException.Code.get(e.getErr()) + ")";
        } else if (r instanceof OpResult.GetDataResult g) {
            return "getData(" + render(g.getData()) + " " + (g.getStat() == null ? "null" : stat(g.getStat())) + ")";
        } else if (r instanceof OpResult.GetChildrenResult g) {
            return "getChildren(" + render(g.getChildren()) + ")";
        }
        return r.toString();
    }
}
