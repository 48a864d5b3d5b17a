package io.paddock.protocol;

/** The cause an operator needs from a wrapped failure: the innermost one names the file or the problem. */
public final class Throwables {
    private Throwables() {
    }

    /** The last cause in {@code failure}'s chain ({@code failure} itself when it has none). */
    public static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
