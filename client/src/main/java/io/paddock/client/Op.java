package io.paddock.client;

import io.paddock.protocol.CreateMode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.proto.CheckVersionRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.SetDataRequest;
import java.util.List;
import java.util.Objects;

/** One operation of a multi: all ops of a multi commit together or not at all. */
public sealed interface Op {
    String path();

    /** This op as it travels inside a MultiRequest, its path under {@code chroot}. */
    MultiRequest.Op toWire(Chroot chroot);

    static Op create(String path, byte[] data, List<Acl> acl, CreateMode mode) {
        return new Create(path, data, acl, mode, 0);
    }

    static Op delete(String path, int version) {
        return new Delete(path, version);
    }

    static Op setData(String path, byte[] data, int version) {
        return new SetData(path, data, version);
    }

    static Op check(String path, int version) {
        return new Check(path, version);
    }

    /** Creates a node; {@code ttl} (ms) only with the TTL modes, else 0. */
    record Create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttl) implements Op {
        public Create {
            CreateCodec.validate(path, acl, mode, ttl);
        }

        @Override
        public MultiRequest.Op toWire(Chroot chroot) {
            // plain create (1), as ZooKeeper's own client sends it in a multi: its result has no stat
            return new MultiRequest.Op(CreateCodec.opCode(mode, OpCode.CREATE), CreateCodec.body(chroot.prefix(path), data, acl, mode, ttl));
        }
    }

    /** Deletes a node if its version matches ({@code -1} matches any). */
    record Delete(String path, int version) implements Op {
        public Delete {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public MultiRequest.Op toWire(Chroot chroot) {
            return new MultiRequest.Op(OpCode.DELETE, new DeleteRequest(chroot.prefix(path), version));
        }
    }

    /** Replaces a node's data if its version matches ({@code -1} matches any). */
    record SetData(String path, byte[] data, int version) implements Op {
        public SetData {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public MultiRequest.Op toWire(Chroot chroot) {
            return new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest(chroot.prefix(path), data, version));
        }
    }

    /** Fails the multi unless the node exists with this version ({@code -1} matches any). */
    record Check(String path, int version) implements Op {
        public Check {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public MultiRequest.Op toWire(Chroot chroot) {
            return new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest(chroot.prefix(path), version));
        }
    }
}
