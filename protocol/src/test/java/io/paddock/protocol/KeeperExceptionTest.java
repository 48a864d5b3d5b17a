package io.paddock.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeeperExceptionTest {

    @Test
    void everyErrorCodeHasItsOwnSubclassNamedAsInZooKeeper() throws Exception {
        Set<Class<?>> seen = new HashSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.OK) {
                continue;
            }
            KeeperException e = KeeperException.create(code, "/a");
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getClass().getEnclosingClass()).as("%s", code).isEqualTo(KeeperException.class);
            assertThat(seen.add(e.getClass())).as("%s has a class of its own", code).isTrue();
            // ZooKeeper's class of the same name stands for the same code
            org.apache.zookeeper.KeeperException theirs = (org.apache.zookeeper.KeeperException) Class
                .forName(org.apache.zookeeper.KeeperException.class.getName() + "$" + e.getClass().getSimpleName())
                .getConstructor().newInstance();
            assertThat(theirs.code().intValue()).as("%s", e.getClass().getSimpleName()).isEqualTo(code.code());
            assertThat(e).hasMessage(code.name() + " for /a");
        }
    }

    @Test
    void okIsNoFailure() {
        assertThatThrownBy(() -> KeeperException.create(ErrorCode.OK)).isInstanceOf(IllegalArgumentException.class);
    }
}
