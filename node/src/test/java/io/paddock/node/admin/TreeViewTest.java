package io.paddock.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.node.tree.DataTree;
import io.paddock.node.watch.WatchManager;
import io.paddock.protocol.Perms;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.txn.Txn;
import io.paddock.protocol.txn.TxnOp;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TreeViewTest {
    private final DataTree tree = new DataTree(new WatchManager());
    private long zxid = 0x100000000L;

    private void create(String path, byte[] data, List<Acl> acl) {
        zxid++;
        tree.apply(new Txn(zxid, 1, (int) zxid, 10, new TxnOp.CreateTxn(path, data, acl, 0, 1)));
    }

    @Test
    void textDataIsShownAsTextAndBinaryDataAsBase64() {
        create("/text", "host=a\nport=1".getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE);
        byte[] binary = {0, 1, (byte) 0xff, 'a'};
        create("/binary", binary, Acl.OPEN_ACL_UNSAFE);

        assertThat(TreeView.json(tree, "/text", 0, 10)).containsEntry("dataEncoding", "utf8")
            .containsEntry("data", "host=a\nport=1");
        assertThat(TreeView.json(tree, "/binary", 0, 10)).containsEntry("dataEncoding", "base64")
            .containsEntry("data", Base64.getEncoder().encodeToString(binary));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStatIsZooKeepersWithZxidsInHex() {
        create("/n", new byte[3], Acl.OPEN_ACL_UNSAFE);
        Map<String, Object> stat = (Map<String, Object>) TreeView.json(tree, "/n", 0, 10).get("stat");
        assertThat(stat).containsOnlyKeys("czxid", "mzxid", "ctime", "mtime", "version", "cversion", "aversion",
            "ephemeralOwner", "dataLength", "numChildren", "pzxid");
        assertThat(stat).containsEntry("czxid", "0x" + Long.toHexString(zxid)).containsEntry("dataLength", 3)
            .containsEntry("ephemeralOwner", "0x0");
    }

    @Test
    void childrenComeInNameOrderAPageAtATime() {
        create("/p", null, Acl.OPEN_ACL_UNSAFE);
        for (String name : List.of("d", "b", "e", "a", "c")) {
            create("/p/" + name, null, Acl.OPEN_ACL_UNSAFE);
        }
        Map<String, Object> first = TreeView.json(tree, "/p", 0, 2);
        assertThat(first).containsEntry("children", List.of("a", "b")).containsEntry("nextOffset", 2);
        Map<String, Object> last = TreeView.json(tree, "/p", 4, 2);
        assertThat(last).containsEntry("children", List.of("e")).containsEntry("nextOffset", null);
        assertThat(TreeView.json(tree, "/p", 9, 2)).containsEntry("children", List.of()).containsEntry("offset", 5);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aZnodeAnonymousClientsMayNotReadShowsOnlyItsStat() {
        List<Acl> digestOnly = List.of(new Acl(Perms.ALL, new Id("digest", "bob:hash")));
        create("/secret", "password".getBytes(StandardCharsets.UTF_8), digestOnly);
        create("/secret/child", null, Acl.OPEN_ACL_UNSAFE);

        Map<String, Object> view = TreeView.json(tree, "/secret", 0, 10);
        assertThat(view).containsEntry("readable", false).containsEntry("data", null)
            .containsEntry("children", List.of());
        assertThat((Map<String, Object>) view.get("stat")).containsEntry("numChildren", 1);
    }

    @Test
    void aMissingZnodeIsNull() {
        assertThat(TreeView.json(tree, "/nothing", 0, 10)).isNull();
    }

    @Test
    void controlCharactersMakeDataBinary() {
        assertThat(TreeView.utf8("tab\tand newline\n".getBytes(StandardCharsets.UTF_8))).isNotNull();
        assertThat(TreeView.utf8(new byte[] {'a', 7})).isNull();
        assertThat(TreeView.utf8(new byte[] {(byte) 0xc3})).isNull();
    }
}
