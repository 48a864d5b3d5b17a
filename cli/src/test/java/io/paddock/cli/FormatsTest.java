package io.paddock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.paddock.client.SessionEvent;
import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void sessionStatesPrintAsZooKeepersKeeperStates() {
        assertThat(Formats.event(SessionEvent.State.CONNECTED))
            .isEqualTo("WatchedEvent state:SyncConnected type:None path:null zxid: -1");
        // a resumed session is SyncConnected too: ZooKeeper does not tell the two apart
        assertThat(Formats.keeperState(SessionEvent.State.RECONNECTED)).isEqualTo("SyncConnected");
        assertThat(Formats.keeperState(SessionEvent.State.DISCONNECTED)).isEqualTo("Disconnected");
        assertThat(Formats.keeperState(SessionEvent.State.EXPIRED)).isEqualTo("Expired");
        assertThat(Formats.keeperState(SessionEvent.State.AUTH_FAILED)).isEqualTo("AuthFailed");
        assertThat(Formats.keeperState(SessionEvent.State.CLOSED)).isEqualTo("Closed");
    }
}
