package io.paddock.node.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * ZooKeeper's ip scheme: an ACL id is an address or address/bits (IPv4 or IPv6), matched
 * against the client's address.
 */
public final class IpAuth {
    public static final String SCHEME = "ip";

    private IpAuth() {
    }

    public static boolean isValidId(String id) {
        return parse(id) != null;
    }

    /** Whether the client address {@code clientIp} falls in the ACL expression {@code aclId}. */
    public static boolean matches(String clientIp, String aclId) {
        byte[][] range = parse(aclId);
        byte[] client = literal(clientIp);
        if (range == null || client == null || client.length != range[0].length) {
            return false;
        }
        int bits = range[1][0] & 0xff | (range[1].length > 1 ? (range[1][1] & 0xff) << 8 : 0);
        byte[] net = range[0];
        for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((net[i] & mask) != (client[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** {address bytes, prefix length as two little-endian bytes}, or null when malformed. */
    private static byte[][] parse(String id) {
        if (id == null) {
            return null;
        }
        String[] parts = id.split("/", -1);
        if (parts.length > 2) {
            return null;
        }
        byte[] addr = literal(parts[0]);
        if (addr == null) {
            return null;
        }
        int bits = addr.length * 8;
        if (parts.length == 2) {
            try {
                bits = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return null;
            }
            if (bits < 0 || bits > addr.length * 8) {
                return null;
            }
        }
        return new byte[][] {addr, {(byte) bits, (byte) (bits >> 8)}};
    }

    /** Parses an IP literal without ever doing a DNS lookup. */
    private static byte[] literal(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        boolean v4 = s.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        boolean v6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (v4) {
            String[] octets = s.split("\\.", -1);
            if (octets.length != 4) {
                return null;
            }
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (octets[i].isEmpty() || octets[i].length() > 3) {
                    return null;
                }
                int v = Integer.parseInt(octets[i]);
                if (v > 255) {
                    return null;
                }
                out[i] = (byte) v;
            }
            return out;
        }
        if (v6) {
            try {
                return InetAddress.getByName(s).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
