package io.paddock.protocol;

/**
 * A request failed with a ZooKeeper error code. Thrown by request preparation and by reads;
 * cheap to create because it carries no stack trace. {@link #create} returns the subclass
 * for the code, named as ZooKeeper's client names it (e.g. {@link NoNodeException}), so that
 * callers can catch the failures they handle; the server only needs the code and constructs
 * this class directly.
 */
public class KeeperException extends Exception {
    private final ErrorCode code;

    public KeeperException(ErrorCode code) {
        this(code, null);
    }

    public KeeperException(ErrorCode code, String path) {
        super(path == null ? code.name() : code.name() + " for " + path, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** The subclass for {@code code}; OK is no failure, so it has none (as in ZooKeeper). */
    public static KeeperException create(ErrorCode code) {
        return create(code, null);
    }

    /** The subclass for {@code code}, about {@code path} (null when there is none). */
    public static KeeperException create(ErrorCode code, String path) {
        return switch (code) {
            case OK -> throw new IllegalArgumentException("OK is not an error");
            case SYSTEMERROR -> new SystemErrorException(path);
            case RUNTIMEINCONSISTENCY -> new RuntimeInconsistencyException(path);
            case DATAINCONSISTENCY -> new DataInconsistencyException(path);
            case CONNECTIONLOSS -> new ConnectionLossException(path);
            case MARSHALLINGERROR -> new MarshallingErrorException(path);
            case UNIMPLEMENTED -> new UnimplementedException(path);
            case OPERATIONTIMEOUT -> new OperationTimeoutException(path);
            case BADARGUMENTS -> new BadArgumentsException(path);
            case UNKNOWNSESSION -> new UnknownSessionException(path);
            case NEWCONFIGNOQUORUM -> new NewConfigNoQuorum(path);
            case RECONFIGINPROGRESS -> new ReconfigInProgress(path);
            case APIERROR -> new APIErrorException(path);
            case NONODE -> new NoNodeException(path);
            case NOAUTH -> new NoAuthException(path);
            case BADVERSION -> new BadVersionException(path);
            case NOCHILDRENFOREPHEMERALS -> new NoChildrenForEphemeralsException(path);
            case NODEEXISTS -> new NodeExistsException(path);
            case NOTEMPTY -> new NotEmptyException(path);
            case SESSIONEXPIRED -> new SessionExpiredException(path);
            case INVALIDCALLBACK -> new InvalidCallbackException(path);
            case INVALIDACL -> new InvalidACLException(path);
            case AUTHFAILED -> new AuthFailedException(path);
            case SESSIONMOVED -> new SessionMovedException(path);
            case NOTREADONLY -> new NotReadOnlyException(path);
            case EPHEMERALONLOCALSESSION -> new EphemeralOnLocalSessionException(path);
            case NOWATCHER -> new NoWatcherException(path);
            case REQUESTTIMEOUT -> new RequestTimeoutException(path);
            case RECONFIGDISABLED -> new ReconfigDisabledException(path);
            case SESSIONCLOSEDREQUIRESASLAUTH -> new SessionClosedRequireAuthException(path);
            case QUOTAEXCEEDED -> new QuotaExceededException(path);
            case THROTTLEDOP -> new ThrottledOpException(path);
        };
    }

    public static final class SystemErrorException extends KeeperException {
        public SystemErrorException(String path) {
            super(ErrorCode.SYSTEMERROR, path);
        }
    }

    public static final class RuntimeInconsistencyException extends KeeperException {
        public RuntimeInconsistencyException(String path) {
            super(ErrorCode.RUNTIMEINCONSISTENCY, path);
        }
    }

    public static final class DataInconsistencyException extends KeeperException {
        public DataInconsistencyException(String path) {
            super(ErrorCode.DATAINCONSISTENCY, path);
        }
    }

    public static final class ConnectionLossException extends KeeperException {
        public ConnectionLossException(String path) {
            super(ErrorCode.CONNECTIONLOSS, path);
        }
    }

    public static final class MarshallingErrorException extends KeeperException {
        public MarshallingErrorException(String path) {
            super(ErrorCode.MARSHALLINGERROR, path);
        }
    }

    public static final class UnimplementedException extends KeeperException {
        public UnimplementedException(String path) {
            super(ErrorCode.UNIMPLEMENTED, path);
        }
    }

    public static final class OperationTimeoutException extends KeeperException {
        public OperationTimeoutException(String path) {
            super(ErrorCode.OPERATIONTIMEOUT, path);
        }
    }

    public static final class BadArgumentsException extends KeeperException {
        public BadArgumentsException(String path) {
            super(ErrorCode.BADARGUMENTS, path);
        }
    }

    public static final class UnknownSessionException extends KeeperException {
        public UnknownSessionException(String path) {
            super(ErrorCode.UNKNOWNSESSION, path);
        }
    }

    public static final class NewConfigNoQuorum extends KeeperException {
        public NewConfigNoQuorum(String path) {
            super(ErrorCode.NEWCONFIGNOQUORUM, path);
        }
    }

    public static final class ReconfigInProgress extends KeeperException {
        public ReconfigInProgress(String path) {
            super(ErrorCode.RECONFIGINPROGRESS, path);
        }
    }

    public static final class APIErrorException extends KeeperException {
        public APIErrorException(String path) {
            super(ErrorCode.APIERROR, path);
        }
    }

    public static final class NoNodeException extends KeeperException {
        public NoNodeException(String path) {
            super(ErrorCode.NONODE, path);
        }
    }

    public static final class NoAuthException extends KeeperException {
        public NoAuthException(String path) {
            super(ErrorCode.NOAUTH, path);
        }
    }

    public static final class BadVersionException extends KeeperException {
        public BadVersionException(String path) {
            super(ErrorCode.BADVERSION, path);
        }
    }

    public static final class NoChildrenForEphemeralsException extends KeeperException {
        public NoChildrenForEphemeralsException(String path) {
            super(ErrorCode.NOCHILDRENFOREPHEMERALS, path);
        }
    }

    public static final class NodeExistsException extends KeeperException {
        public NodeExistsException(String path) {
            super(ErrorCode.NODEEXISTS, path);
        }
    }

    public static final class NotEmptyException extends KeeperException {
        public NotEmptyException(String path) {
            super(ErrorCode.NOTEMPTY, path);
        }
    }

    public static final class SessionExpiredException extends KeeperException {
        public SessionExpiredException(String path) {
            super(ErrorCode.SESSIONEXPIRED, path);
        }
    }

    public static final class InvalidCallbackException extends KeeperException {
        public InvalidCallbackException(String path) {
            super(ErrorCode.INVALIDCALLBACK, path);
        }
    }

    public static final class InvalidACLException extends KeeperException {
        public InvalidACLException(String path) {
            super(ErrorCode.INVALIDACL, path);
        }
    }

    public static final class AuthFailedException extends KeeperException {
        public AuthFailedException(String path) {
            super(ErrorCode.AUTHFAILED, path);
        }
    }

    public static final class SessionMovedException extends KeeperException {
        public SessionMovedException(String path) {
            super(ErrorCode.SESSIONMOVED, path);
        }
    }

    public static final class NotReadOnlyException extends KeeperException {
        public NotReadOnlyException(String path) {
            super(ErrorCode.NOTREADONLY, path);
        }
    }

    public static final class EphemeralOnLocalSessionException extends KeeperException {
        public EphemeralOnLocalSessionException(String path) {
            super(ErrorCode.EPHEMERALONLOCALSESSION, path);
        }
    }

    public static final class NoWatcherException extends KeeperException {
        public NoWatcherException(String path) {
            super(ErrorCode.NOWATCHER, path);
        }
    }

    public static final class RequestTimeoutException extends KeeperException {
        public RequestTimeoutException(String path) {
            super(ErrorCode.REQUESTTIMEOUT, path);
        }
    }

    public static final class ReconfigDisabledException extends KeeperException {
        public ReconfigDisabledException(String path) {
            super(ErrorCode.RECONFIGDISABLED, path);
        }
    }

    public static final class SessionClosedRequireAuthException extends KeeperException {
        public SessionClosedRequireAuthException(String path) {
            super(ErrorCode.SESSIONCLOSEDREQUIRESASLAUTH, path);
        }
    }

    public static final class QuotaExceededException extends KeeperException {
        public QuotaExceededException(String path) {
            super(ErrorCode.QUOTAEXCEEDED, path);
        }
    }

    public static final class ThrottledOpException extends KeeperException {
        public ThrottledOpException(String path) {
            super(ErrorCode.THROTTLEDOP, path);
        }
    }
}
