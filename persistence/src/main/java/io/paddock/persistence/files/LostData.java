package io.paddock.persistence.files;

/**
 * What an operator reads when a node's files no longer hold everything it acknowledged. Starting
 * anyway could lose committed writes (the node may have been part of the quorum that
 * acknowledged them), so recovery stops and the message says how to get the data back.
 */
public final class LostData {
    private LostData() {
    }

    /** {@code problem}, followed by how to recover the node from the other servers of its ensemble. */
    public static String message(String problem) {
        return problem + ". To recover this server from the other servers, and only while they hold a quorum "
            + "without it: stop it, move its dataDir and dataLogDir aside (keep them for inspection), and start it "
            + "with empty ones (copy the myid file over), so that it syncs everything from the leader "
            + "(README, \"Durability and data on disk\")";
    }
}
