package io.paddock.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paddock.config.ServerSpec.Role;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLineParserTest {
    private final Path file = Path.of("zoo.cfg");
    private final List<String> warnings = new ArrayList<>();

    private ServerSpec parse(String value) {
        return ServerLineParser.parse(file, "server.7", 7, value, warnings);
    }

    @Test
    void hostAndTwoPorts() {
        assertThat(parse("zk1:2888:3888")).isEqualTo(new ServerSpec(7, "zk1", 2888, 3888, Role.PARTICIPANT, null));
    }

    @Test
    void roleIsCaseInsensitive() {
        assertThat(parse("zk1:2888:3888:OBSERVER").role()).isEqualTo(Role.OBSERVER);
        assertThat(parse("zk1:2888:3888:Participant").role()).isEqualTo(Role.PARTICIPANT);
    }

    @Test
    void clientPortAloneListensOnAllAddresses() {
        assertThat(parse("zk1:2888:3888;2181").clientAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 2181));
    }

    @Test
    void clientAddressAndPort() {
        assertThat(parse("zk1:2888:3888:participant;127.0.0.1:2181").clientAddress())
                .isEqualTo(new InetSocketAddress("127.0.0.1", 2181));
    }

    @Test
    void ipv6InBrackets() {
        ServerSpec spec = parse("[2001:db8::1]:2888:3888:observer;[::1]:2181");
        assertThat(spec.host()).isEqualTo("2001:db8::1");
        assertThat(spec.quorumPort()).isEqualTo(2888);
        assertThat(spec.electionPort()).isEqualTo(3888);
        assertThat(spec.role()).isEqualTo(Role.OBSERVER);
        assertThat(spec.clientAddress()).isEqualTo(new InetSocketAddress("::1", 2181));
    }

    @Test
    void trailingColonIsToleratedAsInZooKeeper() {
        assertThat(parse("zk1:2888:3888:")).isEqualTo(new ServerSpec(7, "zk1", 2888, 3888, Role.PARTICIPANT, null));
    }

    @Test
    void surroundingSpacesAreTrimmed() {
        assertThat(parse("  zk1 : 2888 : 3888 ; 2181 ")).isEqualTo(new ServerSpec(7, "zk1", 2888, 3888,
                Role.PARTICIPANT, new InetSocketAddress("0.0.0.0", 2181)));
    }

    @Test
    void unresolvableHostsAreKeptAsWritten() {
        ServerSpec spec = parse("no-such-host.invalid:2888:3888;no-such-host.invalid:2181");
        assertThat(spec.host()).isEqualTo("no-such-host.invalid");
        assertThat(spec.clientAddress().isUnresolved()).isTrue();
    }

    @Test
    void extraAddressesAreValidatedThenDropped() {
        assertThat(parse("a:1:2|b:3:4").host()).isEqualTo("a");
        assertThat(warnings).containsExactly(
                "server.7: only the first address (a:1:2) is used; Paddock binds one address per server");
        assertThatThrownBy(() -> parse("a:1:2|b:3"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'a:1:2|b:3' is not a server address");
        assertThatThrownBy(() -> parse("a:1:2:observer|b:3:4:participant"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("zoo.cfg: server.7: all addresses of one server must have the same role; "
                        + ServerLineParser.FORMAT);
    }

    @Test
    void tooManyParts() {
        assertThatThrownBy(() -> parse("zk1:2888:3888:observer:extra"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("zoo.cfg: server.7: 'zk1:2888:3888:observer:extra' is not a server address; "
                        + ServerLineParser.FORMAT);
    }

    @Test
    void ipv6WithoutPortAfterBracket() {
        assertThatThrownBy(() -> parse("[::1]2888:3888"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("needs ':port' after ']'");
    }
}
