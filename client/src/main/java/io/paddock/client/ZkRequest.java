package io.paddock.client;

import io.paddock.protocol.AddWatchMode;
import io.paddock.protocol.CreateMode;
import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.KeeperException;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.WatcherType;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.data.ClientInfo;
import io.paddock.protocol.data.Stat;
import io.paddock.protocol.jute.JuteInput;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.AddWatchRequest;
import io.paddock.protocol.proto.CheckWatchesRequest;
import io.paddock.protocol.proto.Create2Response;
import io.paddock.protocol.proto.CreateResponse;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ErrorResponse;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.ExistsResponse;
import io.paddock.protocol.proto.GetACLRequest;
import io.paddock.protocol.proto.GetACLResponse;
import io.paddock.protocol.proto.GetAllChildrenNumberRequest;
import io.paddock.protocol.proto.GetAllChildrenNumberResponse;
import io.paddock.protocol.proto.GetChildren2Request;
import io.paddock.protocol.proto.GetChildren2Response;
import io.paddock.protocol.proto.GetChildrenResponse;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.GetDataResponse;
import io.paddock.protocol.proto.GetEphemeralsRequest;
import io.paddock.protocol.proto.GetEphemeralsResponse;
import io.paddock.protocol.proto.MultiRequest;
import io.paddock.protocol.proto.MultiResponse;
import io.paddock.protocol.proto.RemoveWatchesRequest;
import io.paddock.protocol.proto.SetACLRequest;
import io.paddock.protocol.proto.SetACLResponse;
import io.paddock.protocol.proto.SetDataRequest;
import io.paddock.protocol.proto.SetDataResponse;
import io.paddock.protocol.proto.SyncRequest;
import io.paddock.protocol.proto.SyncResponse;
import io.paddock.protocol.proto.WhoAmIResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request a session sends, with the result type {@code R} of a successful reply. Each record
 * knows its opcode, its wire body and how to read its reply, so the session itself stays
 * generic.
 */
public sealed interface ZkRequest<R> {
    int opCode();

    /** The request record after the header, with the paths under {@code chroot}; null when the op has none. */
    JuteRecord body(Chroot chroot);

    /** The path the request is about, as the client sees it (for errors and watch bookkeeping), or null. */
    String path();

    /** Reads the reply body of a request that succeeded; paths in it come back out of {@code chroot}. */
    R readReply(JuteInput in, Chroot chroot);

    /** The outcome of a reply with an error code; most requests simply fail. */
    default R onError(ErrorCode code) throws KeeperException {
        throw KeeperException.create(code, path());
    }

    /**
     * Creates a node and returns its actual path and stat. Uses create2 (containers use
     * createContainer, TTL modes createTTL); {@code ttl} (ms) only with the TTL modes, else 0.
     */
    record Create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttl) implements ZkRequest<CreateResult> {
        public Create {
            CreateCodec.validate(path, acl, mode, ttl);
        }

        @Override
        public int opCode() {
            return CreateCodec.opCode(mode, OpCode.CREATE2);
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return CreateCodec.body(chroot.prefix(path), data, acl, mode, ttl);
        }

        @Override
        public CreateResult readReply(JuteInput in, Chroot chroot) {
            Create2Response r = Create2Response.read(in);
            return new CreateResult(chroot.strip(r.path()), r.stat());
        }
    }

    /** Deletes a node if its version matches ({@code -1} matches any). */
    record Delete(String path, int version) implements ZkRequest<Void> {
        public Delete {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public int opCode() {
            return OpCode.DELETE;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new DeleteRequest(chroot.prefix(path), version);
        }

        @Override
        public Void readReply(JuteInput in, Chroot chroot) {
            return null;
        }
    }

    /**
     * A node's stat, or null when it does not exist. With {@code watch} it leaves a watch either
     * way: for the node's data when it exists, for its creation when it does not.
     */
    record Exists(String path, boolean watch) implements ZkRequest<Stat> {
        public Exists {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public int opCode() {
            return OpCode.EXISTS;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new ExistsRequest(chroot.prefix(path), watch);
        }

        @Override
        public Stat readReply(JuteInput in, Chroot chroot) {
            return ExistsResponse.read(in).stat();
        }

        @Override
        public Stat onError(ErrorCode code) throws KeeperException {
            if (code == ErrorCode.NONODE) {
                return null;
            }
            throw KeeperException.create(code, path);
        }
    }

    /** A node's data and stat; with {@code watch}, a one-shot watch on its data. */
    record GetData(String path, boolean watch) implements ZkRequest<DataResult> {
        public GetData {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public int opCode() {
            return OpCode.GET_DATA;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new GetDataRequest(chroot.prefix(path), watch);
        }

        @Override
        public DataResult readReply(JuteInput in, Chroot chroot) {
            GetDataResponse r = GetDataResponse.read(in);
            return new DataResult(r.data(), r.stat());
        }
    }

    /** Replaces a node's data if its version matches ({@code -1} matches any); returns the new stat. */
    record SetData(String path, byte[] data, int version) implements ZkRequest<Stat> {
        public SetData {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public int opCode() {
            return OpCode.SET_DATA;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new SetDataRequest(chroot.prefix(path), data, version);
        }

        @Override
        public Stat readReply(JuteInput in, Chroot chroot) {
            return SetDataResponse.read(in).stat();
        }
    }

    /** A node's children and stat (getChildren2); with {@code watch}, a one-shot watch on its children. */
    record GetChildren(String path, boolean watch) implements ZkRequest<ChildrenResult> {
        public GetChildren {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public int opCode() {
            return OpCode.GET_CHILDREN2;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new GetChildren2Request(chroot.prefix(path), watch);
        }

        @Override
        public ChildrenResult readReply(JuteInput in, Chroot chroot) {
            GetChildren2Response r = GetChildren2Response.read(in);
            return new ChildrenResult(r.children(), r.stat());
        }
    }

    record GetAcl(String path) implements ZkRequest<AclResult> {
        public GetAcl {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public int opCode() {
            return OpCode.GET_ACL;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new GetACLRequest(chroot.prefix(path));
        }

        @Override
        public AclResult readReply(JuteInput in, Chroot chroot) {
            GetACLResponse r = GetACLResponse.read(in);
            return new AclResult(r.acl(), r.stat());
        }
    }

    /** Replaces a node's ACL if its ACL version matches ({@code -1} matches any); returns the new stat. */
    record SetAcl(String path, List<Acl> acl, int version) implements ZkRequest<Stat> {
        public SetAcl {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(acl, "acl");
        }

        @Override
        public int opCode() {
            return OpCode.SET_ACL;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new SetACLRequest(chroot.prefix(path), acl, version);
        }

        @Override
        public Stat readReply(JuteInput in, Chroot chroot) {
            return SetACLResponse.read(in).stat();
        }
    }

    /** Waits until the server this session talks to has caught up with the leader; returns the path. */
    record Sync(String path) implements ZkRequest<String> {
        public Sync {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public int opCode() {
            return OpCode.SYNC;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new SyncRequest(chroot.prefix(path));
        }

        @Override
        public String readReply(JuteInput in, Chroot chroot) {
            return chroot.strip(SyncResponse.read(in).path());
        }
    }

    /**
     * Ops applied atomically. A multi that fails still replies normally: its results are all
     * {@link OpResult.Error} (see {@link MultiResult#committed()}).
     */
    record Multi(List<Op> ops) implements ZkRequest<MultiResult> {
        public Multi {
            ops = List.copyOf(ops);
        }

        @Override
        public int opCode() {
            return OpCode.MULTI;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new MultiRequest(ops.stream().map(op -> op.toWire(chroot)).toList());
        }

        @Override
        public String path() {
            return null;
        }

        @Override
        public MultiResult readReply(JuteInput in, Chroot chroot) {
            return new MultiResult(opResults(in, chroot));
        }
    }

    /** Sets a persistent watch, plain or recursive, which stays until removed. */
    record AddWatch(String path, AddWatchMode mode) implements ZkRequest<Void> {
        public AddWatch {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public int opCode() {
            return OpCode.ADD_WATCH;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new AddWatchRequest(chroot.prefix(path), mode.code());
        }

        @Override
        public Void readReply(JuteInput in, Chroot chroot) {
            return null;
        }
    }

    /** Removes this session's watches of a type on a path; NOWATCHER when there is none. */
    record RemoveWatches(String path, WatcherType type) implements ZkRequest<Void> {
        public RemoveWatches {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public int opCode() {
            return OpCode.REMOVE_WATCHES;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new RemoveWatchesRequest(chroot.prefix(path), type.code());
        }

        @Override
        public Void readReply(JuteInput in, Chroot chroot) {
            return null;
        }
    }

    /**
     * Reads several nodes in one round trip. Unlike a multi it is no transaction: each op
     * succeeds or fails on its own, and a failed one is an {@link OpResult.Error} among the
     * results, as in ZooKeeper. The reads leave no watches.
     */
    record MultiRead(List<ReadOp> ops) implements ZkRequest<List<OpResult>> {
        public MultiRead {
            ops = List.copyOf(ops);
        }

        @Override
        public int opCode() {
            return OpCode.MULTI_READ;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new MultiRequest(ops.stream().map(op -> op.toWire(chroot)).toList());
        }

        @Override
        public String path() {
            return null;
        }

        @Override
        public List<OpResult> readReply(JuteInput in, Chroot chroot) {
            return opResults(in, chroot);
        }
    }

    /**
     * The paths of this session's ephemeral nodes that start with {@code prefixPath} (a string
     * prefix, as ZooKeeper matches it), or all of them when it is null or "/". Under a chroot
     * the prefix is taken below it and the paths come back without it (ZooKeeper's client sends
     * and returns them unchanged, which leaves the chroot's own ephemerals out of reach).
     */
    record GetEphemerals(String prefixPath) implements ZkRequest<List<String>> {
        @Override
        public int opCode() {
            return OpCode.GET_EPHEMERALS;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new GetEphemeralsRequest(chroot.prefix(prefixPath == null ? "/" : prefixPath));
        }

        @Override
        public String path() {
            return prefixPath;
        }

        @Override
        public List<String> readReply(JuteInput in, Chroot chroot) {
            return GetEphemeralsResponse.read(in).ephemerals().stream().map(chroot::strip).toList();
        }
    }

    /** How many nodes are below a node, at any depth (the node itself not counted). */
    record GetAllChildrenNumber(String path) implements ZkRequest<Integer> {
        public GetAllChildrenNumber {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public int opCode() {
            return OpCode.GET_ALL_CHILDREN_NUMBER;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new GetAllChildrenNumberRequest(chroot.prefix(path));
        }

        @Override
        public Integer readReply(JuteInput in, Chroot chroot) {
            return GetAllChildrenNumberResponse.read(in).totalNumber();
        }
    }

    /**
     * Asks whether this session has a watch of a type on a path, without changing it; fails
     * with NOWATCHER when it has none (ZooKeeper's client sends it before removing one watcher).
     */
    record CheckWatches(String path, WatcherType type) implements ZkRequest<Void> {
        public CheckWatches {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public int opCode() {
            return OpCode.CHECK_WATCHES;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return new CheckWatchesRequest(chroot.prefix(path), type.code());
        }

        @Override
        public Void readReply(JuteInput in, Chroot chroot) {
            return null;
        }
    }

    /** The identities the server has authenticated for this session. */
    record WhoAmI() implements ZkRequest<List<ClientInfo>> {
        @Override
        public int opCode() {
            return OpCode.WHO_AM_I;
        }

        @Override
        public JuteRecord body(Chroot chroot) {
            return null;
        }

        @Override
        public String path() {
            return null;
        }

        @Override
        public List<ClientInfo> readReply(JuteInput in, Chroot chroot) {
            return WhoAmIResponse.read(in).clientInfo();
        }
    }

    /** The results of a multi or multiRead reply, in the order of the ops. */
    private static List<OpResult> opResults(JuteInput in, Chroot chroot) {
        List<OpResult> results = new ArrayList<>();
        for (MultiResponse.OpResult r : MultiResponse.read(in).results()) {
            results.add(opResult(r, chroot));
        }
        return results;
    }

    private static OpResult opResult(MultiResponse.OpResult r, Chroot chroot) {
        switch (r.type()) {
            case OpCode.CREATE:
                return new OpResult.Created(chroot.strip(((CreateResponse) r.body()).path()), null);
            case OpCode.CREATE2:
            case OpCode.CREATE_CONTAINER:
            case OpCode.CREATE_TTL:
                Create2Response created = (Create2Response) r.body();
                return new OpResult.Created(chroot.strip(created.path()), created.stat());
            case OpCode.DELETE:
            case OpCode.DELETE_CONTAINER:
                return new OpResult.Deleted();
            case OpCode.SET_DATA:
                return new OpResult.DataSet(((SetDataResponse) r.body()).stat());
            case OpCode.CHECK:
                return new OpResult.Checked();
            case OpCode.GET_DATA:
                GetDataResponse data = (GetDataResponse) r.body();
                return new OpResult.DataRead(data.data(), data.stat());
            case OpCode.GET_CHILDREN:
                return new OpResult.ChildrenRead(((GetChildrenResponse) r.body()).children());
            case OpCode.ERROR:
                return new OpResult.Error(ErrorCode.of(((ErrorResponse) r.body()).err()));
            default:
                throw new ConnectionFault("unexpected result type " + r.type() + " in a multi reply");
        }
    }
}
