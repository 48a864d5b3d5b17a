package io.paddock.persistence.files;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Turns a persistenceId into a file-name-safe string (internal to the persistence plugins). */
public final class FileNames {
    /** Encoded ids longer than this are cut and given a hash, so names stay well under 255 bytes. */
    static final int MAX_ENCODED = 150;

    private FileNames() {
    }

    /**
     * Letters, digits, '_' and '-' stay as they are; every other UTF-8 byte (including '.', '/'
     * and '%') becomes {@code %XX}. The result can never be "." or "..", never contains a path
     * separator, and two ids never share an encoding (up to the hash of over-long ones).
     */
    public static String encode(String persistenceId) {
        if (persistenceId == null || persistenceId.isEmpty()) {
            throw new IllegalArgumentException("empty persistenceId");
        }
        StringBuilder out = new StringBuilder(persistenceId.length() + 8);
        for (byte b : persistenceId.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        if (out.length() <= MAX_ENCODED) {
            return out.toString();
        }
        return out.substring(0, MAX_ENCODED - 33) + "~" + sha256(persistenceId).substring(0, 32);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
