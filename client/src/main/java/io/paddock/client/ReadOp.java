package io.paddock.client;

import io.paddock.protocol.OpCode;
import io.paddock.protocol.proto.GetChildrenRequest;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.MultiRequest;
import java.util.Objects;

/** One read of a multiRead: each succeeds or fails on its own, and none leaves a watch. */
public sealed interface ReadOp {
    String path();

    /** This op as it travels inside a MultiRequest, its path under {@code chroot}. */
    MultiRequest.Op toWire(Chroot chroot);

    static ReadOp getData(String path) {
        return new GetData(path);
    }

    static ReadOp getChildren(String path) {
        return new GetChildren(path);
    }

    /** A node's data and stat: {@link OpResult.DataRead}. */
    record GetData(String path) implements ReadOp {
        public GetData {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public MultiRequest.Op toWire(Chroot chroot) {
            return new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest(chroot.prefix(path), false));
        }
    }

    /** A node's children, without a stat (getChildren, as ZooKeeper's multiRead sends it): {@link OpResult.ChildrenRead}. */
    record GetChildren(String path) implements ReadOp {
        public GetChildren {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public MultiRequest.Op toWire(Chroot chroot) {
            return new MultiRequest.Op(OpCode.GET_CHILDREN, new GetChildrenRequest(chroot.prefix(path), false));
        }
    }
}
