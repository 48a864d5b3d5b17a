package io.paddock.node.auth;

import io.paddock.config.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * ZooKeeper's digest scheme: the credential "user:password" becomes the id
 * "user:base64(sha1(user:password))". A credential without a colon is accepted; the whole
 * string is then the user, as in ZooKeeper.
 */
public final class DigestAuth {
    public static final String SCHEME = "digest";
    /** The system property ZooKeeper reads the super user's digest from. */
    public static final String SUPER_DIGEST_PROPERTY = "zookeeper.DigestAuthenticationProvider.superDigest";

    private DigestAuth() {
    }

    /**
     * The super user's digest id: zoo.cfg's {@code DigestAuthenticationProvider.superDigest}, else the
     * system property. (ZooKeeper turns the key into the property when it reads zoo.cfg, so there too
     * the file's value wins; here it stays the node's own, and nodes in one JVM may differ.)
     */
    public static String superDigest(NodeConfig cfg) {
        return cfg.superDigest() != null ? cfg.superDigest() : System.getProperty(SUPER_DIGEST_PROPERTY);
    }

    public static String digest(String credential) {
        String user = credential.split(":", 2)[0];
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(credential.getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the digest scheme", e);
        }
    }

    /** A digest ACL id must be "user:hash". */
    public static boolean isValidId(String id) {
        return id != null && id.split(":", -1).length == 2;
    }

    public static String userOf(String id) {
        return id.split(":", 2)[0];
    }
}
