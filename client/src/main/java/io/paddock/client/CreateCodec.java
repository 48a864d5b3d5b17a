package io.paddock.client;

import io.paddock.protocol.CreateMode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.CreateTTLRequest;
import java.util.List;
import java.util.Objects;

/** How a create travels, shared by the standalone request and the multi op. */
final class CreateCodec {
    private CreateCodec() {
    }

    static void validate(String path, List<Acl> acl, CreateMode mode, long ttl) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(acl, "acl");
        Objects.requireNonNull(mode, "mode");
        if (!mode.isTtl() && ttl != 0) {
            throw new IllegalArgumentException("a ttl applies only to the TTL create modes, not " + mode);
        }
    }

    /** Containers and TTL nodes have their own opcodes; other modes use {@code plainOpCode}. */
    static int opCode(CreateMode mode, int plainOpCode) {
        if (mode.isContainer()) {
            return OpCode.CREATE_CONTAINER;
        }
        return mode.isTtl() ? OpCode.CREATE_TTL : plainOpCode;
    }

    static JuteRecord body(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttl) {
        return mode.isTtl()
            ? new CreateTTLRequest(path, data, acl, mode.flag(), ttl)
            : new CreateRequest(path, data, acl, mode.flag());
    }
}
