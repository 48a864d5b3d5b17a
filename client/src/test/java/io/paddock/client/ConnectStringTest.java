package io.paddock.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ConnectStringTest {

    @Test
    void parsesHostsAndPortsInOrder() {
        assertThat(ConnectString.parse("a:1, b:2 ,127.0.0.1:2181").servers()).containsExactly(
            InetSocketAddress.createUnresolved("a", 1), InetSocketAddress.createUnresolved("b", 2),
            InetSocketAddress.createUnresolved("127.0.0.1", 2181));
    }

    @Test
    void defaultsThePortTo2181AndReadsBracketedIpv6() {
        assertThat(ConnectString.parse("zk,[::1]:2182,[fe80::1]").servers()).containsExactly(
            InetSocketAddress.createUnresolved("zk", 2181), InetSocketAddress.createUnresolved("::1", 2182),
            InetSocketAddress.createUnresolved("fe80::1", 2181));
    }

    @Test
    void rejectsWhatItCannotConnectTo() {
        assertThatThrownBy(() -> ConnectString.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse(" , ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectString.parse("a:x")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> ConnectString.parse("a:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ConnectString.parse(":2181")).hasMessageContaining("missing host");
        assertThatThrownBy(() -> ConnectString.parse("a:2181/app/")).hasMessageContaining("invalid chroot");
        assertThatThrownBy(() -> ConnectString.parse("a:2181/app//b")).hasMessageContaining("invalid chroot");
        assertThatThrownBy(() -> ConnectString.parse("/app")).hasMessageContaining("no server");
    }

    @Test
    void readsAChrootAfterTheServersAsZooKeeperDoes() {
        ConnectString parsed = ConnectString.parse("a:1,b:2/app/x");
        assertThat(parsed.servers()).containsExactly(InetSocketAddress.createUnresolved("a", 1),
            InetSocketAddress.createUnresolved("b", 2));
        Chroot chroot = parsed.chroot();
        assertThat(chroot.prefix("/")).isEqualTo("/app/x");
        assertThat(chroot.prefix("/n")).isEqualTo("/app/x/n");
        assertThat(chroot.strip("/app/x")).isEqualTo("/");
        assertThat(chroot.strip("/app/x/n/m")).isEqualTo("/n/m");
        assertThat(chroot.strip("/app/xy")).isEqualTo("/app/xy"); // not below the chroot
        assertThat(ConnectString.parse("a:1/").chroot()).isSameAs(Chroot.NONE);
        assertThat(ConnectString.parse("a:1").chroot().prefix("/n")).isEqualTo("/n");
    }
}
