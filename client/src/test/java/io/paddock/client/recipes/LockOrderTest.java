package io.paddock.client.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock queue's order and who waits on whom, as Curator's lock drivers decide them. */
class LockOrderTest {
    static final List<String> MUTEX = List.of(LockOrder.MUTEX_NAME);
    static final List<String> RW = List.of(LockOrder.READ_NAME, LockOrder.WRITE_NAME);

    @Test
    void sortsBySequenceWhateverTheUuidPrefix() {
        List<String> children = List.of("_c_ffff-lock-0000000003", "_c_0000-lock-0000000010", "_c_aaaa-lock-0000000001");
        assertThat(LockOrder.sort(children, MUTEX))
            .containsExactly("_c_aaaa-lock-0000000001", "_c_ffff-lock-0000000003", "_c_0000-lock-0000000010");
    }

    @Test
    void exclusiveWaitsOnItsPredecessorOnly() {
        List<String> sorted = List.of("_c_a-lock-0000000001", "_c_b-lock-0000000002", "_c_c-lock-0000000003");
        assertThat(LockOrder.EXCLUSIVE.waitFor(sorted, "_c_a-lock-0000000001")).isNull();
        assertThat(LockOrder.EXCLUSIVE.waitFor(sorted, "_c_b-lock-0000000002")).isEqualTo("_c_a-lock-0000000001");
        assertThat(LockOrder.EXCLUSIVE.waitFor(sorted, "_c_c-lock-0000000003")).isEqualTo("_c_b-lock-0000000002");
    }

    @Test
    void readersShareUntilAWriterIsAheadAndWritersWaitForEveryone() {
        List<String> sorted = LockOrder.sort(List.of("_c_w-__WRIT__0000000003", "_c_r1-__READ__0000000001",
            "_c_r2-__READ__0000000002", "_c_r3-__READ__0000000004", "_c_w2-__WRIT__0000000005"), RW);
        assertThat(sorted).containsExactly("_c_r1-__READ__0000000001", "_c_r2-__READ__0000000002",
            "_c_w-__WRIT__0000000003", "_c_r3-__READ__0000000004", "_c_w2-__WRIT__0000000005");
        assertThat(LockOrder.SHARED.waitFor(sorted, "_c_r1-__READ__0000000001")).isNull();
        assertThat(LockOrder.SHARED.waitFor(sorted, "_c_r2-__READ__0000000002")).isNull();
        assertThat(LockOrder.SHARED.waitFor(sorted, "_c_r3-__READ__0000000004")).isEqualTo("_c_w-__WRIT__0000000003");
        assertThat(LockOrder.EXCLUSIVE.waitFor(sorted, "_c_w-__WRIT__0000000003")).isEqualTo("_c_r2-__READ__0000000002");
        assertThat(LockOrder.EXCLUSIVE.waitFor(sorted, "_c_w2-__WRIT__0000000005")).isEqualTo("_c_r3-__READ__0000000004");
    }

    @Test
    void aNodeMissingFromTheQueueIsAnError() {
        assertThatThrownBy(() -> LockOrder.EXCLUSIVE.waitFor(List.of("_c_a-lock-0000000001"), "_c_b-lock-0000000002"))
            .isInstanceOf(IllegalStateException.class);
    }
}
