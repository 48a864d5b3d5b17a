package io.paddock.protocol.compat;

import static io.paddock.protocol.compat.Samples.BOOLS;
import static io.paddock.protocol.compat.Samples.INTS;
import static io.paddock.protocol.compat.Samples.LONGS;
import static io.paddock.protocol.compat.Wire.assertAcls;
import static io.paddock.protocol.compat.Wire.assertClientInfo;
import static io.paddock.protocol.compat.Wire.assertSameWire;
import static io.paddock.protocol.compat.Wire.assertStat;
import static io.paddock.protocol.compat.Wire.zk;
import static io.paddock.protocol.compat.Wire.zkAcls;
import static io.paddock.protocol.compat.Wire.zkClientInfos;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.proto.AddWatchRequest;
import io.paddock.protocol.proto.AuthPacket;
import io.paddock.protocol.proto.CheckVersionRequest;
import io.paddock.protocol.proto.CheckWatchesRequest;
import io.paddock.protocol.proto.Create2Response;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.CreateResponse;
import io.paddock.protocol.proto.CreateTTLRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ErrorResponse;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.ExistsResponse;
import io.paddock.protocol.proto.GetACLRequest;
import io.paddock.protocol.proto.GetACLResponse;
import io.paddock.protocol.proto.GetAllChildrenNumberRequest;
import io.paddock.protocol.proto.GetAllChildrenNumberResponse;
import io.paddock.protocol.proto.GetChildren2Request;
import io.paddock.protocol.proto.GetChildren2Response;
import io.paddock.protocol.proto.GetChildrenRequest;
import io.paddock.protocol.proto.GetChildrenResponse;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.GetDataResponse;
import io.paddock.protocol.proto.GetEphemeralsRequest;
import io.paddock.protocol.proto.GetEphemeralsResponse;
import io.paddock.protocol.proto.MultiHeader;
import io.paddock.protocol.proto.ReconfigRequest;
import io.paddock.protocol.proto.RemoveWatchesRequest;
import io.paddock.protocol.proto.ReplyHeader;
import io.paddock.protocol.proto.RequestHeader;
import io.paddock.protocol.proto.SetACLRequest;
import io.paddock.protocol.proto.SetACLResponse;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.proto.SetDataResponse;
import io.paddock.protocol.proto.SetWatches;
import io.paddock.protocol.proto.SetWatches2;
import io.paddock.protocol.proto.SyncRequest;
import io.paddock.protocol.proto.SyncResponse;
import io.paddock.protocol.proto.WatcherEvent;
import io.paddock.protocol.proto.WhoAmIResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record of {@code io.paddock.protocol.proto} (except the connect handshake and multi, which
 * have their own tests) against ZooKeeper's generated record of the same name: same values, same
 * bytes; and Paddock's reader gets every field back from ZooKeeper's bytes.
 */
class ProtoRecordsCompatibilityTest {

    /** Paths and other ustrings: null, empty, ASCII, non-ASCII UTF-8, NUL, long. */
    static Stream<String> strings() {
        return Samples.strings();
    }

    private static final List<String> STRINGS = Samples.strings().toList();

    /** Create flags ZooKeeper knows, plus garbage a hostile client might send. */
    private static final int[] FLAGS = {0, 1, 2, 3, 4, 5, 6, -1, Integer.MAX_VALUE};

    // ---- headers ----

    @Test
    void requestHeader() {
        for (int xid : INTS) {
            for (int type : INTS) {
                var zk = new org.apache.zookeeper.proto.RequestHeader(xid, type);
                RequestHeader back = assertSameWire(new RequestHeader(xid, type), zk, RequestHeader::read);
                assertEquals(zk.getXid(), back.xid());
                assertEquals(zk.getType(), back.type());
            }
        }
    }

    @Test
    void replyHeader() {
        for (int xid : INTS) {
            for (long zxid : LONGS) {
                for (int err : INTS) {
                    var zk = new org.apache.zookeeper.proto.ReplyHeader(xid, zxid, err);
                    ReplyHeader back = assertSameWire(new ReplyHeader(xid, zxid, err), zk, ReplyHeader::read);
                    assertEquals(zk.getXid(), back.xid());
                    assertEquals(zk.getZxid(), back.zxid());
                    assertEquals(zk.getErr(), back.err());
                }
            }
        }
    }

    @Test
    void multiHeader() {
        for (int type : INTS) {
            for (boolean done : BOOLS) {
                for (int err : INTS) {
                    var zk = new org.apache.zookeeper.proto.MultiHeader(type, done, err);
                    MultiHeader back = assertSameWire(new MultiHeader(type, done, err), zk, MultiHeader::read);
                    assertEquals(zk.getType(), back.type());
                    assertEquals(zk.getDone(), back.done());
                    assertEquals(zk.getErr(), back.err());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void authPacket(String scheme) {
        for (int type : INTS) {
            for (byte[] auth : Samples.buffers()) {
                var zk = new org.apache.zookeeper.proto.AuthPacket(type, scheme, auth);
                AuthPacket back = assertSameWire(new AuthPacket(type, scheme, auth), zk, AuthPacket::read);
                assertEquals(zk.getType(), back.type());
                assertEquals(zk.getScheme(), back.scheme());
                assertArrayEquals(zk.getAuth(), back.auth());
            }
        }
    }

    // ---- create / delete / check ----

    @ParameterizedTest
    @MethodSource("strings")
    void createRequest(String path) {
        for (byte[] data : Samples.buffers()) {
            for (List<Acl> acl : Samples.aclLists()) {
                for (int flags : FLAGS) {
                    var zk = new org.apache.zookeeper.proto.CreateRequest(path, data, zkAcls(acl), flags);
                    CreateRequest back = assertSameWire(new CreateRequest(path, data, acl, flags), zk, CreateRequest::read);
                    assertEquals(zk.getPath(), back.path());
                    assertArrayEquals(zk.getData(), back.data());
                    assertAcls(zk.getAcl(), back.acl());
                    assertEquals(zk.getFlags(), back.flags());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void createTTLRequest(String path) {
        for (byte[] data : Samples.buffers()) {
            for (List<Acl> acl : Samples.aclLists()) {
                for (long ttl : LONGS) {
                    int flags = 5;
                    var zk = new org.apache.zookeeper.proto.CreateTTLRequest(path, data, zkAcls(acl), flags, ttl);
                    CreateTTLRequest back = assertSameWire(new CreateTTLRequest(path, data, acl, flags, ttl), zk,
                        CreateTTLRequest::read);
                    assertEquals(zk.getPath(), back.path());
                    assertArrayEquals(zk.getData(), back.data());
                    assertAcls(zk.getAcl(), back.acl());
                    assertEquals(zk.getFlags(), back.flags());
                    assertEquals(zk.getTtl(), back.ttl());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void createResponse(String path) {
        var zk = new org.apache.zookeeper.proto.CreateResponse(path);
        assertEquals(zk.getPath(), assertSameWire(new CreateResponse(path), zk, CreateResponse::read).path());
    }

    @ParameterizedTest
    @MethodSource("strings")
    void create2Response(String path) {
        for (Stat stat : Samples.stats()) {
            var zk = new org.apache.zookeeper.proto.Create2Response(path, zk(stat));
            Create2Response back = assertSameWire(new Create2Response(path, stat), zk, Create2Response::read);
            assertEquals(zk.getPath(), back.path());
            assertStat(zk.getStat(), back.stat());
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void deleteRequest(String path) {
        for (int version : INTS) {
            var zk = new org.apache.zookeeper.proto.DeleteRequest(path, version);
            DeleteRequest back = assertSameWire(new DeleteRequest(path, version), zk, DeleteRequest::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getVersion(), back.version());
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void checkVersionRequest(String path) {
        for (int version : INTS) {
            var zk = new org.apache.zookeeper.proto.CheckVersionRequest(path, version);
            CheckVersionRequest back = assertSameWire(new CheckVersionRequest(path, version), zk,
                CheckVersionRequest::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getVersion(), back.version());
        }
    }

    @Test
    void errorResponse() {
        for (int err : INTS) {
            var zk = new org.apache.zookeeper.proto.ErrorResponse(err);
            assertEquals(zk.getErr(), assertSameWire(new ErrorResponse(err), zk, ErrorResponse::read).err());
        }
    }

    // ---- reads ----

    @ParameterizedTest
    @MethodSource("strings")
    void existsRequest(String path) {
        for (boolean watch : BOOLS) {
            var zk = new org.apache.zookeeper.proto.ExistsRequest(path, watch);
            ExistsRequest back = assertSameWire(new ExistsRequest(path, watch), zk, ExistsRequest::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getWatch(), back.watch());
        }
    }

    @Test
    void existsResponse() {
        for (Stat stat : Samples.stats()) {
            var zk = new org.apache.zookeeper.proto.ExistsResponse(zk(stat));
            assertStat(zk.getStat(), assertSameWire(new ExistsResponse(stat), zk, ExistsResponse::read).stat());
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void getDataRequest(String path) {
        for (boolean watch : BOOLS) {
            var zk = new org.apache.zookeeper.proto.GetDataRequest(path, watch);
            GetDataRequest back = assertSameWire(new GetDataRequest(path, watch), zk, GetDataRequest::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getWatch(), back.watch());
        }
    }

    @Test
    void getDataResponse() {
        for (byte[] data : Samples.buffers()) {
            for (Stat stat : Samples.stats()) {
                var zk = new org.apache.zookeeper.proto.GetDataResponse(data, zk(stat));
                GetDataResponse back = assertSameWire(new GetDataResponse(data, stat), zk, GetDataResponse::read);
                assertArrayEquals(zk.getData(), back.data());
                assertStat(zk.getStat(), back.stat());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void getChildrenRequest(String path) {
        for (boolean watch : BOOLS) {
            var zk = new org.apache.zookeeper.proto.GetChildrenRequest(path, watch);
            GetChildrenRequest back = assertSameWire(new GetChildrenRequest(path, watch), zk, GetChildrenRequest::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getWatch(), back.watch());
        }
    }

    @Test
    void getChildrenResponse() {
        for (List<String> children : Samples.stringLists()) {
            var zk = new org.apache.zookeeper.proto.GetChildrenResponse(children);
            assertEquals(zk.getChildren(),
                assertSameWire(new GetChildrenResponse(children), zk, GetChildrenResponse::read).children());
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void getChildren2Request(String path) {
        for (boolean watch : BOOLS) {
            var zk = new org.apache.zookeeper.proto.GetChildren2Request(path, watch);
            GetChildren2Request back = assertSameWire(new GetChildren2Request(path, watch), zk,
                GetChildren2Request::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getWatch(), back.watch());
        }
    }

    @Test
    void getChildren2Response() {
        for (List<String> children : Samples.stringLists()) {
            for (Stat stat : Samples.stats()) {
                var zk = new org.apache.zookeeper.proto.GetChildren2Response(children, zk(stat));
                GetChildren2Response back = assertSameWire(new GetChildren2Response(children, stat), zk,
                    GetChildren2Response::read);
                assertEquals(zk.getChildren(), back.children());
                assertStat(zk.getStat(), back.stat());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void getAllChildrenNumberRequest(String path) {
        var zk = new org.apache.zookeeper.proto.GetAllChildrenNumberRequest(path);
        assertEquals(zk.getPath(),
            assertSameWire(new GetAllChildrenNumberRequest(path), zk, GetAllChildrenNumberRequest::read).path());
    }

    @Test
    void getAllChildrenNumberResponse() {
        for (int total : INTS) {
            var zk = new org.apache.zookeeper.proto.GetAllChildrenNumberResponse(total);
            assertEquals(zk.getTotalNumber(), assertSameWire(new GetAllChildrenNumberResponse(total), zk,
                GetAllChildrenNumberResponse::read).totalNumber());
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void getEphemeralsRequest(String prefixPath) {
        var zk = new org.apache.zookeeper.proto.GetEphemeralsRequest(prefixPath);
        assertEquals(zk.getPrefixPath(),
            assertSameWire(new GetEphemeralsRequest(prefixPath), zk, GetEphemeralsRequest::read).prefixPath());
    }

    @Test
    void getEphemeralsResponse() {
        for (List<String> ephemerals : Samples.stringLists()) {
            var zk = new org.apache.zookeeper.proto.GetEphemeralsResponse(ephemerals);
            assertEquals(zk.getEphemerals(),
                assertSameWire(new GetEphemeralsResponse(ephemerals), zk, GetEphemeralsResponse::read).ephemerals());
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void syncRequest(String path) {
        var zk = new org.apache.zookeeper.proto.SyncRequest(path);
        assertEquals(zk.getPath(), assertSameWire(new SyncRequest(path), zk, SyncRequest::read).path());
    }

    @ParameterizedTest
    @MethodSource("strings")
    void syncResponse(String path) {
        var zk = new org.apache.zookeeper.proto.SyncResponse(path);
        assertEquals(zk.getPath(), assertSameWire(new SyncResponse(path), zk, SyncResponse::read).path());
    }

    // ---- data and ACL writes ----

    @ParameterizedTest
    @MethodSource("strings")
    void setDataRequest(String path) {
        for (byte[] data : Samples.buffers()) {
            for (int version : INTS) {
                var zk = new org.apache.zookeeper.proto.SetDataRequest(path, data, version);
                SetDataRequest back = assertSameWire(new SetDataRequest(path, data, version), zk, SetDataRequest::read);
                assertEquals(zk.getPath(), back.path());
                assertArrayEquals(zk.getData(), back.data());
                assertEquals(zk.getVersion(), back.version());
            }
        }
    }

    @Test
    void setDataResponse() {
        for (Stat stat : Samples.stats()) {
            var zk = new org.apache.zookeeper.proto.SetDataResponse(zk(stat));
            assertStat(zk.getStat(), assertSameWire(new SetDataResponse(stat), zk, SetDataResponse::read).stat());
        }
    }

    @Test
    void largeDataNearJuteMaxBuffer() {
        byte[] data = new byte[1024 * 1024 - 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        var zk = new org.apache.zookeeper.proto.SetDataRequest("/big", data, -1);
        assertArrayEquals(data, assertSameWire(new SetDataRequest("/big", data, -1), zk, SetDataRequest::read).data());
    }

    @ParameterizedTest
    @MethodSource("strings")
    void getACLRequest(String path) {
        var zk = new org.apache.zookeeper.proto.GetACLRequest(path);
        assertEquals(zk.getPath(), assertSameWire(new GetACLRequest(path), zk, GetACLRequest::read).path());
    }

    @Test
    void getACLResponse() {
        for (List<Acl> acl : Samples.aclLists()) {
            for (Stat stat : Samples.stats()) {
                var zk = new org.apache.zookeeper.proto.GetACLResponse(zkAcls(acl), zk(stat));
                GetACLResponse back = assertSameWire(new GetACLResponse(acl, stat), zk, GetACLResponse::read);
                assertAcls(zk.getAcl(), back.acl());
                assertStat(zk.getStat(), back.stat());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void setACLRequest(String path) {
        for (List<Acl> acl : Samples.aclLists()) {
            for (int version : INTS) {
                var zk = new org.apache.zookeeper.proto.SetACLRequest(path, zkAcls(acl), version);
                SetACLRequest back = assertSameWire(new SetACLRequest(path, acl, version), zk, SetACLRequest::read);
                assertEquals(zk.getPath(), back.path());
                assertAcls(zk.getAcl(), back.acl());
                assertEquals(zk.getVersion(), back.version());
            }
        }
    }

    @Test
    void setACLResponse() {
        for (Stat stat : Samples.stats()) {
            var zk = new org.apache.zookeeper.proto.SetACLResponse(zk(stat));
            assertStat(zk.getStat(), assertSameWire(new SetACLResponse(stat), zk, SetACLResponse::read).stat());
        }
    }

    // ---- watches ----

    @ParameterizedTest
    @MethodSource("strings")
    void watcherEvent(String path) {
        for (int type : new int[] {-1, 1, 2, 3, 4, 5, 6, 7}) {
            for (int state : new int[] {0, 3, 4, 5, 6, -112, 7}) {
                var zk = new org.apache.zookeeper.proto.WatcherEvent(type, state, path);
                WatcherEvent back = assertSameWire(new WatcherEvent(type, state, path), zk, WatcherEvent::read);
                assertEquals(zk.getType(), back.type());
                assertEquals(zk.getState(), back.state());
                assertEquals(zk.getPath(), back.path());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void addWatchRequest(String path) {
        for (int mode : INTS) {
            var zk = new org.apache.zookeeper.proto.AddWatchRequest(path, mode);
            AddWatchRequest back = assertSameWire(new AddWatchRequest(path, mode), zk, AddWatchRequest::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getMode(), back.mode());
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void checkWatchesRequest(String path) {
        for (int type : INTS) {
            var zk = new org.apache.zookeeper.proto.CheckWatchesRequest(path, type);
            CheckWatchesRequest back = assertSameWire(new CheckWatchesRequest(path, type), zk,
                CheckWatchesRequest::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getType(), back.type());
        }
    }

    @ParameterizedTest
    @MethodSource("strings")
    void removeWatchesRequest(String path) {
        for (int type : INTS) {
            var zk = new org.apache.zookeeper.proto.RemoveWatchesRequest(path, type);
            RemoveWatchesRequest back = assertSameWire(new RemoveWatchesRequest(path, type), zk,
                RemoveWatchesRequest::read);
            assertEquals(zk.getPath(), back.path());
            assertEquals(zk.getType(), back.type());
        }
    }

    /** Sample string lists, the i-th one first: rotating it gives each vector field a different sample. */
    private static List<List<String>> rotated(int i) {
        List<List<String>> lists = Samples.stringLists();
        List<List<String>> out = new ArrayList<>();
        for (int k = 0; k < lists.size(); k++) {
            out.add(lists.get((i + k) % lists.size()));
        }
        return out;
    }

    @Test
    void setWatches() {
        for (long relativeZxid : LONGS) {
            for (int i = 0; i < Samples.stringLists().size(); i++) {
                List<List<String>> w = rotated(i);
                var zk = new org.apache.zookeeper.proto.SetWatches(relativeZxid, w.get(0), w.get(1), w.get(2));
                SetWatches back = assertSameWire(new SetWatches(relativeZxid, w.get(0), w.get(1), w.get(2)), zk,
                    SetWatches::read);
                assertEquals(zk.getRelativeZxid(), back.relativeZxid());
                assertEquals(zk.getDataWatches(), back.dataWatches());
                assertEquals(zk.getExistWatches(), back.existWatches());
                assertEquals(zk.getChildWatches(), back.childWatches());
            }
        }
    }

    @Test
    void setWatches2() {
        for (long relativeZxid : LONGS) {
            for (int i = 0; i < Samples.stringLists().size(); i++) {
                List<List<String>> w = rotated(i);
                var zk = new org.apache.zookeeper.proto.SetWatches2(relativeZxid, w.get(0), w.get(1), w.get(2),
                    w.get(3), w.get(4));
                SetWatches2 back = assertSameWire(
                    new SetWatches2(relativeZxid, w.get(0), w.get(1), w.get(2), w.get(3), w.get(4)), zk,
                    SetWatches2::read);
                assertEquals(zk.getRelativeZxid(), back.relativeZxid());
                assertEquals(zk.getDataWatches(), back.dataWatches());
                assertEquals(zk.getExistWatches(), back.existWatches());
                assertEquals(zk.getChildWatches(), back.childWatches());
                assertEquals(zk.getPersistentWatches(), back.persistentWatches());
                assertEquals(zk.getPersistentRecursiveWatches(), back.persistentRecursiveWatches());
            }
        }
    }

    @Test
    void setWatchesWithDistinctVectorsKeepsTheirOrder() {
        var zk = new org.apache.zookeeper.proto.SetWatches2(7L, List.of("/data"), List.of("/exist"),
            List.of("/child"), List.of("/persistent"), List.of("/recursive"));
        SetWatches2 back = assertSameWire(new SetWatches2(7L, List.of("/data"), List.of("/exist"), List.of("/child"),
            List.of("/persistent"), List.of("/recursive")), zk, SetWatches2::read);
        assertEquals(List.of("/data"), back.dataWatches());
        assertEquals(List.of("/exist"), back.existWatches());
        assertEquals(List.of("/child"), back.childWatches());
        assertEquals(List.of("/persistent"), back.persistentWatches());
        assertEquals(List.of("/recursive"), back.persistentRecursiveWatches());
    }

    // ---- admin ----

    @ParameterizedTest
    @MethodSource("strings")
    void reconfigRequest(String joiningServers) {
        for (int i = 0; i < STRINGS.size(); i++) {
            String leaving = STRINGS.get(i);
            String newMembers = STRINGS.get((i + 3) % STRINGS.size());
            for (long curConfigId : LONGS) {
                var zk = new org.apache.zookeeper.proto.ReconfigRequest(joiningServers, leaving, newMembers, curConfigId);
                ReconfigRequest back = assertSameWire(
                    new ReconfigRequest(joiningServers, leaving, newMembers, curConfigId), zk, ReconfigRequest::read);
                assertEquals(zk.getJoiningServers(), back.joiningServers());
                assertEquals(zk.getLeavingServers(), back.leavingServers());
                assertEquals(zk.getNewMembers(), back.newMembers());
                assertEquals(zk.getCurConfigId(), back.curConfigId());
            }
        }
    }

    @Test
    void whoAmIResponse() {
        List<List<ClientInfo>> samples = Arrays.asList(
            null,
            List.of(),
            List.of(new ClientInfo("ip", "127.0.0.1")),
            List.of(new ClientInfo("digest", "bob"), new ClientInfo("sasl", "zöé@REALM.例え"),
                new ClientInfo(null, null), new ClientInfo("", "")));
        for (List<ClientInfo> infos : samples) {
            var zk = new org.apache.zookeeper.proto.WhoAmIResponse(zkClientInfos(infos));
            WhoAmIResponse back = assertSameWire(new WhoAmIResponse(infos), zk, WhoAmIResponse::read);
            if (infos == null) {
                assertNull(back.clientInfo());
                continue;
            }
            assertEquals(zk.getClientInfo().size(), back.clientInfo().size());
            for (int i = 0; i < infos.size(); i++) {
                assertClientInfo(zk.getClientInfo().get(i), back.clientInfo().get(i));
            }
        }
    }

    @Test
    void openAclCreateOfTheJavaClient() {
        // what ZooKeeper#create("/app", "v", OPEN_ACL_UNSAFE, PERSISTENT) puts after its RequestHeader
        var zk = new org.apache.zookeeper.proto.CreateRequest("/app", new byte[] {'v'},
            org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE, 0);
        CreateRequest back = assertSameWire(
            new CreateRequest("/app", new byte[] {'v'}, List.of(new Acl(31, new Id("world", "anyone"))), 0), zk,
            CreateRequest::read);
        assertAcls(zk.getAcl(), back.acl());
    }
}
