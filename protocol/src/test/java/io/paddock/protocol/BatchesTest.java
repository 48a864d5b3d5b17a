package io.paddock.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Items here are their own sizes in bytes. */
class BatchesTest {
    private static List<List<Integer>> split(List<Integer> items, long budget) {
        return Batches.split(items, Integer::longValue, budget);
    }

    @Test
    void nothingMakesNoBatch() {
        assertThat(split(List.of(), 10)).isEmpty();
        assertThat(Batches.fitting(List.<Integer>of(), Integer::longValue, 10, 5)).isZero();
    }

    @Test
    void whatFitsIsOneBatchAndTheSameList() {
        List<Integer> items = List.of(3, 3, 4);
        List<List<Integer>> batches = split(items, 10);
        assertThat(batches).containsExactly(items);
        assertThat(batches.get(0)).isSameAs(items);
    }

    @Test
    void batchesFillUpToTheBudgetInOrder() {
        assertThat(split(List.of(4, 4, 2, 5, 5, 1, 9), 10))
            .containsExactly(List.of(4, 4, 2), List.of(5, 5), List.of(1, 9));
    }

    @Test
    void anItemLargerThanTheBudgetGoesAlone() {
        assertThat(split(List.of(1, 25, 2, 3, 30), 10))
            .containsExactly(List.of(1), List.of(25), List.of(2, 3), List.of(30));
    }

    @Test
    void fittingStopsAtTheCountTheBudgetOrTheEnd() {
        assertThat(Batches.fitting(List.of(1, 1, 1, 1), Integer::longValue, 100, 3)).isEqualTo(3);
        assertThat(Batches.fitting(List.of(6, 5, 1), Integer::longValue, 10, 100)).isEqualTo(1);
        assertThat(Batches.fitting(List.of(50, 1), Integer::longValue, 10, 100)).isEqualTo(1);
        assertThat(Batches.fitting(List.of(2, 3), Integer::longValue, 10, 100)).isEqualTo(2);
    }

    @Test
    void batchesDoNotChangeWithTheListTheyCameFrom() {
        java.util.ArrayList<Integer> items = new java.util.ArrayList<>(List.of(6, 6, 6));
        List<List<Integer>> batches = split(items, 10);
        items.clear();
        assertThat(batches).containsExactly(List.of(6), List.of(6), List.of(6));
    }
}
