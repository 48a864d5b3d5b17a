package io.paddock.node.admin;

import io.paddock.node.auth.Acls;
import io.paddock.node.tree.DataNode;
import io.paddock.node.tree.DataTree;
import io.paddock.protocol.Perms;
import io.paddock.protocol.Zxid;
import io.paddock.protocol.data.Stat;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;

/**
 * What {@code /paddock/tree?path=...} shows of one znode: its stat, its data, and a page of its
 * children in name order. The admin port has no client credentials, so data and children are
 * shown only where the znode's ACL lets anyone read them (world:anyone has READ), as a client
 * without auth would see them; the stat is always shown.
 */
final class TreeView {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private TreeView() {
    }

    /** The znode at {@code path} (a valid path), or null when there is none. */
    static Map<String, Object> json(DataTree tree, String path, int offset, int limit) {
        Lock lock = tree.readLock();
        lock.lock();
        try {
            DataNode n = tree.getNode(path);
            if (n == null) {
                return null;
            }
            boolean readable = Acls.permits(n.acl(), Perms.READ, List.of());
            List<String> children = new ArrayList<>(readable ? n.children() : List.of());
            children.sort(null);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("stat", stat(n.stat()));
            m.put("readable", readable);
            byte[] data = readable ? n.data() : null;
            String text = data == null ? null : utf8(data);
            m.put("dataEncoding", data == null ? null : text != null ? "utf8" : "base64");
            m.put("data", data == null ? null : text != null ? text : Base64.getEncoder().encodeToString(data));
            int from = Math.min(offset, children.size());
            int to = (int) Math.min((long) from + limit, children.size());
            m.put("offset", from);
            m.put("children", children.subList(from, to));
            m.put("nextOffset", to < children.size() ? to : null);
            return m;
        } finally {
            lock.unlock();
        }
    }

    /** ZooKeeper's Stat, field by field, zxids in hex. */
    private static Map<String, Object> stat(Stat s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("czxid", Zxid.toHex(s.czxid()));
        m.put("mzxid", Zxid.toHex(s.mzxid()));
        m.put("ctime", s.ctime());
        m.put("mtime", s.mtime());
        m.put("version", s.version());
        m.put("cversion", s.cversion());
        m.put("aversion", s.aversion());
        m.put("ephemeralOwner", "0x" + Long.toHexString(s.ephemeralOwner()));
        m.put("dataLength", s.dataLength());
        m.put("numChildren", s.numChildren());
        m.put("pzxid", Zxid.toHex(s.pzxid()));
        return m;
    }

    /** The data as text when it is valid UTF-8 without control characters (other than whitespace); null otherwise. */
    static String utf8(byte[] data) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return null;
            }
        }
        return text;
    }
}
