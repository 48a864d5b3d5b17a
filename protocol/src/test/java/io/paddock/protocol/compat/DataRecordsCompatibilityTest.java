package io.paddock.protocol.compat;

import static io.paddock.protocol.compat.Samples.INTS;
import static io.paddock.protocol.compat.Wire.assertAcl;
import static io.paddock.protocol.compat.Wire.assertClientInfo;
import static io.paddock.protocol.compat.Wire.assertId;
import static io.paddock.protocol.compat.Wire.assertSameWire;
import static io.paddock.protocol.compat.Wire.assertStat;
import static io.paddock.protocol.compat.Wire.zk;

import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Id;
import io.paddock.protocol.data.Stat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code io.paddock.protocol.data} against {@code org.apache.zookeeper.data}, byte for byte. */
class DataRecordsCompatibilityTest {

    static Stream<String> strings() {
        return Samples.strings();
    }

    @ParameterizedTest
    @MethodSource("strings")
    void id(String scheme) {
        for (String id : Samples.strings().toList()) {
            var zk = new org.apache.zookeeper.data.Id(scheme, id);
            Id back = assertSameWire(new Id(scheme, id), zk, Id::read);
            assertId(zk, back);
        }
    }

    @Test
    void acl() {
        for (List<Acl> list : Samples.aclLists()) {
            for (Acl acl : list == null ? List.<Acl>of() : list) {
                for (int perms : INTS) {
                    Acl paddock = new Acl(perms, acl.id());
                    var zk = new org.apache.zookeeper.data.ACL(perms, zk(acl.id()));
                    assertAcl(zk, assertSameWire(paddock, zk, Acl::read));
                }
            }
        }
    }

    @Test
    void aclConstantsMatchZooDefs() {
        var zkOpen = org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE;
        var zkRead = org.apache.zookeeper.ZooDefs.Ids.READ_ACL_UNSAFE;
        Wire.assertAcls(zkOpen, Acl.OPEN_ACL_UNSAFE);
        Wire.assertAcls(zkRead, Acl.READ_ACL_UNSAFE);
        assertId(org.apache.zookeeper.ZooDefs.Ids.ANYONE_ID_UNSAFE, Id.ANYONE);
    }

    @Test
    void stat() {
        for (Stat stat : Samples.stats()) {
            var zk = zk(stat);
            assertStat(zk, assertSameWire(stat, zk, Stat::read));
        }
    }

    @Test
    void statFieldsAreNotInterchangeable() {
        // every field a distinct value, so a swapped pair of same-typed fields cannot go unnoticed
        Stat stat = new Stat(1L, 2L, 3L, 4L, 5, 6, 7, 8L, 9, 10, 11L);
        var zk = zk(stat);
        assertStat(zk, assertSameWire(stat, zk, Stat::read));
    }

    @ParameterizedTest
    @MethodSource("strings")
    void clientInfo(String authScheme) {
        for (String user : Samples.strings().toList()) {
            var zk = new org.apache.zookeeper.data.ClientInfo(authScheme, user);
            assertClientInfo(zk, assertSameWire(new ClientInfo(authScheme, user), zk, ClientInfo::read));
        }
    }
}
