package io.paddock.node.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumVerifierTest {
    @Test
    void votersIterateInAscendingOrderWhateverTheConfiguredOrder() {
        assertThat(new QuorumVerifier(List.of(5L, 1L, 3L, 1L)).voters()).containsExactly(1L, 3L, 5L);
    }

    @Test
    void duplicatesAmongTheIdsCountOnce() {
        QuorumVerifier q = new QuorumVerifier(List.of(1L, 2L, 3L));
        assertThat(q.containsQuorum(List.of(1L, 1L))).isFalse();
        assertThat(q.containsQuorum(List.of(1L, 3L))).isTrue();
    }

    @Test
    void thereIsNoQuorumWithoutVoters() {
        assertThatThrownBy(() -> new QuorumVerifier(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
