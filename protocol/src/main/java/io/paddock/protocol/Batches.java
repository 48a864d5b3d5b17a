package io.paddock.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Cuts a sequence of items (txns, forwarded requests) into consecutive batches bounded by their
 * sizes in bytes: what one peer message or one journal write may carry. Order is kept; an item
 * larger than the budget on its own makes a batch alone, so callers bound single items elsewhere.
 */
public final class Batches {
    private Batches() {
    }

    /**
     * How many of the first {@code items} make the next batch: as many as fit in {@code budget}
     * bytes together, at most {@code maxCount}, and at least one when there is any.
     */
    public static <T> int fitting(Iterable<T> items, ToLongFunction<? super T> size, long budget, int maxCount) {
        int count = 0;
        long used = 0;
        for (T item : items) {
            if (count == maxCount) {
                break;
            }
            long bytes = size.applyAsLong(item);
            if (count > 0 && used + bytes > budget) {
                break;
            }
            used += bytes;
            count++;
        }
        return count;
    }

    /**
     * {@code items} in order, cut into batches of at most {@code budget} bytes each (see
     * {@link #fitting}); none for no items. When all fit, the one batch is {@code items} itself, so
     * pass a list nobody changes afterwards.
     */
    public static <T> List<List<T>> split(List<T> items, ToLongFunction<? super T> size, long budget) {
        List<List<T>> batches = new ArrayList<>(1);
        for (int from = 0; from < items.size(); ) {
            List<T> rest = items.subList(from, items.size());
            int count = fitting(rest, size, budget, Integer.MAX_VALUE);
            batches.add(count == items.size() ? items : List.copyOf(rest.subList(0, count)));
            from += count;
        }
        return batches;
    }
}
