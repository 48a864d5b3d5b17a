package io.paddock.tests.robustness;

import io.paddock.protocol.ErrorCode;
import io.paddock.protocol.OpCode;
import io.paddock.protocol.data.Acl;
import io.paddock.protocol.jute.JuteRecord;
import io.paddock.protocol.proto.CreateRequest;
import io.paddock.protocol.proto.DeleteRequest;
import io.paddock.protocol.proto.ExistsRequest;
import io.paddock.protocol.proto.GetChildrenRequest;
import io.paddock.protocol.proto.GetDataRequest;
import io.paddock.protocol.proto.SetDataRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Malformed and special paths sent raw (the official client refuses to send them), with the error
 * Apache ZooKeeper 3.9.5 answers: create checks the parent before the path itself, so a relative
 * or doubled-slash path under a missing parent is NONODE; the other writes reject a malformed
 * path with BADARGUMENTS; reads of a malformed path find no node. Observed on ZooKeeper 3.9.5 and
 * checked against it again by {@link ZooKeeperParityTest}.
 */
final class PathCases {
    record Case(String op, int opCode, String path, ErrorCode expected) {
        JuteRecord body() {
            switch (opCode) {
                case OpCode.CREATE:
                case OpCode.CREATE2:
                    return new CreateRequest(path, new byte[0], Acl.OPEN_ACL_UNSAFE, 0);
                case OpCode.DELETE:
                    return new DeleteRequest(path, -1);
                case OpCode.SET_DATA:
                    return new SetDataRequest(path, new byte[0], -1);
                case OpCode.GET_DATA:
                    return new GetDataRequest(path, false);
                case OpCode.EXISTS:
                    return new ExistsRequest(path, false);
                default:
                    return new GetChildrenRequest(path, false);
            }
        }

        @Override
        public String toString() {
            return op + "(\"" + path.replace("\0", "\\0") + "\")";
        }
    }

    private PathCases() {
    }

    static List<Case> all() {
        List<Case> c = new ArrayList<>();
        ErrorCode bad = ErrorCode.BADARGUMENTS;
        ErrorCode none = ErrorCode.NONODE;
        // create: the parent is checked first
        for (int op : new int[] {OpCode.CREATE, OpCode.CREATE2}) {
            String name = op == OpCode.CREATE ? "create" : "create2";
            c.add(new Case(name, op, "a/b", none));
            c.add(new Case(name, op, "/x//y", none));
            c.add(new Case(name, op, "/x/./y", none));
            c.add(new Case(name, op, "/a/", none));
            c.add(new Case(name, op, "//b", bad));
            c.add(new Case(name, op, "/.", bad));
            c.add(new Case(name, op, "/..", bad));
            c.add(new Case(name, op, "/zookeeper/", bad));
            c.add(new Case(name, op, "/zookeeper/quota/..", bad));
            c.add(new Case(name, op, "", bad));
            c.add(new Case(name, op, "/a\0b", bad));
            c.add(new Case(name, op, "/", ErrorCode.NODEEXISTS));
        }
        // setData validates the path
        for (String p : new String[] {"a/b", "/x//y", "//b", "/.", "/..", "/zookeeper/", "", "/a\0b", "/a/"}) {
            c.add(new Case("setData", OpCode.SET_DATA, p, bad));
        }
        // delete: malformed paths are simply not there; the root and "" are refused
        for (String p : new String[] {"a/b", "/x//y", "//b", "/.", "/..", "/zookeeper/", "/a/"}) {
            c.add(new Case("delete", OpCode.DELETE, p, none));
        }
        c.add(new Case("delete", OpCode.DELETE, "", bad));
        c.add(new Case("delete", OpCode.DELETE, "/", bad));
        c.add(new Case("delete", OpCode.DELETE, "/a\0b", bad));
        c.add(new Case("delete", OpCode.DELETE, "/zookeeper", bad));
        c.add(new Case("delete", OpCode.DELETE, "/zookeeper/quota", bad));
        // reads of malformed paths find no node (exists with a NUL byte is the exception)
        for (String p : new String[] {"a/b", "/x//y", "//b", "/.", "/..", "/zookeeper/", "/a/"}) {
            c.add(new Case("getData", OpCode.GET_DATA, p, none));
            c.add(new Case("exists", OpCode.EXISTS, p, none));
            c.add(new Case("getChildren", OpCode.GET_CHILDREN, p, none));
        }
        c.add(new Case("getData", OpCode.GET_DATA, "/a\0b", none));
        c.add(new Case("exists", OpCode.EXISTS, "/a\0b", bad));
        c.add(new Case("getChildren", OpCode.GET_CHILDREN, "/a\0b", none));
        return c;
    }
}
