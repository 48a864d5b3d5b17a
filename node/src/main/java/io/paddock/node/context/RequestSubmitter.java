package io.paddock.node.context;

import io.paddock.node.request.Request;

/** Where a connection hands its writes: the leader's pipeline, directly or through a learner. */
@FunctionalInterface
public interface RequestSubmitter {
    void submit(Request request);
}
