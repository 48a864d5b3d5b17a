package io.paddock.node.inspect;

/**
 * The four-letter words and AdminServer commands whose subject Paddock does not have: they say
 * so, the same way on both, instead of answering with made-up values.
 */
public final class Unsupported {
    public static final String TRACE_MASK = "it has no trace mask; log levels are set in logback.xml";
    public static final String DIGESTS = "it does not compute data tree digests";

    private Unsupported() {
    }

    /** "{@code name} is not supported by Paddock: {@code why}." */
    public static String message(String name, String why) {
        return name + " is not supported by Paddock: " + why + ".";
    }
}
