package io.paddock.node.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalTrackerTest {
    @Test
    void quorumOfOneCommitsOnItsOwnAck() {
        ProposalTracker t = new ProposalTracker(new QuorumVerifier(List.of(1L)), 0);
        t.propose(1);
        t.propose(2);
        assertThat(t.ack(1, 1)).isEqualTo(1);
        assertThat(t.ack(1, 2)).isEqualTo(2);
    }

    @Test
    void threeVotersCommitOnTheSecondAckAndIgnoreObservers() {
        ProposalTracker t = new ProposalTracker(new QuorumVerifier(List.of(1L, 2L, 3L)), 0);
        t.propose(1);
        t.propose(2);
        t.propose(3);
        assertThat(t.ack(1, 3)).isZero();
        assertThat(t.ack(9, 3)).as("observer").isZero();
        assertThat(t.ack(2, 2)).isEqualTo(2);
        assertThat(t.ack(3, 3)).isEqualTo(3);
    }

    @Test
    void commitsNeverGoBackwardsAndAcksBeyondTheLastProposalAreIgnored() {
        ProposalTracker t = new ProposalTracker(new QuorumVerifier(List.of(1L, 2L, 3L)), 0);
        t.propose(5);
        assertThat(t.ack(1, 7)).isZero();
        t.ack(1, 5);
        assertThat(t.ack(2, 5)).isEqualTo(5);
        assertThat(t.ack(2, 1)).isEqualTo(5);
    }

    @Test
    void aForgottenFollowerCountsAgainOnlyFromItsNextAcks() {
        ProposalTracker t = new ProposalTracker(new QuorumVerifier(List.of(1L, 2L, 3L)), 0);
        t.propose(1);
        t.propose(2);
        t.ack(2, 2);
        t.forget(2);
        assertThat(t.ack(1, 2)).as("2's ack of its ended session no longer counts").isZero();
        assertThat(t.committed()).isZero();
        assertThat(t.ack(2, 1)).isEqualTo(1);
    }

    @Test
    void forgettingAFollowerNeverTakesBackACommit() {
        ProposalTracker t = new ProposalTracker(new QuorumVerifier(List.of(1L, 2L, 3L)), 0);
        t.propose(1);
        t.ack(1, 1);
        t.ack(2, 1);
        t.forget(2);
        assertThat(t.committed()).isEqualTo(1);
        t.propose(2);
        assertThat(t.ack(3, 2)).as("1 acked up to 1, 3 up to 2").isEqualTo(1);
        assertThat(t.ack(1, 2)).isEqualTo(2);
    }

    @Test
    void proposalsMustGrow() {
        ProposalTracker t = new ProposalTracker(new QuorumVerifier(List.of(1L)), 10);
        assertThatThrownBy(() -> t.propose(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quorumIsAMajorityOfVoters() {
        QuorumVerifier q = new QuorumVerifier(List.of(1L, 2L, 3L, 4L, 5L));
        assertThat(q.quorumSize()).isEqualTo(3);
        assertThat(q.containsQuorum(List.of(1L, 2L))).isFalse();
        assertThat(q.containsQuorum(List.of(1L, 2L, 7L))).isFalse();
        assertThat(q.containsQuorum(List.of(1L, 2L, 5L))).isTrue();
        assertThat(new QuorumVerifier(List.of(1L, 2L, 3L, 4L)).quorumSize()).isEqualTo(3);
    }
}
